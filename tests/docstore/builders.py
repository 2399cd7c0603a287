"""A typed procedure, a returned dossier with its e-result, and kept papers, for the store's tests."""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Agency, User
from applications.filing import attachments_add_batch, dossier_file
from applications.models import Document, DocumentKind, DocumentState, Dossier, Status
from procedures.models import Component, DocumentType, ProcedureVersion
from tests.applications.filing.builders import draft_for, make_complete, pdf_bytes, upload
from tests.factories import make_dossier, make_procedure

RESULT_PDF = pdf_bytes().replace(b"%%EOF", b"% giay khai sinh\n%%EOF")


def document_types() -> dict[str, DocumentType]:
    return {
        "birth": DocumentType.objects.get_or_create(code="giay-khai-sinh", defaults={"name": "Giấy khai sinh"})[0],
        "marital": DocumentType.objects.get_or_create(
            code="xac-nhan-tinh-trang-hon-nhan",
            defaults={"name": "Giấy xác nhận tình trạng hôn nhân", "validity_months": 6},
        )[0],
    }


def typed_procedure(agency: Agency, *, name: str = "Đăng ký khai sinh", result_type: str = "birth") -> ProcedureVersion:
    """make_procedure whose result is a birth certificate and whose optional second component asks for one."""
    kinds = document_types()
    version = make_procedure(agency=agency, name=name)
    version.result_document_type = kinds[result_type]
    version.save(update_fields=["result_document_type"])
    Component.objects.filter(version=version, order=2).update(name="Bản sao Giấy khai sinh", document_type=kinds["birth"])
    return version


def returned_with_result(version: ProcedureVersion, agency: Agency, owner: User, *, content: bytes = RESULT_PDF,
                         issued_at=None) -> tuple[Dossier, Document]:
    dossier = make_dossier(version, agency, owner, status=Status.RETURNED)
    document = Document(
        dossier=dossier, kind=DocumentKind.RESULT, source_key=f"test:{uuid.uuid4()}", state=DocumentState.READY,
        number="01/KS", issued_at=issued_at or timezone.now(), sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("result.pdf", ContentFile(content), save=False)
    document.save()
    return dossier, document


def filed_with_kept_paper(version: ProcedureVersion, agency: Agency, owner: User, content: bytes) -> Dossier:
    """A filed dossier whose "Bản sao Giấy khai sinh" page the owner chose to keep."""
    dossier = make_complete(draft_for(version, agency, owner), owner)
    component = version.components.get(order=2)
    attachments_add_batch(dossier, [(component, upload("khai-sinh.pdf", content))], by=owner, keep={component.pk})
    return dossier_file(dossier, actor=owner, submit_token=uuid.uuid4(), consent=True)
