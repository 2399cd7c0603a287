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
