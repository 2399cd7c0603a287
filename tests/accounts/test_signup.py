import re
from urllib.parse import urlsplit

import pytest

from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from notifications.models import Notification
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
GOOD = {
    "full_name": "  Lý   Thị Mai ",
    "email": "mai@example.vn",
    "phone": "",
    "password1": "mot-mat-khau-dai-2026",
    "password2": "mot-mat-khau-dai-2026",
    "consent": "on",
}


def _outbox(**filters):
    return list(Notification.objects.filter(**filters).order_by("pk"))


def test_citizen_signs_up_with_email_and_activates_through_the_emailed_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, GOOD)
    assert response["Location"] == reverse("accounts:signup-sent")
    user = User.objects.get(email="mai@example.vn")
    assert user.full_name == "Lý Thị Mai"
    assert user.role == Role.CITIZEN
    assert user.groups.filter(name="Công dân").exists()
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    [message] = _outbox(event="account_activate")
    assert message.channel == "email" and message.to_address == "mai@example.vn"
    [sent] = mail.outbox
    link = re.search(r"https?://\S+/accounts/activate/\S+/", sent.body).group(0)

    activated = client.get(urlsplit(link).path)

    assert activated["Location"] == reverse("applications:my-dossiers")
    user.refresh_from_db()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    # The link is spent.
    client.logout()
    assert client.get(urlsplit(link).path).status_code == 400


def test_citizen_signs_up_with_phone_only_and_gets_the_link_by_sms(client):
    response = client.post(SIGNUP, {**GOOD, "email": "", "phone": "0987 654 321"})
    assert response.status_code == 302
    user = User.objects.get(phone="0987654321")
    assert user.email is None
    [message] = _outbox(event="account_activate")
    assert message.channel == "sms" and message.to_address == "0987654321"
    assert "/accounts/activate/" in message.body


@pytest.mark.parametrize("taken", [{"email": "Citizen@Example.vn"}, {"email": "", "phone": "+84912000001"}])
def test_signup_with_a_used_address_looks_exactly_like_a_new_signup(client, citizen, taken):
    fresh = client.post(SIGNUP, {**GOOD, "email": "new@example.vn"})
    client.cookies.clear()
    used = client.post(SIGNUP, {**GOOD, **taken})

    assert used.status_code == fresh.status_code == 302
    assert used["Location"] == fresh["Location"]
    assert "đã được dùng" not in client.get(used["Location"]).content.decode()
    assert User.objects.count() == 2
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.check_password(PASSWORD)
    # The owner of the address hears about it, with a way back in.
    [notice] = _outbox(event="signup_existing")
    assert notice.recipient == citizen
    assert notice.to_address == ("citizen@example.vn" if taken.get("email") else "0912000001")
    assert "/accounts/password-reset/" in notice.body


@pytest.mark.parametrize(
    "change, message",
    [
        ({"email": "", "phone": ""}, "Hãy nhập thư điện tử hoặc số điện thoại"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"password2": "khac-hoan-toan-2026"}, "Hai mật khẩu không khớp"),
        ({"consent": ""}, "đồng ý với việc xử lý dữ liệu cá nhân"),
        ({"password1": "123", "password2": "123"}, "Mật khẩu"),
    ],
)
def test_bad_signup_input_gets_a_clear_vietnamese_error(client, change, message):
    response = client.post(SIGNUP, {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
