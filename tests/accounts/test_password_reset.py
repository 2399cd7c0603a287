"""Password reset: by email or SMS through the outbox, the same answer for every address,
single-use expiring links, throttled."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password-reset")
NEW = "mot-mat-khau-moi-2026"


def _link(text: str) -> str:
    return urlsplit(re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", text).group(0)).path


def _reset_with(client, link: str, password: str = NEW):
    form_page = client.get(link)  # redirects to the same path with the token swapped out of the URL
    assert form_page.status_code == 302
    return client.post(form_page["Location"], {"new_password1": password, "new_password2": password})


def test_a_citizen_resets_their_password_through_the_emailed_link(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"identifier": "CITIZEN@example.vn"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    [sent] = mail.outbox
    assert sent.to == ["citizen@example.vn"]
    link = _link(sent.body)

    done = _reset_with(client, link)

    assert done["Location"] == reverse("accounts:password-reset-complete")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert client.post(reverse("accounts:login"), {"username": "0912000001", "password": NEW}).status_code == 302


def test_the_link_works_only_once(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"identifier": "citizen@example.vn"})
    link = _link(mail.outbox[0].body)
    _reset_with(client, link)

    second = client.get(link, follow=True)

    assert "Liên kết không còn dùng được" in second.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)


def test_the_link_expires(client, citizen, settings, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"identifier": "citizen@example.vn"})
    link = _link(mail.outbox[0].body)
    settings.PASSWORD_RESET_TIMEOUT = 60
    from accounts.tokens import password_reset_token_generator

    later = password_reset_token_generator._now() + timedelta(minutes=2)
    monkeypatch.setattr(type(password_reset_token_generator), "_now", lambda self: later)

    page = client.get(link, follow=True)

    assert "Liên kết không còn dùng được" in page.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_a_phone_number_gets_the_link_by_sms(client, citizen):
    client.post(RESET, {"identifier": "+84 912 000 001"})

    [message] = Notification.objects.filter(event="password_reset")
    assert message.channel == "sms" and message.to_address == "0912000001"
    assert "/accounts/password-reset/" in message.body
    assert not Notification.objects.filter(channel="email").exists()


def test_the_answer_is_the_same_for_an_unknown_address(client, citizen):
    known = client.post(RESET, {"identifier": "citizen@example.vn"})
    unknown = client.post(RESET, {"identifier": "nobody@example.vn"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert Notification.objects.filter(event="password_reset").count() == 1


def test_a_switched_off_account_gets_nothing(client, citizen):
    citizen.is_active = False
    citizen.last_login = citizen.date_joined
    citizen.save()
    assert client.post(RESET, {"identifier": "citizen@example.vn"}).status_code == 302
    assert not Notification.objects.exists()


def test_requests_are_throttled_per_account_whatever_the_spelling(client, citizen, settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 2
    for index, spelling in enumerate(["CITIZEN@example.vn", "+84912000001"]):
        client.post(RESET, {"identifier": spelling}, REMOTE_ADDR=f"10.0.0.{index}")

    limited = client.post(RESET, {"identifier": "0912 000 001"}, REMOTE_ADDR="10.0.0.9")

    assert limited.status_code == 429
    assert "quá nhiều lần" in limited.content.decode()
    assert Notification.objects.filter(event="password_reset").count() == 2


def test_requests_are_throttled_per_address(client, citizen, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 2
    client.post(RESET, {"identifier": "a@example.vn"})
    client.post(RESET, {"identifier": "b@example.vn"})
    assert client.post(RESET, {"identifier": "citizen@example.vn"}).status_code == 429
    assert not Notification.objects.exists()


def test_a_reset_lifts_the_guessing_lock(client, citizen, settings, django_capture_on_commit_callbacks):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "0912000001", "password": "wrong"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"identifier": "citizen@example.vn"})
    _reset_with(client, _link(mail.outbox[0].body))

    assert client.post(reverse("accounts:login"), {"username": "0912000001", "password": NEW}).status_code == 302


@pytest.mark.parametrize("identifier, message", [("", "bắt buộc"), ("khong-phai-email", "Hãy nhập thư điện tử")])
def test_bad_input_gets_a_clear_vietnamese_error(client, db, identifier, message):
    response = client.post(RESET, {"identifier": identifier})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_mismatched_new_passwords_say_so(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"identifier": "citizen@example.vn"})
    form_url = client.get(_link(mail.outbox[0].body))["Location"]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "Hai mật khẩu không khớp" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_the_outbox_admin_never_shows_a_reset_link(client, citizen, admin_user):
    client.post(RESET, {"identifier": "citizen@example.vn"})
    message = Notification.objects.get(event="password_reset")
    token_path = message.link
    client.force_login(admin_user)

    page = client.get(reverse("admin:notifications_notification_change", args=[message.pk])).content.decode()

    assert token_path.rsplit("/", 2)[-2] not in page
    assert "ẩn: có liên kết đăng nhập dùng một lần" in page


def test_the_reset_pages_keep_a_small_query_budget(client, citizen, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(RESET).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.post(RESET, {"identifier": "citizen@example.vn"}).status_code == 302


def test_the_outbox_admin_still_shows_ordinary_messages(client, citizen, admin_user):
    message = Notification.objects.create(event="received", channel="email", to_address="citizen@example.vn",
                                          dedupe_key="admin:1", subject="S", body="Hồ sơ HS-1 đã được tiếp nhận",
                                          link="/dossiers/HS-1/")
    client.force_login(admin_user)

    page = client.get(reverse("admin:notifications_notification_change", args=[message.pk])).content.decode()

    assert "Hồ sơ HS-1 đã được tiếp nhận" in page and "/dossiers/HS-1/" in page
