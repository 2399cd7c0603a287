"""The public verification page: what the document is, and whether a copy matches it."""

from __future__ import annotations

import re

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.documents import document_request
from applications.models import Document, DocumentKind, DocumentState
from tests.documents.conftest import add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(received_dossier, officer, django_capture_on_commit_callbacks) -> Document:
    event = add_event(received_dossier, "received", officer)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}",
                                    issued_by=officer)
    document.refresh_from_db()
    return document


def test_anyone_sees_what_the_document_is_and_who_issued_it(client, receipt):
    page = client.get(f"/verify/{receipt.verify_token}/").content.decode()

    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "UBND xã An Phú" in page
    assert receipt.dossier.code in page
    assert "Nguyễn V. A." in page and "Nguyễn Văn An" not in page


def test_the_issued_file_matches(client, receipt):
    with receipt.file.open("rb") as handle:
        upload = SimpleUploadedFile("giay-tiep-nhan.pdf", handle.read(), content_type="application/pdf")

    page = client.post(f"/verify/{receipt.verify_token}/", {"file": upload}).content.decode()

    assert "Trùng khớp" in page and "Không trùng khớp" not in page


def test_an_altered_file_does_not_match(client, receipt):
    with receipt.file.open("rb") as handle:
        altered = handle.read().replace(b"%%EOF", b"%%EOF ")

    page = client.post(f"/verify/{receipt.verify_token}/",
                       {"file": SimpleUploadedFile("x.pdf", altered)}).content.decode()

    assert "Không trùng khớp" in page


def test_an_unknown_token_is_a_404_page(client, receipt):
    response = client.get("/verify/not-a-real-token-0123456789abcdef/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_document_not_yet_issued_cannot_be_verified(client, receipt):
    Document.objects.filter(pk=receipt.pk).update(state=DocumentState.PENDING)

    assert client.get(f"/verify/{receipt.verify_token}/").status_code == 404


def test_the_upload_form_is_csrf_protected(receipt):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/verify/{receipt.verify_token}/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")})

    assert response.status_code == 403


def test_a_new_token_has_nothing_a_reader_could_misread_or_a_line_could_break_at(receipt):
    # Crockford base32: no I, L, O, U, no lower case, no hyphen for the PDF to wrap at.
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{32}", receipt.verify_token)


def test_a_token_typed_in_lower_case_with_look_alike_letters_still_finds_the_document(client, receipt):
    typed = receipt.verify_token.lower().replace("0", "o").replace("1", "l")

    response = client.get(f"/verify/{typed}/")

    assert response.status_code == 200
    assert receipt.dossier.code in response.content.decode()


def test_a_token_issued_before_the_alphabet_changed_is_still_looked_up_exactly(client, receipt):
    Document.objects.filter(pk=receipt.pk).update(verify_token="ZW91Wwib_r0PyECa5fX6scDu-WnWZFjp")

    assert client.get("/verify/ZW91Wwib_r0PyECa5fX6scDu-WnWZFjp/").status_code == 200
    assert client.get("/verify/ZW91WWIB_R0PYECA5FX6SCDU-WNWZFJP/").status_code == 404
