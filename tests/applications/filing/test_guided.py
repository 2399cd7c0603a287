"""Guided filing at the counter: an officer files for a walk-in citizen and may receive at once."""

import uuid

import pytest

from applications.models import Channel, Dossier, DossierEvent, Status
from tests.applications.filing.builders import VALID_ID, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def fill_and_submit(client, dossier, *, receive_now=True):
    component = dossier.procedure_version.components.get(is_required=True)
    client.post(f"/officer/guided/{dossier.pk}/applicant/", {
        "agency": dossier.agency_id, "applicant_name": dossier.applicant_name or "Lê Văn Khách",
        "applicant_id_number": VALID_ID, "applicant_phone": "0987654321", "applicant_email": "",
        "applicant_address": "Thôn 2", "subject_relation": "self", "result_delivery": "online",
    })
    client.post(f"/officer/guided/{dossier.pk}/form/", {"child_name": "Lê Thị Nhỏ", "birth_date": "2026-02-01"})
    client.post(f"/officer/guided/{dossier.pk}/attachments/",
                {"upload": component.pk, f"c{component.pk}-files": [upload("scan.pdf", pdf_bytes())]})
    data = {"submit_token": str(uuid.uuid4())}
    if receive_now:
        data["receive_now"] = "on"
    return client.post(f"/officer/guided/{dossier.pk}/review/", data)


def test_guided_filing_is_for_officers_only(client, citizen, specialist):
    client.force_login(citizen)
    assert client.get("/officer/guided/").status_code == 403
    client.force_login(specialist)
    assert client.get("/officer/guided/").status_code == 403


def test_the_officer_finds_a_citizen_by_id_number_or_phone_by_post(client, officer, citizen, other_citizen):
    citizen.id_number = VALID_ID
    citizen.save(update_fields=["id_number"])
    client.force_login(officer)
    by_id = client.post("/officer/guided/", {"action": "search", "identifier": "001 084 000 999"})
    assert by_id.context["found"] == citizen
    by_phone = client.post("/officer/guided/", {"action": "search", "identifier": "+84 912 000 002"})
    assert by_phone.context["found"] == other_citizen
    nobody = client.post("/officer/guided/", {"action": "search", "identifier": "0900000000"})
    assert nobody.context["found"] is None and nobody.context["searched"]
    # A name or an email is not an exact identifier a walk-in shows: refused with a clear message.
    by_email = client.post("/officer/guided/", {"action": "search", "identifier": "citizen@example.vn"})
    assert by_email.status_code == 400 and "số định danh cá nhân (12 chữ số)" in by_email.content.decode()


def test_only_procedures_the_officers_agency_receives_are_offered(client, officer, version, other_commune):
    from tests.factories import make_procedure

    elsewhere = make_procedure(agency=other_commune)
    client.force_login(officer)
    offered = list(client.get("/officer/guided/").context["start_form"].fields["version"].queryset)
    assert version in offered and elsewhere not in offered
    refused = client.post("/officer/guided/", {"action": "start", "version": elsewhere.pk, "channel": "in_person"})
    assert refused.status_code == 400 and not Dossier.objects.exists()


def test_filing_for_a_citizen_with_an_account_and_receiving_in_the_same_visit(client, officer, citizen, version):
    client.force_login(officer)
    response = client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": citizen.phone,
                                                "channel": "in_person"})
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/officer/guided/{dossier.pk}/applicant/"
    assert dossier.owner == citizen and dossier.filed_by == officer and dossier.channel == Channel.IN_PERSON
    assert dossier.applicant_name == citizen.full_name  # prefilled from the account

    done = fill_and_submit(client, dossier)

    dossier.refresh_from_db()
    assert done["Location"] == f"/officer/guided/{dossier.pk}/done/"
    assert dossier.status == Status.RECEIVED and dossier.code and dossier.due_current
    assert dossier.attachments.get().is_digitised
    submit_event = DossierEvent.objects.get(dossier=dossier, action="submitted")
    assert submit_event.actor == officer and submit_event.on_behalf_of == "Nguyễn Văn An"
    assert DossierEvent.objects.filter(dossier=dossier, action="received", actor=officer).exists()
    page = client.get(done["Location"]).content.decode()
    assert dossier.code in page
    # The citizen sees it among their own dossiers.
    client.force_login(citizen)
    assert dossier.code in client.get("/dossiers/").content.decode()


def test_filing_for_a_walk_in_without_an_account(client, officer, version):
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": "",
                                     "channel": "in_person"})
    dossier = Dossier.objects.get()
    assert dossier.owner is None and dossier.applicant_name == ""

    fill_and_submit(client, dossier, receive_now=False)

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.owner is None
    assert (dossier.applicant_name, dossier.applicant_phone) == ("Lê Văn Khách", "0987654321")
    assert DossierEvent.objects.get(dossier=dossier, action="submitted").on_behalf_of == "Lê Văn Khách"


def test_a_guided_dossier_records_when_the_processing_notice_was_given(client, officer, version):
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    dossier = Dossier.objects.get()
    fill_and_submit(client, dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    second = Dossier.objects.exclude(pk=dossier.pk).get()
    assert dossier.consent_at is not None
    response = client.post(f"/officer/guided/{second.pk}/review/", {"submit_token": str(uuid.uuid4())})
    assert response.status_code == 400  # incomplete: nothing filled yet
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_officers_find_guided_filing_in_the_navigation(client, officer, citizen):
    client.force_login(officer)
    assert 'href="/officer/guided/"' in client.get("/").content.decode()
    client.force_login(citizen)
    assert 'href="/officer/guided/"' not in client.get("/").content.decode()
