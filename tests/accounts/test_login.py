import pytest

from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.mark.parametrize("identifier", ["citizen@example.vn", "CITIZEN@example.vn", "0912000001", "+84 912 000 001"])
def test_citizen_logs_in_with_email_or_phone(client, citizen, identifier):
    response = client.post(LOGIN, {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == citizen


def test_wrong_password_gives_a_clear_message(client, citizen):
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": "wrong-password"})
    assert response.status_code == 200
    assert "mật khẩu không đúng" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_login_is_throttled_after_repeated_failures(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "citizen@example.vn", "password": "wrong-password"})
    # Even the right password is refused while the lock holds.
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_login_sets_the_users_language(client, citizen):
    citizen.preferred_language = "en"
    citizen.save()
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD})
    assert response.cookies["portal_language"].value == "en"


def test_logout_needs_post(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings as django_settings

    from portal import settings as portal_settings

    assert portal_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_USER_MODEL == "accounts.User"
