"""Issue 10 item 11: when the declaration can be filled as the e-form, filling the e-form hands it in."""

import uuid

import pytest

from applications.filing import dossier_missing, draft_update
from applications.models import DocumentKind, Dossier, Status
from tests.applications.filing.builders import VALID_ID, draft_for, pdf_bytes, upload

pytestmark = pytest.mark.django_db

ANSWERS = {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"}


@pytest.fixture
def declaration(version):
    component = version.components.get(name="Tờ khai đăng ký khai sinh")
    component.filled_by_eform = True
    component.save(update_fields=["filled_by_eform"])
    return component


def filled(dossier: Dossier) -> Dossier:
    return draft_update(dossier, {"applicant_id_number": VALID_ID, "form_data": ANSWERS})


def test_a_filled_e_form_is_the_declaration_and_the_dossier_is_submitted_without_a_scan(
    client, citizen, commune, version, declaration
):
    dossier = filled(draft_for(version, commune, citizen))
    client.force_login(citizen)

    review = client.get(f"/dossiers/draft/{dossier.pk}/review/").content.decode()
    assert "Thiếu giấy tờ bắt buộc" not in review
    assert "Tờ khai đăng ký khai sinh — khai bằng tờ khai điện tử" in review
    response = client.post(f"/dossiers/draft/{dossier.pk}/review/", {"submit_token": str(uuid.uuid4())})

    dossier.refresh_from_db()
    assert response.status_code == 302 and dossier.status == Status.SUBMITTED
    assert not dossier.attachments.exists()


def test_an_unfinished_e_form_asks_for_the_e_form_not_for_a_scan(citizen, commune, version, declaration):
    dossier = draft_update(draft_for(version, commune, citizen), {"form_data": {"child_name": "Bé"}})
    problems = dossier_missing(dossier)
    assert "Tờ khai điện tử chưa đầy đủ hoặc có thông tin chưa hợp lệ." in problems
    assert not any("Tờ khai đăng ký khai sinh" in problem for problem in problems)


def test_a_declaration_not_marked_as_the_e_form_still_needs_its_scan(citizen, commune, version):
    dossier = filled(draft_for(version, commune, citizen))
    assert "Thiếu giấy tờ bắt buộc: Tờ khai đăng ký khai sinh." in dossier_missing(dossier)


def test_the_attachments_step_says_the_declaration_is_already_done(client, citizen, commune, version, declaration):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    page = client.get(f"/dossiers/draft/{dossier.pk}/attachments/").content.decode()
    assert "không phải tải bản quét tờ khai giấy" in page


def test_the_counter_receipt_lists_only_the_papers_handed_in(client, officer, version, declaration):
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    dossier = Dossier.objects.get()
    client.post(f"/officer/guided/{dossier.pk}/applicant/", {
        "agency": dossier.agency_id, "applicant_name": "Lê Văn Khách", "applicant_id_number": VALID_ID,
        "applicant_phone": "0987654321", "subject_relation": "self", "result_delivery": "counter",
    })
    client.post(f"/officer/guided/{dossier.pk}/form/", ANSWERS)
    client.post(f"/officer/guided/{dossier.pk}/review/", {"submit_token": str(uuid.uuid4()), "receive_now": "on"})

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    receipt = dossier.documents.get(kind=DocumentKind.RECEIPT)
    # The birth certificate (optional) was not handed in, so the receipt does not say it was.
    assert [c["name"] for c in receipt.context["components"]] == ["Tờ khai đăng ký khai sinh"]

    # With a scan of it, it is listed.
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    second = Dossier.objects.exclude(pk=dossier.pk).get()
    client.post(f"/officer/guided/{second.pk}/applicant/", {
        "agency": second.agency_id, "applicant_name": "Lê Văn Khách", "applicant_id_number": VALID_ID,
        "applicant_phone": "0987654321", "subject_relation": "self", "result_delivery": "counter",
    })
    client.post(f"/officer/guided/{second.pk}/form/", ANSWERS)
    certificate = version.components.get(name="Giấy chứng sinh")
    client.post(f"/officer/guided/{second.pk}/attachments/",
                {"upload": certificate.pk, f"c{certificate.pk}-files": [upload("chung-sinh.pdf", pdf_bytes())]})
    client.post(f"/officer/guided/{second.pk}/review/", {"submit_token": str(uuid.uuid4()), "receive_now": "on"})
    names = [c["name"] for c in second.documents.get(kind=DocumentKind.RECEIPT).context["components"]]
    assert names == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
