"""The papers of the demo birth registration (procedure 1.001193), walked through the real workflow and
read back with pdftotext: answers through the e-form's formatter, the result's own title and signer,
no claim of legal validity, one page, and an appointment the office can keep."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
import time_machine

from applications.demo import demo_form_data
from applications.documents import document_request
from applications.models import Document, DocumentKind, DocumentState, Status
from applications.slips import result_document_name
from applications.tracking_book import tracking_book_rows
from procedures import demo as procedures_demo
from procedures.models import Component, Procedure
from tests.applications.workflow.conftest import Cast, drive
from tests.documents.conftest import HCM, pdf_text
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_version(commune):
    commune.head_title, commune.head_name = "Chủ tịch", "Trương Thị Hằng"
    commune.save()
    procedures_demo.seed()
    return Procedure.objects.get(code="1.001193").current_version


@pytest.fixture
def cast(citizen, officer, specialist, leader) -> Cast:
    return Cast(citizen, officer, specialist, leader)


def birth_dossier(version, commune, citizen):
    return make_dossier(version, commune, citizen, status=Status.DRAFT, form_data=demo_form_data(version),
                        applicant_address="Thôn Đông, Xã An Phú, Ninh Bình")


def ready(dossier, kind) -> Document:
    document = Document.objects.get(dossier=dossier, kind=kind)
    assert document.state == DocumentState.READY, document.error
    return document


def pages(path: str) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_the_birth_certificate_shows_formatted_answers_its_own_title_and_the_head_of_agency(
    birth_version, commune, citizen, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = drive(birth_dossier(birth_version, commune, citizen), Status.APPROVED, cast)

    document = ready(dossier, DocumentKind.RESULT)
    text = pdf_text(document.file.path)

    # answers as the e-form shows them: the address on one line, choices by label, dates dd/mm/yyyy
    assert "Nơi cư trú: Thôn Đông, Xã An Phú, Ninh Bình" in text
    assert "{'province'" not in text and "'commune'" not in text
    assert "Quan hệ với người được đăng ký: Cha, mẹ" in text and "cha_me" not in text
    assert "Giới tính: Nam" in text
    assert "Ngày, tháng, năm sinh: 02/11/2026" in text and "2026-11-02" not in text
    assert "Số định danh cá nhân của mẹ: 037196002345" in text
    # the paper's own name, not the catalogue's phrase
    assert "GIẤY KHAI SINH" in text and "BẢN CHÍNH" not in text.upper().replace("GIẤY KHAI SINH", "")
    assert "nếu có yêu cầu" not in text
    # the head of the agency signs, with the title printed; not the leader who pressed "approve"
    assert "CHỦ TỊCH" in text and "Trương Thị Hằng" in text and "Hoàng Văn Đức" not in text
    # not signed yet: an electronic copy for information, no claim of legal validity
    assert "có giá trị pháp lý" not in text and "giá trị tra cứu và xác thực" not in text
    assert "chưa được ký số" in text and "bản sao điện tử để cung cấp thông tin" in text
    assert pages(document.file.path) == 1


def test_a_birth_registration_received_friday_after_the_cut_off_prints_the_computed_appointment(
    birth_version, commune, citizen, cast, django_capture_on_commit_callbacks
):
    # Fri 24/04/2026 15:30 is after the 15:00 cut-off; Mon 27/04 is the Hùng Kings holiday (moved from Sunday).
    with time_machine.travel(datetime(2026, 4, 24, 15, 30, tzinfo=HCM), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        dossier = drive(birth_dossier(birth_version, commune, citizen), Status.RECEIVED, cast)

    text = pdf_text(ready(dossier, DocumentKind.RECEIPT).file.path)

    assert "15 giờ 30 phút, ngày 24 tháng 04 năm 2026" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 28 tháng 04 năm 2026" in text
    assert "ngay trong ngày" not in text


def test_the_receipt_of_the_real_birth_procedure_keeps_its_qr_code_on_one_page(
    birth_version, commune, citizen, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = drive(birth_dossier(birth_version, commune, citizen), Status.RECEIVED, cast)

    document = ready(dossier, DocumentKind.RECEIPT)

    assert pages(document.file.path) == 1
    assert document.verify_token in pdf_text(document.file.path).replace(" ", "")


def test_the_receipt_numbers_the_dossier_as_the_tracking_book_does(
    birth_version, commune, citizen, cast, django_capture_on_commit_callbacks
):
    dossiers = []
    for day, hour in ((5, 9), (6, 9), (6, 10)):
        with time_machine.travel(datetime(2026, 1, day, hour, tzinfo=HCM)), \
                django_capture_on_commit_callbacks(execute=True):
            dossiers.append(drive(birth_dossier(birth_version, commune, citizen), Status.RECEIVED, cast))

    # the book for a period that starts mid-year still prints the yearly number
    rows = {row.code: row.number for row in tracking_book_rows([commune.pk], datetime(2026, 1, 6).date(),
                                                               datetime(2026, 1, 6).date())}
    assert [rows.get(dossier.code) for dossier in dossiers] == [None, 2, 3]
    for dossier in dossiers:
        text = pdf_text(ready(dossier, DocumentKind.RECEIPT).file.path)
        number = {row.code: row.number for row in tracking_book_rows(
            [commune.pk], datetime(2026, 1, 1).date(), datetime(2026, 1, 31).date())}[dossier.code]
        assert f"Quyển số: 2026, Số thứ tự: {number}" in text
    # a dossier's daily code sequence is not its book number (two dossiers on 6/1 are 1 and 2 that day)
    assert "Số thứ tự: 3" in pdf_text(ready(dossiers[2], DocumentKind.RECEIPT).file.path)


@pytest.mark.parametrize(("catalogue", "title"), [
    ("Giấy khai sinh (bản chính) và bản sao Giấy khai sinh nếu có yêu cầu", "Giấy khai sinh"),
    ("Thông báo kết quả đăng ký thường trú; thông tin được cập nhật vào Cơ sở dữ liệu về cư trú",
     "Thông báo kết quả đăng ký thường trú"),
    ("Giấy chứng nhận kết hôn", "Giấy chứng nhận kết hôn"),
    ("", "Kết quả giải quyết thủ tục hành chính"),
])
def test_the_result_title_is_the_first_paper_the_catalogue_names(catalogue, title):
    assert result_document_name(catalogue) == title


def test_a_result_template_gets_the_formatted_answers(
    birth_version, commune, citizen, leader, django_capture_on_commit_callbacks
):
    birth_version.result_template = "<p>Cư trú tại {{ requester_address }}; giới tính {{ child_sex }}.</p>"
    birth_version.save(update_fields=["result_template"])
    dossier = make_dossier(birth_version, commune, citizen, status=Status.APPROVED,
                           form_data=demo_form_data(birth_version), received_at=datetime(2026, 1, 5, 8, tzinfo=HCM))

    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(dossier, DocumentKind.RESULT, source_key="test:result", issued_by=leader)

    text = pdf_text(ready(dossier, DocumentKind.RESULT).file.path)
    assert document.context["title"] == "Giấy khai sinh"
    assert "Cư trú tại Thôn Đông, Xã An Phú, Ninh Bình; giới tính Nam." in text


def test_a_receipt_too_long_for_one_page_takes_its_last_lines_over_with_the_signatures_and_qr(
    commune, citizen, officer, django_capture_on_commit_callbacks
):
    version = make_procedure(agency=commune)
    for order in range(3, 8):  # the body just fits page 1; the signatures and QR do not
        Component.objects.create(version=version, order=order, originals=1, is_required=True,
                                 name=f"Giấy tờ số {order} chứng minh điều kiện theo quy định của pháp luật hiện hành")
    dossier = make_dossier(version, commune, citizen, status=Status.RECEIVED,
                           received_at=datetime(2026, 1, 5, 8, tzinfo=HCM), due_current=datetime(2026, 1, 8, 17, tzinfo=HCM))

    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(dossier, DocumentKind.RECEIPT, source_key="test:long", issued_by=officer)
    document.refresh_from_db()

    assert pages(document.file.path) == 2
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", document.file.path, "-"], capture_output=True,
                            text=True, check=True).stdout
    assert "NGƯỜI NỘP HỒ SƠ" in second and "Mã xác thực" in second
    assert "Vào Sổ theo dõi hồ sơ" in second  # not a lone signature row on an otherwise empty page
