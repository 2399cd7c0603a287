"""The Django admin shows no ID number in full, and its reads of a dossier are in the access log."""

import pytest

from django.urls import reverse

from accounts.models import Role
from applications.models import AccessKind, DossierAccess, DossierEvent
from procedures.models import FormField
from tests.conftest import make_user
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db
MOTHER_ID = "001190000123"
FATHER_ID = "038085000456"
OLD_CARD = "123456789"


@pytest.fixture
def dossier(commune, citizen):
    version = make_procedure(agency=commune)
    FormField.objects.create(version=version, order=3, key="mother_id", label="Số định danh của mẹ",
                             field_type="id_number")
    return make_dossier(version, commune, citizen, applicant_id_number=FATHER_ID, form_data={
        "child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05", "mother_id": MOTHER_ID,
        "note": f"Cha: {FATHER_ID}, CMND cũ {OLD_CARD}", "phone": "0912000001",
    })


@pytest.fixture
def staff_admin(province):
    """A member of staff with admin access but no agency role: their reads are logged all the same."""
    user = make_user("helpdesk@example.vn", Role.CITIZEN, full_name="Hỗ trợ kỹ thuật")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize("persona", ["admin_user", "staff_admin"])
def test_the_dossier_page_masks_every_id_number_and_is_logged(client, request, dossier, persona):
    reader = request.getfixturevalue(persona)
    client.force_login(reader)

    page = client.get(reverse("admin:applications_dossier_change", args=[dossier.pk])).content.decode()

    for number in (MOTHER_ID, FATHER_ID, OLD_CARD):
        assert number not in page
    assert "•••••••••123" in page and "•••••••••456" in page
    assert "Nguyễn Văn Bé" in page and "0912000001" in page
    [entry] = DossierAccess.objects.all()
    assert (entry.dossier_id, entry.user_id, entry.kind) == (dossier.pk, reader.pk, AccessKind.DOSSIER)


def test_an_event_page_masks_its_data_and_is_logged(client, admin_user, dossier):
    event = DossierEvent.objects.create(dossier=dossier, action="note", at=dossier.submitted_at,
                                        data={"changed": {"applicant_id_number": FATHER_ID}})
    client.force_login(admin_user)

    page = client.get(reverse("admin:applications_dossierevent_change", args=[event.pk])).content.decode()

    assert FATHER_ID not in page and "•••••••••456" in page
    assert DossierAccess.objects.filter(dossier=dossier, user=admin_user).count() == 1


def test_lists_and_missing_dossiers_are_not_logged_as_reads(client, admin_user, dossier):
    client.force_login(admin_user)
    client.get(reverse("admin:applications_dossier_changelist"))
    client.get(reverse("admin:applications_dossier_change", args=[dossier.pk + 999]))
    assert not DossierAccess.objects.exists()


def test_the_admin_page_keeps_a_small_query_budget(client, admin_user, dossier, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:applications_dossier_change", args=[dossier.pk])).status_code == 200
