"""Details verified by e-identity pre-fill filing and cannot be changed there; contacts stay editable."""

from __future__ import annotations

import pytest

from django.utils import timezone

from applications.models import Dossier
from tests.applications.filing.builders import VALID_ID, draft_for
from tests.applications.filing.test_drafts import applicant_post
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_citizen(citizen):
    citizen.id_number, citizen.identity_verified_at, citizen.identity_level = VALID_ID, timezone.now(), 2
    citizen.save()
    return citizen


def test_step_one_keeps_the_verified_name_and_number_whatever_is_posted(client, verified_citizen, commune):
    version = make_procedure(agency=commune)
    client.force_login(verified_citizen)
    page = client.get(f"/procedures/{version.procedure.code}/apply/").content.decode()
    assert "Đã xác thực qua định danh điện tử, không sửa được." in page

    client.post(f"/procedures/{version.procedure.code}/apply/", applicant_post(
        commune, applicant_name="Người Khác", applicant_id_number="079201004321", applicant_phone="0987654321"))

    dossier = Dossier.objects.get()
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Nguyễn Văn An", VALID_ID)
    assert dossier.applicant_phone == "0987654321"  # a contact phone stays the citizen's to change


def test_a_later_visit_to_step_one_is_locked_too(client, verified_citizen, commune):
    dossier = draft_for(make_procedure(agency=commune), commune, verified_citizen)
    client.force_login(verified_citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/applicant/",
                           applicant_post(commune, applicant_id_number="079201004321", applicant_phone="0987654321"))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_phone == "0987654321"
    assert dossier.applicant_id_number == VALID_ID


def test_an_unverified_citizen_still_types_freely(client, citizen, commune):
    version = make_procedure(agency=commune)
    client.force_login(citizen)
    client.post(f"/procedures/{version.procedure.code}/apply/", applicant_post(commune, applicant_name="Tên Khác"))
    assert Dossier.objects.get().applicant_name == "Tên Khác"


def test_the_profile_name_is_locked_once_verified(client, verified_citizen):
    client.force_login(verified_citizen)
    client.post("/accounts/profile/", {"full_name": "Tên Giả", "preferred_language": "vi", "address": ""})
    verified_citizen.refresh_from_db()
    assert verified_citizen.full_name == "Nguyễn Văn An"
