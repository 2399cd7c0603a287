"""Builders for filing and tracking tests: tiny real files, complete drafts, dossiers in a state."""

from __future__ import annotations

import io
import uuid
import zipfile

from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agency, User
from applications import workflow
from applications.filing import attachment_add, dossier_file, draft_create, draft_update
from applications.models import Dossier

VALID_ID = "001084000999"  # Hà Nội, male, born 1984


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 20, 20)).save(buffer, format=kind)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def draft_for(version, agency: Agency, owner: User | None, filed_by: User | None = None) -> Dossier:
    return draft_create(version, agency, owner=owner, filed_by=filed_by or owner)


def make_complete(dossier: Dossier, by: User) -> Dossier:
    """Fill every step so the dossier may be submitted (consent is given at submit)."""
    draft_update(dossier, {
        "applicant_name": dossier.applicant_name or "Nguyễn Văn An", "applicant_id_number": VALID_ID,
        "applicant_phone": dossier.applicant_phone or "0912000001",
        "form_data": {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"},
    })
    required = dossier.procedure_version.components.get(is_required=True)
    attachment_add(dossier, required, upload("to-khai.pdf", pdf_bytes()), by=by)
    return dossier


def submitted(version, agency, owner) -> Dossier:
    dossier = make_complete(draft_for(version, agency, owner), owner)
    return dossier_file(dossier, actor=owner, submit_token=uuid.uuid4(), consent=True)


def to_supplement_requested(dossier: Dossier, officer: User, specialist: User) -> Dossier:
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    workflow.dossier_request_supplement(dossier, actor=specialist, expected_version=dossier.version,
                                        items=["Bản sao giấy chứng sinh có chứng thực"])
    return dossier
