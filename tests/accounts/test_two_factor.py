"""The staff second factor: enrolment, the code at every sign-in, the admin site, replay, throttling.

These tests drive the pages themselves (the `second_factor` marker: force_login leaves the session
unverified, as a password alone does), computing codes from the device's secret as an app would.
"""

from __future__ import annotations

import re
import time

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.admin_site import SecondFactorAdminSite
from accounts.models import Role
from tests.conftest import make_user
from tests.support.two_factor import totp_code, totp_code_from_secret

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def _verify(client, user, code=None, next_url="/officer/"):
    return client.post(VERIFY, {"otp_token": code or totp_code(_device(user)), "next": next_url})


def _secret_on(page: str) -> str:
    return re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)


def test_an_officer_without_a_device_enrols_on_first_sign_in_and_gets_recovery_codes(client, officer):
    TOTPDevice.objects.filter(user=officer).delete()
    client.force_login(officer)

    response = client.get("/officer/")
    assert response.status_code == 302 and response["Location"] == SETUP + "?next=%2Fofficer%2F"
    page = client.get(response["Location"]).content.decode()
    secret = _secret_on(page)
    assert 'src="data:image/svg+xml' in page  # the QR code of the otpauth:// URL
    # The same secret until it is confirmed (a reload must not invalidate the phone's entry).
    assert _secret_on(client.get(SETUP).content.decode()) == secret

    refused = client.post(SETUP, {"otp_token": "000000", "next": "/officer/"})
    assert refused.status_code == 400 and "Mã xác thực không đúng" in refused.content.decode()
    assert client.get("/officer/").status_code == 302
    time.sleep(1.1)  # django-otp's own delay after a wrong code (1 s, then 2, 4…)

    done = client.post(SETUP, {"otp_token": totp_code_from_secret(secret), "next": "/officer/"})
    assert done.status_code == 302 and done["Location"].startswith("/accounts/two-factor/recovery-codes/")
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticDevice.objects.get(user=officer).token_set.values_list("token", flat=True))
    # Shown once only.
    assert not re.findall(r'<li class="col">([a-z2-7]{8})</li>', client.get(done["Location"]).content.decode())
    assert client.get("/officer/").status_code == 200
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1


@pytest.mark.parametrize("persona", ["officer", "specialist", "leader", "admin_user"])
def test_every_staff_role_is_stopped_before_the_back_office_and_the_admin_until_the_code(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for path in ("/officer/", "/officer/tracking-book/", "/admin/", "/admin/accounts/user/", "/payments/report/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path
    assert _verify(client, user)["Location"] == "/officer/"
    landing = "/admin/" if persona == "admin_user" else "/officer/"
    assert client.get(landing).status_code == 200


def test_a_citizen_is_never_asked_for_a_second_factor(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("applications:my-dossiers")).status_code == 200
    assert client.get(SETUP).status_code == 403


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_queue(client, officer, caplog):
    client.force_login(officer)
    refused = _verify(client, officer, code="123456")
    assert refused.status_code == 400
    assert "Mã xác thực không đúng hoặc đã được dùng" in refused.content.decode()
    assert f"Second factor failed (wrong) for user {officer.pk}" in caplog.text
    assert client.get("/officer/").status_code == 302
    time.sleep(1.1)
    assert _verify(client, officer).status_code == 302
    assert client.get("/officer/").status_code == 200


def test_a_totp_code_is_accepted_once_even_inside_its_window(officer):
    """pyotp#61: a code seen over a shoulder (or in a proxy log) must not open a second session."""
    code = totp_code(_device(officer))
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(officer)
    assert _verify(first, officer, code=code).status_code == 302
    replay = _verify(second, officer, code=code)
    assert replay.status_code == 400
    assert second.get("/officer/").status_code == 302


def test_a_recovery_code_works_once(client, officer):
    from accounts.two_factor import recovery_codes_issue

    codes = recovery_codes_issue(officer)
    client.force_login(officer)
    response = _verify(client, officer, code=codes[0].upper())
    assert response.status_code == 302
    assert "còn 9 mã" in client.get("/officer/").content.decode()
    again = Client()
    again.force_login(officer)
    assert _verify(again, officer, code=codes[0]).status_code == 400


def test_wrong_codes_lock_the_account_even_for_the_right_code(client, officer, settings, caplog):
    settings.OTP_FAILURE_ACCOUNT_LIMIT = 3
    client.force_login(officer)
    for _ in range(3):
        assert _verify(client, officer, code="000000").status_code in (400, 429)
    locked = _verify(client, officer)
    assert locked.status_code == 429
    assert "quá nhiều lần" in locked.content.decode()
    assert client.get("/officer/").status_code == 302
    assert "Second factor refused (too many failures)" in caplog.text
    # Another address does not help: the count belongs to the account.
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    elsewhere.force_login(officer)
    assert _verify(elsewhere, officer).status_code == 429


def test_wrong_codes_from_one_address_lock_that_address_across_accounts(officer, specialist, leader, settings):
    settings.OTP_FAILURE_IP_LIMIT = 2
    for user in (officer, specialist):
        guesser = Client(REMOTE_ADDR="203.0.113.7")
        guesser.force_login(user)
        assert _verify(guesser, user, code="000000").status_code == 400
    same_address = Client(REMOTE_ADDR="203.0.113.7")
    same_address.force_login(leader)
    assert _verify(same_address, leader).status_code == 429
    other_address = Client(REMOTE_ADDR="203.0.113.8")
    other_address.force_login(leader)
    assert _verify(other_address, leader).status_code == 302


def test_a_password_alone_cannot_enrol_a_second_device(client, officer):
    """Someone who learnt the password must not add their own phone next to the officer's."""
    client.force_login(officer)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    client.post(SETUP, {"otp_token": "123456"})
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_the_admin_site_itself_refuses_an_unverified_staff_session():
    """django-two-factor-auth#219/#66: the admin must check the second factor, not only our pages."""
    site = SecondFactorAdminSite()
    factory = RequestFactory()
    user = make_user("root@example.vn", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()

    request = factory.get("/admin/")
    request.user = user
    user.is_verified = lambda: False  # what django-otp's middleware sets for a session without a device
    assert site.has_permission(request) is False
    user.is_verified = lambda: True
    assert site.has_permission(request) is True
    request.user = AnonymousUser()
    assert site.has_permission(request) is False


def test_the_admin_stays_closed_without_the_portal_middleware(client, admin_user, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "portal.middleware.StaffSecondFactorMiddleware"]
    client.force_login(admin_user)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_setting_turns_the_second_factor_off_only_with_debug_on(client, officer, settings):
    settings.STAFF_2FA_REQUIRED = False
    settings.DEBUG = True
    client.force_login(officer)
    assert client.get("/officer/").status_code == 200
    settings.DEBUG = False
    assert client.get("/officer/").status_code == 302


def test_settings_refuse_the_second_factor_off_without_debug():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "0", "STAFF_2FA_REQUIRED": "0", "SECRET_KEY": "x" * 50}
    result = subprocess.run([sys.executable, "-c", "import portal.settings"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "STAFF_2FA_REQUIRED can be off only with DEBUG on" in result.stderr


def test_the_code_page_stays_within_its_query_budget(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    client.get(VERIFY)
    with django_assert_max_num_queries(8):
        assert client.get(VERIFY).status_code == 200
