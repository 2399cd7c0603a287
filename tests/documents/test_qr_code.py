"""The QR code on a printed slip decodes to the public verification page of that document."""

from __future__ import annotations

import subprocess

import zxingcpp
from PIL import Image

from applications.documents import document_request
from applications.models import DocumentKind
from tests.documents.conftest import add_event


def test_the_qr_code_on_the_receipt_leads_to_its_verification_page(
    received_dossier, officer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://dichvucong.example.vn"
    event = add_event(received_dossier, "received", officer)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}",
                                    issued_by=officer)
    document.refresh_from_db()

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", document.file.path, str(tmp_path / "page")],
                   check=True)
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))

    expected = f"https://dichvucong.example.vn/verify/{document.verify_token}/"
    assert [code.text for code in codes if code.format == zxingcpp.BarcodeFormat.QRCode] == [expected]
    assert len(document.verify_token) >= 32
