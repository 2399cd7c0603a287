"""Issue 12: e-form fields bound to details verified by e-identity are locked to the verified values
for a verified citizen filing online for themselves; contacts stay editable where the admin says so."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from django.utils import timezone

from applications.filing import attachment_add, dossier_file, draft_create, draft_update
from applications.models import Channel, Dossier
from procedures.models import Component, Fee, FieldType, FormField, Procedure, ProcedureVersion, ProfileBinding
from procedures.transfer import catalogue_export, catalogue_import
from tests.applications.filing.builders import VALID_ID, draft_for, pdf_bytes, upload
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

HINT = "Đã xác thực qua VNeID"
ADDRESS = {"province": "Hà Nội", "commune": "Phường Ba Đình", "detail": "12 Phố Hòe Nhai"}
TAMPERED = {
    "child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05",
    "requester_name": "Người Khác", "requester_id_number": "079201004321", "requester_birth": "1990-01-01",
    "requester_address_0": "Huế", "requester_address_1": "Phường Khác", "requester_address_2": "",
    "requester_phone": "0987654321",
}


@pytest.fixture
def verified_citizen(citizen):
    citizen.id_number, citizen.identity_verified_at, citizen.identity_level = VALID_ID, timezone.now(), 2
    citizen.date_of_birth, citizen.permanent_address = date(1984, 3, 2), ADDRESS
    citizen.save()
    return citizen


@pytest.fixture
def bound_version(commune):
    version = make_procedure(agency=commune)
    for order, (key, kind, binding, editable) in enumerate([
        ("requester_name", FieldType.TEXT, ProfileBinding.FULL_NAME, False),
        ("requester_id_number", FieldType.ID_NUMBER, ProfileBinding.ID_NUMBER, False),
        ("requester_birth", FieldType.DATE, ProfileBinding.DATE_OF_BIRTH, False),
        ("requester_address", FieldType.ADDRESS, ProfileBinding.PERMANENT_ADDRESS, False),
        ("requester_phone", FieldType.PHONE, ProfileBinding.PHONE, True),
    ], start=10):
        FormField.objects.create(version=version, order=order, key=key, label=key, field_type=kind,
                                 is_required=True, prefill=binding, editable_when_verified=editable)
    return version


def _verified_draft(version, commune, owner) -> Dossier:
    dossier = draft_for(version, commune, owner)
    draft_update(dossier, {"applicant_name": owner.full_name, "applicant_id_number": owner.id_number})
    return dossier


def test_the_bound_identity_fields_are_shown_disabled_with_the_verified_values(
    client, verified_citizen, bound_version, commune
):
    dossier = _verified_draft(bound_version, commune, verified_citizen)
    client.force_login(verified_citizen)
    response = client.get(f"/dossiers/draft/{dossier.pk}/form/")
    form = response.context["form"]
    locked = {key for key, field in form.fields.items() if field.disabled}
    assert locked == {"requester_name", "requester_id_number", "requester_birth", "requester_address"}
    assert form["requester_name"].value() == "Nguyễn Văn An"
    assert form["requester_id_number"].value() == VALID_ID
    assert form["requester_birth"].value() == "1984-03-02"
    assert form["requester_address"].value() == ADDRESS
    page = response.content.decode()
    assert page.count(HINT) == 4
    assert 'name="requester_name" value="Nguyễn Văn An"' in page and "disabled" in page


def test_a_tampered_post_is_stored_with_the_verified_values_and_the_phone_as_typed(
    client, verified_citizen, bound_version, commune
):
    dossier = _verified_draft(bound_version, commune, verified_citizen)
    client.force_login(verified_citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/form/", TAMPERED)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.form_data["requester_name"] == "Nguyễn Văn An"
    assert dossier.form_data["requester_id_number"] == VALID_ID
    assert dossier.form_data["requester_birth"] == "1984-03-02"
    assert dossier.form_data["requester_address"] == ADDRESS
    assert dossier.form_data["requester_phone"] == "0987654321"  # editable_when_verified: the citizen's choice


def test_a_phone_field_not_left_editable_keeps_the_verified_phone(client, verified_citizen, bound_version, commune):
    FormField.objects.filter(key="requester_phone").update(editable_when_verified=False)
    dossier = _verified_draft(bound_version, commune, verified_citizen)
    client.force_login(verified_citizen)
    client.post(f"/dossiers/draft/{dossier.pk}/form/", TAMPERED)
    dossier.refresh_from_db()
    assert dossier.form_data["requester_phone"] == "0912000001"


def test_answers_saved_before_verification_are_filed_with_the_verified_values(
    verified_citizen, bound_version, commune
):
    dossier = _verified_draft(bound_version, commune, verified_citizen)
    draft_update(dossier, {"applicant_phone": "0912000001", "form_data": {
        "child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05", "requester_name": "Người Khác",
        "requester_id_number": "079201004321", "requester_birth": "1990-01-01",
        "requester_address": {"province": "Huế", "commune": "Phường Khác", "detail": ""},
        "requester_phone": "0987654321",
    }})
    attachment_add(dossier, bound_version.components.get(is_required=True), upload("to-khai.pdf", pdf_bytes()),
                   by=verified_citizen)
    dossier_file(dossier, actor=verified_citizen, submit_token=uuid.uuid4())
    dossier.refresh_from_db()
    assert dossier.form_data["requester_name"] == "Nguyễn Văn An"
    assert dossier.form_data["requester_id_number"] == VALID_ID
    assert dossier.form_data["requester_address"] == ADDRESS
    assert dossier.form_data["requester_phone"] == "0987654321"


def test_an_unverified_citizen_still_edits_every_field(client, citizen, bound_version, commune):
    dossier = draft_for(bound_version, commune, citizen)
    client.force_login(citizen)
    form = client.get(f"/dossiers/draft/{dossier.pk}/form/").context["form"]
    assert not any(field.disabled for field in form.fields.values())
    client.post(f"/dossiers/draft/{dossier.pk}/form/", TAMPERED)
    dossier.refresh_from_db()
    assert dossier.form_data["requester_name"] == "Người Khác"
    assert dossier.form_data["requester_birth"] == "1990-01-01"


def test_filing_at_the_counter_for_a_verified_citizen_is_unchanged(
    client, officer, verified_citizen, bound_version, commune
):
    dossier = draft_create(bound_version, commune, owner=verified_citizen, filed_by=officer,
                           channel=Channel.IN_PERSON)
    client.force_login(officer)
    form = client.get(f"/officer/guided/{dossier.pk}/form/").context["form"]
    assert not any(field.disabled for field in form.fields.values())
    client.post(f"/officer/guided/{dossier.pk}/form/", TAMPERED)
    dossier.refresh_from_db()
    assert dossier.form_data["requester_name"] == "Người Khác"


def test_the_flag_travels_with_the_catalogue(bound_version):
    data = catalogue_export()
    fields = {f["key"]: f for f in data["procedures"][0]["versions"][0]["form_fields"]}
    assert fields["requester_phone"]["editable_when_verified"] is True
    assert fields["requester_name"]["editable_when_verified"] is False
    fields["requester_name"]["editable_when_verified"] = True
    del fields["requester_id_number"]["editable_when_verified"]  # a catalogue exported before the flag
    del fields["requester_phone"]["editable_when_verified"]
    Procedure.objects.update(current_version=None)
    for model in (Component, Fee, FormField, ProcedureVersion, Procedure):
        model.objects.all().delete()
    catalogue_import(data)
    stored = dict(FormField.objects.values_list("key", "editable_when_verified"))
    assert stored["requester_name"] is True
    assert stored["requester_id_number"] is False  # identity details lock by default
    assert stored["requester_phone"] is True  # contacts stay editable by default
    assert stored["requester_birth"] is False
