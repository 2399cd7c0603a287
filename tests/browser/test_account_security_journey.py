"""Accounts in Chromium, on a phone and on a desktop: English survives login, guessing under many
spellings of one phone number locks the account, and a forgotten password is reset by email."""

import re

import pytest
from playwright.sync_api import expect

from django.core import mail

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def screen(screen_page):
    return screen_page  # tests/conftest.py: phone and desktop in turn


def _open_menu(page) -> None:
    if page.is_phone:
        page.get_by_role("button").and_(page.locator(".navbar-toggler")).click()
        # Bootstrap marks the menu "show" once it has finished opening; a click during the animation can
        # land on nothing (as in the identity journey on a loaded CI machine).
        expect(page.locator(".navbar-collapse.show")).to_be_visible()


def _log_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()


def test_a_citizen_who_switches_to_english_stays_in_english_after_logging_in(live_server, screen, citizen):
    screen.goto(live_server.url + "/")
    with screen.expect_navigation():
        screen.select_option("#language-select", "en")
    assert screen.locator("html").get_attribute("lang") == "en"
    # Each option is named in its own language.
    assert screen.locator("#language-select option").all_inner_texts() == ["Tiếng Việt", "English"]

    _open_menu(screen)
    screen.get_by_role("link", name="Log in").click()
    _log_in(screen, "0912 000 001", PASSWORD)

    expect(screen.get_by_role("heading", name="My dossiers")).to_be_visible()
    assert screen.locator("html").get_attribute("lang") == "en"
    screen.reload()
    assert screen.locator("html").get_attribute("lang") == "en"
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"


def test_five_wrong_passwords_under_different_spellings_of_one_phone_lock_the_account(live_server, screen,
                                                                                     citizen):
    for spelling in ["0912000001", "+84912000001", "84912000001", "0912 000 001", "0912.000.001"]:
        screen.goto(live_server.url + "/accounts/login/")
        _log_in(screen, spelling, "sai-mat-khau")

    screen.goto(live_server.url + "/accounts/login/")
    _log_in(screen, "citizen@example.vn", PASSWORD)

    expect(screen.get_by_role("heading", name="Tạm khóa đăng nhập")).to_be_visible()
    expect(screen.get_by_role("link", name="Nguyễn Văn An")).to_have_count(0)


def test_a_citizen_resets_their_password_through_the_emailed_link(live_server, screen, citizen):
    screen.goto(live_server.url + "/accounts/login/")
    screen.get_by_role("link", name="Quên mật khẩu?").click()
    screen.fill("input[name=identifier]", "Citizen@Example.vn")
    screen.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    expect(screen.get_by_role("heading", name="Hãy kiểm tra hộp thư")).to_be_visible()

    [sent] = mail.outbox
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", sent.body).group(0)
    screen.goto(live_server.url + link[link.index("/accounts/"):])
    screen.fill("input[name=new_password1]", "mot-mat-khau-moi-2026")
    screen.fill("input[name=new_password2]", "mot-mat-khau-moi-2026")
    screen.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(screen.get_by_role("heading", name="Đã đặt mật khẩu mới")).to_be_visible()

    screen.get_by_role("main").get_by_role("link", name="Đăng nhập").click()
    _log_in(screen, "0912000001", "mot-mat-khau-moi-2026")
    expect(screen.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
