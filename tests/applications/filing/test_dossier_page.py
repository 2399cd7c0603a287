"""The citizen's dossier page: status, timeline, supplement answers, withdrawal, stop, payment."""

import pytest

from applications import workflow
from applications.models import DossierEvent, Status
from tests.applications.filing.builders import EXE, pdf_bytes, submitted, to_supplement_requested, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(version, commune, citizen):
    return submitted(version, commune, citizen)


def test_my_dossiers_lists_status_dates_and_masks_id_numbers(client, citizen, dossier):
    dossier.subject_id_number = "001084000999"
    dossier.save()
    client.force_login(citizen)
    page = client.get("/dossiers/").content.decode()
    assert dossier.code in page and "Mới đăng ký" in page
    assert "001084000999" not in page and "•••••••••999" in page


def test_my_dossiers_is_paginated(client, citizen, version, commune):
    from tests.factories import make_dossier

    for _ in range(25):
        make_dossier(version, commune, citizen)
    client.force_login(citizen)
    first = client.get("/dossiers/")
    assert len(first.context["dossiers"]) == 20 and "?page=2" in first.content.decode()
    assert len(client.get("/dossiers/?page=2").context["dossiers"]) == 5


def test_my_dossiers_runs_a_fixed_number_of_queries(client, citizen, version, commune, django_assert_max_num_queries):
    from tests.factories import make_dossier

    for _ in range(15):
        make_dossier(version, commune, citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        client.get("/dossiers/")


def test_the_dossier_page_shows_status_timeline_and_what_was_filed(client, citizen, dossier):
    DossierEvent.objects.create(dossier=dossier, action="note", at=dossier.submitted_at, note="Ghi chú nội bộ",
                                is_public=False)
    client.force_login(citizen)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Mới đăng ký" in page and "Rút hồ sơ" in page
    assert "Ghi chú nội bộ" not in page
    assert dossier.applicant_id_number not in page  # masked in the summary


def test_the_citizen_withdraws_before_receipt(client, citizen, dossier):
    client.force_login(citizen)
    response = client.post(f"/dossiers/{dossier.code}/withdraw/", {"expected_version": dossier.version, "note": ""})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


def test_a_stale_withdraw_changes_nothing(client, citizen, dossier):
    client.force_login(citizen)
    client.post(f"/dossiers/{dossier.code}/withdraw/", {"expected_version": dossier.version - 1})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_after_receipt_the_citizen_can_only_ask_to_stop(client, citizen, officer, dossier):
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    client.force_login(citizen)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert f"/dossiers/{dossier.code}/withdraw/" not in page and f"/dossiers/{dossier.code}/stop/" in page

    refused = client.post(f"/dossiers/{dossier.code}/stop/", {"expected_version": dossier.version, "reason": ""})
    assert refused.status_code == 400
    client.post(f"/dossiers/{dossier.code}/stop/", {"expected_version": dossier.version, "reason": "Đã đổi ý"})
    dossier.refresh_from_db()
    assert dossier.status == Status.STOP_REQUESTED


def test_the_citizen_answers_a_supplement_request_with_pages_and_a_note(client, citizen, officer, specialist, dossier):
    to_supplement_requested(dossier, officer, specialist)
    client.force_login(citizen)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Bản sao giấy chứng sinh có chứng thực" in page

    bad = client.post(f"/dossiers/{dossier.code}/supplement/upload/", {"supplement-files": [upload("x.pdf", EXE)]})
    assert bad.status_code == 400 and dossier.attachments.filter(supplement_request__isnull=False).count() == 0
    client.post(f"/dossiers/{dossier.code}/supplement/upload/", {"supplement-files": [upload("cs.pdf", pdf_bytes())]})
    added = dossier.attachments.get(supplement_request__isnull=False)
    assert added.original_name == "cs.pdf"

    response = client.post(f"/dossiers/{dossier.code}/supplement/",
                           {"expected_version": dossier.version, "note": "Đã bổ sung bản sao"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    request = dossier.supplement_requests.get()
    assert request.answered_at is not None and request.answer_note == "Đã bổ sung bản sao"


def test_an_empty_supplement_answer_is_refused(client, citizen, officer, specialist, dossier):
    to_supplement_requested(dossier, officer, specialist)
    client.force_login(citizen)
    response = client.post(f"/dossiers/{dossier.code}/supplement/", {"expected_version": dossier.version, "note": ""})
    assert response.status_code == 400
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_a_pay_button_appears_while_awaiting_payment(client, citizen, officer, dossier):
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_request_payment(dossier, actor=officer, expected_version=dossier.version, amount=8000)
    client.force_login(citizen)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "8.000 đ" in page
    assert f'href="/payments/dossier/{dossier.code}/pay/"' in page


def test_the_dossier_page_runs_a_bounded_number_of_queries(
    client, citizen, officer, specialist, dossier, django_assert_max_num_queries
):
    to_supplement_requested(dossier, officer, specialist)
    client.force_login(citizen)
    with django_assert_max_num_queries(25):
        response = client.get(f"/dossiers/{dossier.code}/")
    assert response.status_code == 200
