"""A dossier records whether its applicant was identified through e-identity, and at which level
(TaiKhoanDuocXacThucVoiVNeID in the national sync)."""

from __future__ import annotations

import uuid

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.filing import dossier_file, draft_update
from tests.applications.filing.builders import VALID_ID, draft_for, make_complete
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def verified(user, level: int = 2):
    user.id_number, user.identity_verified_at, user.identity_level = VALID_ID, timezone.now(), level
    user.save()
    return user


def filed(dossier, actor):
    return dossier_file(dossier, actor=actor, submit_token=uuid.uuid4(), consent=True)


def test_a_citizen_verified_by_e_identity_files_a_flagged_dossier(citizen, commune):
    verified(citizen, level=2)
    dossier = filed(make_complete(draft_for(make_procedure(agency=commune), commune, citizen), citizen), citizen)
    dossier.refresh_from_db()
    assert (dossier.applicant_eid_verified, dossier.applicant_eid_level) == (True, 2)


def test_a_password_account_with_a_typed_number_is_not_flagged(citizen, commune):
    citizen.id_number = VALID_ID
    citizen.save()
    dossier = filed(make_complete(draft_for(make_procedure(agency=commune), commune, citizen), citizen), citizen)
    dossier.refresh_from_db()
    assert (dossier.applicant_eid_verified, dossier.applicant_eid_level) == (False, None)


def test_a_verified_citizen_filing_as_someone_else_is_not_flagged(citizen, commune):
    verified(citizen)
    draft = make_complete(draft_for(make_procedure(agency=commune), commune, citizen), citizen)
    draft_update(draft, {"applicant_id_number": "079201004321", "applicant_name": "Lê Văn Cường"})
    dossier = filed(draft, citizen)
    dossier.refresh_from_db()
    assert dossier.applicant_eid_verified is False


def test_an_officer_filing_for_a_walk_in_is_not_flagged(citizen, officer, commune):
    verified(citizen)
    draft = make_complete(draft_for(make_procedure(agency=commune), commune, citizen, filed_by=officer), officer)
    dossier = filed(draft, officer)
    dossier.refresh_from_db()
    assert dossier.applicant_eid_verified is False


def test_the_officer_sees_that_the_applicant_was_identified_by_vneid(client, citizen, officer, commune):
    verified(citizen, level=2)
    dossier = filed(make_complete(draft_for(make_procedure(agency=commune), commune, citizen), citizen), citizen)
    client.force_login(officer)
    page = client.get(reverse("applications:officer-dossier", args=[dossier.code])).content.decode()
    assert "Tài khoản được xác thực với VNeID (mức 2)" in page
