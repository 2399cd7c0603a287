"""Debian's Chromium against the live server: the home page, the language switch, a login."""

import pytest
from playwright.sync_api import expect

from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_sees_vietnamese_switches_to_english_and_logs_in(live_server, page):
    call_command("seed_demo", verbosity=0)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Tìm thủ tục hành chính").is_visible()

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.get_by_role("heading", name="Find an administrative procedure")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"

    with page.expect_navigation():
        page.select_option("#language-select", "vi")
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.fill("input[name=username]", "citizen@example.vn")
    page.fill("input[name=password]", "demo-password-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    expect(page.get_by_role("link", name="Hồ sơ của tôi")).to_be_visible()


def test_layout_fits_a_360_pixel_phone(live_server, browser, phone_context_args):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    page.goto(live_server.url + "/")
    # Nothing may force horizontal scrolling on the narrowest phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Mở menu").click()
    assert page.get_by_role("link", name="Thủ tục hành chính").is_visible()
    context.close()
