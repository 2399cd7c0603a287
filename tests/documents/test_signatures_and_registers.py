"""Who signs (the head of the agency, configured per agency), what the registers print (Mẫu 06 hand-over
signatures, Mẫu 07 columns), and how the e-receipt words the payment channel."""

from __future__ import annotations

from datetime import datetime

import pytest

from applications import workflow
from applications.documents import document_request
from applications.models import Apology, Document, DocumentKind, DocumentState, Status
from payments.services import payment_record_counter
from tests.documents.conftest import HCM, add_event, pdf_text
from tests.factories import make_dossier, make_procedure
from tests.payments.conftest import FEE, awaiting_payment

pytestmark = pytest.mark.django_db


def issue(dossier, kind, actor, capture, *, action, note="", data=None, key=None) -> Document:
    event = add_event(dossier, action, actor, note=note, data=data)
    with capture(execute=True):
        document = document_request(dossier, kind, source_key=key or f"event:{event.pk}", issued_by=actor)
    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    return document


@pytest.fixture
def headed_commune(commune):
    commune.head_title, commune.head_name = "Chủ tịch", "Trương Thị Hằng"
    commune.save()
    return commune


def test_the_apology_is_signed_by_the_head_of_the_agency_not_the_specialist_who_issued_it(
    headed_commune, citizen, specialist, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=headed_commune), headed_commune, citizen, status=Status.PROCESSING,
                           received_at=datetime(2026, 1, 5, 8, tzinfo=HCM), due_current=datetime(2026, 1, 8, 17, tzinfo=HCM))
    Apology.objects.create(dossier=dossier, reason="Chờ xác minh", issued_by=specialist, issued_at=dossier.received_at,
                           due_before=dossier.due_current, due_after=datetime(2026, 1, 13, 17, tzinfo=HCM))

    text = pdf_text(issue(dossier, DocumentKind.APOLOGY, specialist, django_capture_on_commit_callbacks,
                          action="apologised").file.path)

    assert "CHỦ TỊCH" in text and "Trương Thị Hằng" in text
    assert "Phạm Văn Dũng" not in text


def test_the_stop_notice_is_signed_by_the_head_of_the_agency_not_the_officer(
    headed_commune, citizen, officer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=headed_commune), headed_commune, citizen, status=Status.STOPPED,
                           received_at=datetime(2026, 1, 5, 8, tzinfo=HCM))

    text = pdf_text(issue(dossier, DocumentKind.STOP, officer, django_capture_on_commit_callbacks, action="stopped",
                          note="Công dân xin dừng").file.path)

    assert "CHỦ TỊCH" in text and "Trương Thị Hằng" in text
    assert "Lê Thị Cúc" not in text


def test_an_agency_without_a_configured_head_prints_the_generic_title_and_no_ones_name(
    commune, citizen, officer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.STOPPED,
                           received_at=datetime(2026, 1, 5, 8, tzinfo=HCM))

    text = pdf_text(issue(dossier, DocumentKind.STOP, officer, django_capture_on_commit_callbacks,
                          action="stopped").file.path)

    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Lê Thị Cúc" not in text


def test_the_control_sheet_has_giver_and_receiver_signature_cells_for_each_hand_over(
    commune, citizen, officer, specialist, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen)
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)

    text = pdf_text(issue(dossier, DocumentKind.CONTROL_SHEET, officer, django_capture_on_commit_callbacks,
                          action="issued", key=f"control_sheet:{dossier.pk}").file.path)

    hand_overs = dossier.control_sheet.count()
    squeezed = text.replace(" ", "")  # pdftotext may split a word inside a narrow cell
    assert hand_overs >= 2
    assert squeezed.count("Ngườigiao") == hand_overs and squeezed.count("Ngườinhận") == hand_overs
    assert "Phạm Văn Dũng" in text  # the specialist who took the dossier signs as receiver


def test_the_tracking_book_extract_has_the_sets_acknowledgement_and_notes_columns(
    received_dossier, officer, django_capture_on_commit_callbacks
):
    text = pdf_text(issue(received_dossier, DocumentKind.TRACKING_BOOK, officer, django_capture_on_commit_callbacks,
                          action="issued", key=f"tracking_book:{received_dossier.pk}").file.path)

    assert "Số lượng hồ sơ (bộ)" in text
    assert "Ký nhận" in text
    assert "Ghi chú" in text and "Đã tiếp nhận" in text  # the note says where the dossier stands
    assert "Số lượng hồ sơ (bộ)" in text and " 01 " in text


def test_a_cash_payment_at_the_counter_is_not_called_online(
    commune, citizen, officer, django_capture_on_commit_callbacks
):
    dossier = awaiting_payment(make_procedure(agency=commune, fee=FEE), commune, citizen, officer)

    with django_capture_on_commit_callbacks(execute=True):
        payment_record_counter(dossier=dossier, officer=officer, method="cash", receipt_number="BL-0042", amount=FEE)

    receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.PAYMENT_RECEIPT)
    text = pdf_text(receipt.file.path)
    assert "trực tuyến" not in text
    assert "Hình thức thanh toán: Nộp trực tiếp tại Bộ phận Một cửa, bằng tiền mặt" in text
    assert "Số biên lai: BL-0042" in text


def test_an_online_payment_says_online_and_through_which_gateway(
    received_dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, DocumentKind.PAYMENT_RECEIPT, source_key="payment:9", context={
            "amount": 8000, "transaction_ref": "VNP14123456", "provider": "VNPay", "payment_channel": "online",
            "fee_lines": [{"name": "Lệ phí", "amount": 8000}], "paid_at": "2026-01-06T10:15:00+07:00",
        })
    document.refresh_from_db()

    text = pdf_text(document.file.path)
    assert "Hình thức thanh toán: Thanh toán trực tuyến qua VNPay" in text
    assert "Mã giao dịch: VNP14123456" in text


def test_an_admin_sets_the_head_of_agency_in_the_agency_admin_and_the_next_paper_prints_it(
    client, admin_user, commune, citizen, officer, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = f"/admin/accounts/agency/{commune.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="head_title"' in form and 'name="head_name"' in form

    response = client.post(url, {
        "name": commune.name, "short_name": commune.short_name, "kind": commune.kind, "parent": commune.parent_id,
        "eid_code": commune.eid_code, "address": "", "phone": "", "email": "", "is_active": "on",
        "head_title": "Chủ tịch", "head_name": "Ngô Văn Khải",
    })
    assert response.status_code == 302, response.content.decode()[:2000]

    commune.refresh_from_db()
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.STOPPED,
                           received_at=datetime(2026, 1, 5, 8, tzinfo=HCM))
    text = pdf_text(issue(dossier, DocumentKind.STOP, officer, django_capture_on_commit_callbacks,
                          action="stopped").file.path)
    assert "CHỦ TỊCH" in text and "Ngô Văn Khải" in text and "Lê Thị Cúc" not in text
