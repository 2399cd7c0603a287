"""Guessing is throttled per account, whatever spelling of the email or phone is typed, and per address."""

import pytest

from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")

PHONE_SPELLINGS = ["0912000001", "+84912000001", "84912000001", "0912 000 001", "0912.000.001"]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_under_different_spellings_of_one_phone_lock_the_account(client, citizen, settings):
    assert settings.AXES_FAILURE_LIMIT == len(PHONE_SPELLINGS)
    for spelling in PHONE_SPELLINGS:
        client.post(LOGIN, {"username": spelling, "password": "wrong-password"})

    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD})

    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not _logged_in(client)


def test_email_case_does_not_give_fresh_attempts(client, citizen, settings):
    for spelling in ["citizen@example.vn", "CITIZEN@EXAMPLE.VN", "Citizen@Example.vn", " citizen@EXAMPLE.vn",
                     "citizen@example.VN"]:
        client.post(LOGIN, {"username": spelling, "password": "wrong-password"})

    assert client.post(LOGIN, {"username": "0912000001", "password": PASSWORD}).status_code == 429


def test_the_account_lock_holds_from_another_address(client, citizen, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": PHONE_SPELLINGS[index % 5], "password": "x"}, REMOTE_ADDR=f"10.0.0.{index}")

    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 429


def test_the_admin_login_shares_the_account_lock(client, admin_user, settings):
    admin_user.phone = "0912000099"
    admin_user.save()
    for spelling in ["ADMIN@example.vn", "0912000099", "+84 912 000 099", "admin@EXAMPLE.vn", "84912000099"]:
        client.post(ADMIN_LOGIN, {"username": spelling, "password": "wrong-password"})

    response = client.post(ADMIN_LOGIN, {"username": "admin@example.vn", "password": PASSWORD})

    assert response.status_code == 429
    assert not _logged_in(client)


def test_one_address_guessing_across_many_accounts_is_stopped(client, citizen, other_citizen, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    for index in range(4):
        client.post(LOGIN, {"username": f"nobody{index}@example.vn", "password": "x"})

    blocked = client.post(LOGIN, {"username": "citizen2@example.vn", "password": PASSWORD})
    elsewhere = client.post(LOGIN, {"username": "citizen2@example.vn", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_behind_a_proxy_the_forwarded_client_address_is_counted(client, other_citizen, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_HOPS = 1
    for _ in range(2):
        client.post(LOGIN, {"username": "nobody@example.vn", "password": "x"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")

    # Another citizen behind the same proxy is not locked out by the first one's failures …
    other = client.post(LOGIN, {"username": "citizen2@example.vn", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302
    client.logout()
    # … and a forged left-most entry does not reset the guesser's own count.
    again = client.post(LOGIN, {"username": "citizen2@example.vn", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert again.status_code == 429


def test_a_few_mistakes_do_not_lock_and_success_clears_them(client, citizen, settings):
    for spelling in PHONE_SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        client.post(LOGIN, {"username": spelling, "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "0912000001", "password": PASSWORD}).status_code == 302
    client.logout()

    for spelling in PHONE_SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        client.post(LOGIN, {"username": spelling, "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD}).status_code == 302


def test_the_lock_records_the_account_not_the_typed_phone_number(client, citizen):
    from axes.models import AccessAttempt

    client.post(LOGIN, {"username": "+84 912 000 001", "password": "wrong-password"})

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [f"user:{citizen.pk}"]
