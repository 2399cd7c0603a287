"""The official slips as printed: exact Vietnamese text, the code, the dates, the legal-basis variant."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest

from applications.documents import document_request
from applications.models import Apology, DocumentKind, DocumentState, Status
from tests.documents.conftest import HCM, add_event, pdf_text
from tests.factories import make_dossier, make_procedure


def issue(dossier, kind, actor, capture, *, action="received", note="", data=None, context=None, key=None):
    event = add_event(dossier, action, actor, note=note, data=data)
    with capture(execute=True):
        document = document_request(dossier, kind, source_key=key or f"event:{event.pk}", issued_by=actor,
                                    context=context)
    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    return document


def test_the_receipt_slip_prints_the_national_header_code_dates_and_components(
    received_dossier, officer, django_capture_on_commit_callbacks
):
    document = issue(received_dossier, DocumentKind.RECEIPT, officer, django_capture_on_commit_callbacks)

    text = pdf_text(document.file.path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "UBND XÃ AN PHÚ" in text
    assert received_dossier.code in text
    assert "08 giờ 30 phút, ngày 05 tháng 01 năm 2026" in text
    assert "17 giờ 00 phút, ngày 08 tháng 01 năm 2026" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Nguyễn Văn An" in text and "Lê Thị Cúc" in text
    assert "Mẫu số 01" in text and "Thông tư số 03/2025/TT-VPCP" in text
    assert document.number == received_dossier.code


def test_slips_use_liberation_serif_on_one_a4_page(received_dossier, officer, django_capture_on_commit_callbacks):
    document = issue(received_dossier, DocumentKind.RECEIPT, officer, django_capture_on_commit_callbacks)

    fonts = subprocess.run(["pdffonts", document.file.path], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", document.file.path], capture_output=True, text=True, check=True).stdout
    assert "Liberation-Serif" in fonts
    assert "Pages:           1" in info
    assert "595.276 x 841.89 pts (A4)" in info


def test_a_dossier_received_before_july_2025_prints_the_circular_01_2018_apology(
    commune, citizen, leader, django_capture_on_commit_callbacks
):
    version = make_procedure(agency=commune)
    dossier = make_dossier(
        version, commune, citizen, status=Status.PROCESSING,
        received_at=datetime(2025, 6, 20, 9, 0, tzinfo=HCM), due_current=datetime(2025, 6, 25, 17, 0, tzinfo=HCM),
    )
    Apology.objects.create(
        dossier=dossier, reason="Cần xác minh thêm tại địa phương", issued_by=leader, issued_at=dossier.received_at,
        due_before=datetime(2025, 6, 25, 17, 0, tzinfo=HCM), due_after=datetime(2025, 7, 2, 17, 0, tzinfo=HCM),
    )

    document = issue(dossier, DocumentKind.APOLOGY, leader, django_capture_on_commit_callbacks, action="apologised")

    text = pdf_text(document.file.path)
    assert document.legal_basis == "c01_2018"
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "Cần xác minh thêm tại địa phương" in text
    assert "17 giờ 00 phút, ngày 02 tháng 07 năm 2025" in text
    assert document.number.endswith("/XL")


def test_a_dossier_received_under_decree_118_prints_the_circular_03_2025_apology(
    received_dossier, leader, django_capture_on_commit_callbacks
):
    Apology.objects.create(
        dossier=received_dossier, reason="Chờ kết quả xác minh", issued_by=leader, issued_at=received_dossier.received_at,
        due_before=received_dossier.due_current, due_after=datetime(2026, 1, 13, 17, 0, tzinfo=HCM),
    )

    document = issue(received_dossier, DocumentKind.APOLOGY, leader, django_capture_on_commit_callbacks,
                     action="apologised")

    text = pdf_text(document.file.path)
    assert document.legal_basis == "c03_2025"
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "17 giờ 00 phút, ngày 13 tháng 01 năm 2026" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text  # signed by the head of the processing agency (title in capitals)


@pytest.mark.parametrize(("received", "form_number"), [
    (datetime(2025, 6, 30, 16, 0, tzinfo=HCM), "Mẫu số 05"),
    (datetime(2025, 7, 1, 8, 0, tzinfo=HCM), "Mẫu số 06"),
])
def test_the_control_sheet_form_number_follows_the_legal_basis(
    commune, citizen, officer, django_capture_on_commit_callbacks, received, form_number
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.PROCESSING,
                           received_at=received, due_current=received)

    document = issue(dossier, DocumentKind.CONTROL_SHEET, officer, django_capture_on_commit_callbacks,
                     key=f"control_sheet:{dossier.pk}")

    assert form_number in pdf_text(document.file.path)


def test_the_stop_notice_exists_only_in_circular_03_2025_even_for_old_dossiers(
    commune, citizen, officer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.STOPPED,
                           received_at=datetime(2025, 5, 5, 8, 0, tzinfo=HCM))

    document = issue(dossier, DocumentKind.STOP, officer, django_capture_on_commit_callbacks, action="stopped",
                     note="Công dân xin rút để bổ sung giấy tờ")

    text = pdf_text(document.file.path)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 05" in text
    assert "Thông tư số 03/2025/TT-VPCP" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text


def test_the_supplement_request_lists_every_item_once(received_dossier, specialist, django_capture_on_commit_callbacks):
    items = ["Bản sao Giấy chứng sinh có chứng thực", "Sửa ngày sinh của mẹ trên tờ khai"]

    document = issue(received_dossier, DocumentKind.SUPPLEMENT, specialist, django_capture_on_commit_callbacks,
                     action="supplement_requested", data={"items": items})

    text = pdf_text(document.file.path)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    for item in items:
        assert item in text
    assert document.number == "01/HDHS"


def test_refusals_carry_the_reason_and_a_yearly_number_series(received_dossier, officer, django_capture_on_commit_callbacks):
    first = issue(received_dossier, DocumentKind.REFUSAL, officer, django_capture_on_commit_callbacks, action="refused",
                  data={"reason": "Thủ tục không thuộc thẩm quyền của xã"})
    second = issue(received_dossier, DocumentKind.REFUSAL, officer, django_capture_on_commit_callbacks, action="refused",
                   data={"reason": "Lý do khác"})

    assert "Thủ tục không thuộc thẩm quyền của xã" in pdf_text(first.file.path)
    assert (first.number, second.number) == ("01/TCHS", "02/TCHS")


def test_the_e_result_renders_the_procedures_template_with_the_dossiers_answers(
    commune, citizen, leader, django_capture_on_commit_callbacks
):
    version = make_procedure(agency=commune)
    version.result_name = "Giấy khai sinh"
    version.result_template = "<p>Họ và tên trẻ: <strong>{{ child_name }}</strong>, sinh ngày {{ birth_date }}.</p>"
    version.save()
    commune.head_title, commune.head_name = "Chủ tịch", "Trương Thị Hằng"
    commune.save()
    dossier = make_dossier(version, commune, citizen, status=Status.APPROVED,
                           received_at=datetime(2026, 1, 5, 8, 0, tzinfo=HCM))

    document = issue(dossier, DocumentKind.RESULT, leader, django_capture_on_commit_callbacks, action="approved")

    text = pdf_text(document.file.path)
    assert "GIẤY KHAI SINH" in text
    assert "Họ và tên trẻ: Nguyễn Văn Bé, sinh ngày 05/01/2026." in text
    # Signed by the agency's head, whoever approved it.
    assert "CHỦ TỊCH" in text and "Trương Thị Hằng" in text
    assert "Hoàng Văn Đức" not in text


def test_the_payment_receipt_writes_the_amount_in_figures_and_in_words(
    received_dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, DocumentKind.PAYMENT_RECEIPT, source_key="payment:7", context={
            "payer": "Nguyễn Văn An", "amount": 1250000, "transaction_ref": "VNP14123456",
            "fee_lines": [{"name": "Lệ phí đăng ký khai sinh", "amount": 1250000}],
            "paid_at": "2026-01-06T10:15:00+07:00",
        })
    document.refresh_from_db()

    text = pdf_text(document.file.path)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert "1.250.000 đ" in text
    assert "Một triệu hai trăm năm mươi nghìn đồng" in text
    assert "VNP14123456" in text
    assert "10 giờ 15 phút, ngày 06 tháng 01 năm 2026" in text
