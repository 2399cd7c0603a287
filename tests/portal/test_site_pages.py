import pytest

from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "Tìm thủ tục hành chính" in response.content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Find an administrative procedure" in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Tìm thủ tục hành chính" in client.get("/").content.decode()


def test_unknown_language_code_falls_back_to_vietnamese(client):
    client.cookies["portal_language"] = "xx"
    response = client.get("/")
    assert response["Content-Language"] == "vi"
    response = client.post(reverse("set_language"), {"language": "klingon", "next": "/"})
    assert client.get("/")["Content-Language"] == "vi"


def test_unknown_url_gives_the_vietnamese_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_post_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@example.vn", "password": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "cdn" not in response.content.decode().lower()


def test_dates_are_shown_day_first():
    from datetime import date

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(date(2026, 2, 17)) == "17/02/2026"
    with translation.override("en"):
        assert formats.date_format(date(2026, 2, 17)) == "17/02/2026"


def test_money_is_written_in_integer_dong():
    from portal.templatetags.portal_extras import vnd

    assert vnd(1250000) == "1.250.000 đ"
    assert vnd(0) == "0 đ"


def test_an_oversized_request_body_is_refused_before_it_is_read(client, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1000
    response = client.post("/accounts/signup/", {"full_name": "x" * 2000})
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.content.decode()


def _menu(html: str) -> str:
    return html[html.index('<ul class="navbar-nav me-auto">'):html.index('<ul class="navbar-nav">')]


def test_the_signed_in_menu_is_cached_per_role_and_language_never_shared(citizen, officer):
    """The banner and menu are a cached fragment per (language, role); the rest of the header is per request."""
    people = {}
    for user in (citizen, officer, citizen, officer):
        client = Client()
        client.force_login(user)
        html = client.get("/procedures/").content.decode()
        people.setdefault(user.role, []).append(html)
        assert f">{user.full_name}</a>" in html
        assert 'name="csrfmiddlewaretoken"' in html.split('<ul class="navbar-nav">', 1)[1]
    citizen_menu, officer_menu = _menu(people["citizen"][1]), _menu(people["officer"][1])
    assert 'href="/dossiers/"' in citizen_menu and 'href="/officer/"' not in citizen_menu
    assert 'href="/officer/"' in officer_menu and 'href="/dossiers/"' not in officer_menu
    assert _menu(people["citizen"][0]) == citizen_menu and _menu(people["officer"][0]) == officer_menu
    client = Client()
    client.force_login(citizen)
    client.cookies["portal_language"] = "en"
    english = client.get("/procedures/").content.decode()
    assert "Trang chủ" in citizen_menu and "Trang chủ" not in _menu(english)
    assert '<option value="en" lang="en" selected>' in english
    assert '<option value="vi" lang="vi" selected>' in people["citizen"][1]
