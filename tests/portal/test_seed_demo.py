from io import StringIO

import pytest

from django.core.management import call_command

from accounts.models import Agency, Role, User

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(User.objects.values_list("email", "role", "agency__eid_code", "password")),
        sorted(Agency.objects.values_list("eid_code", "name")),
    )


def test_seed_demo_creates_the_demo_accounts_and_running_it_twice_changes_nothing(client):
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first

    roles = dict(User.objects.values_list("email", "role"))
    assert roles["officer@example.vn"] == Role.OFFICER
    assert roles["officer.b@example.vn"] == Role.OFFICER
    assert roles["leader@example.vn"] == Role.LEADER
    officer, officer_b = User.objects.get(email="officer@example.vn"), User.objects.get(email="officer.b@example.vn")
    assert officer.agency != officer_b.agency
    assert officer.agency.parent == officer_b.agency.parent
    response = client.post("/accounts/login/", {"username": "citizen@example.vn", "password": "demo-password-2026"})
    assert response.status_code == 302
    admin = User.objects.get(email="admin@example.vn")
    assert admin.is_staff and admin.is_superuser


def test_seed_demo_gives_the_demo_staff_an_authenticator_with_the_published_secret(client, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo import DEMO_TOTP_SECRET
    from tests.support.two_factor import totp_code_from_secret

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    officer = User.objects.get(email="officer@example.vn")
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user__role=Role.CITIZEN).exists()
    call_command("seed_demo", stdout=StringIO())  # twice changes nothing
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    # Any authenticator app holding the printed secret signs the officer in.
    response = client.post("/accounts/login/", {"username": "officer@example.vn", "password": "demo-password-2026"},
                           follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/verify/")
    response = client.post(response.redirect_chain[-1][0],
                           {"otp_token": totp_code_from_secret(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/officer/").status_code == 200


def test_seed_demo_refuses_known_secret_devices_when_debug_is_off(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo import DEMO_TOTP_SECRET, DemoSecretRefused, staff_demo_devices_give

    settings.DEBUG = False
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)

    assert not TOTPDevice.objects.exists()
    assert DEMO_TOTP_SECRET not in out.getvalue() + err.getvalue()
    assert "không tạo thiết bị xác thực hai lớp mẫu" in err.getvalue()
    with pytest.raises(DemoSecretRefused):
        staff_demo_devices_give()
    assert not TOTPDevice.objects.exists()
