"""Debian's Chromium, on a phone and on a desktop: an officer signs in for the first time, cannot open
the queue until an authenticator app is enrolled (the code is computed from the secret the page shows,
as the app would), and an admin without a verified device is kept out of the admin site."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.support.two_factor import second_factor_pass, totp_code_from_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def screen(screen_page):
    return screen_page  # tests/conftest.py: phone and desktop in turn


def _password(page, base_url: str, email: str, start: str = "/accounts/login/") -> None:
    page.goto(base_url + start)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")


def _fits(page) -> None:
    if page.is_phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_an_officer_enrols_an_authenticator_app_before_the_queue_opens(live_server, screen, officer):
    page = screen
    TOTPDevice.objects.filter(user=officer).delete()  # a new officer: no device yet
    _password(page, live_server.url, officer.email)

    expect(page.get_by_role("heading", name="Bật xác thực hai lớp")).to_be_visible()
    _fits(page)
    # The queue stays closed until the app is enrolled.
    page.goto(live_server.url + "/officer/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=%2Fofficer%2F$"))
    expect(page.locator("img[alt^='Mã QR']")).to_be_visible()

    page.get_by_label("Mã 6 chữ số trên ứng dụng xác thực").fill("000000")
    page.get_by_role("button", name="Xác nhận và bật xác thực hai lớp").click()
    expect(page.get_by_text("Mã xác thực không đúng hoặc đã được dùng")).to_be_visible()
    page.wait_for_timeout(1200)  # django-otp's delay after a wrong code

    secret = page.locator("[data-totp-secret]").inner_text()
    page.get_by_label("Mã 6 chữ số trên ứng dụng xác thực").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="Xác nhận và bật xác thực hai lớp").click()

    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    _fits(page)
    page.get_by_role("link", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/officer/$"))
    expect(page.locator('[data-count="new"]')).to_be_visible()

    # Next sign-in: the code is asked again after the password, and only then the queue opens.
    page.context.clear_cookies()  # the browser closed: the staff session cookie ends with it
    _password(page, live_server.url, officer.email)
    expect(page.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
    page.goto(live_server.url + "/officer/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    second_factor_pass(page, officer.email)
    expect(page).to_have_url(re.compile(r"/officer/$"))


def test_the_admin_site_refuses_a_staff_user_without_a_verified_device(live_server, screen, admin_user):
    page = screen
    # Through the admin's own login form: the password is not enough.
    _password(page, live_server.url, admin_user.email, start="/admin/login/?next=/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.goto(live_server.url + "/admin/accounts/user/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
    _fits(page)

    second_factor_pass(page, admin_user.email)
    page.goto(live_server.url + "/admin/accounts/user/")
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect(page.get_by_role("link", name="Quản trị viên")).to_be_visible()
