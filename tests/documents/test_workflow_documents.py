"""Through the real workflow: receiving a dossier issues Mẫu 01 and tells the citizen, exactly once."""

from __future__ import annotations

import pytest

from django.core import mail

from applications.models import Document, DocumentKind, DocumentState, Status
from applications.workflow import dossier_receive, dossier_refuse
from notifications.models import Notification
from tests.documents.conftest import pdf_text
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(commune, citizen):
    return make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.SUBMITTED,
                        applicant_phone="0912000001")


def test_receiving_issues_the_receipt_and_notifies_the_citizen(submitted, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_receive(submitted, actor=officer, expected_version=submitted.version)

    receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
    assert receipt.state == DocumentState.READY
    text = pdf_text(receipt.file.path)
    assert dossier.code in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert receipt.issued_by == officer
    in_app = Notification.objects.get(recipient=dossier.owner, channel="in_app", event="received")
    assert dossier.code in in_app.subject
    assert len(mail.outbox) == 1


def test_refusing_issues_mau_03_with_the_reason(submitted, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_refuse(submitted, actor=officer, expected_version=submitted.version,
                                 reason="Thủ tục không thuộc thẩm quyền giải quyết của xã")

    refusal = Document.objects.get(dossier=dossier, kind=DocumentKind.REFUSAL)
    assert "Thủ tục không thuộc thẩm quyền giải quyết của xã" in pdf_text(refusal.file.path)
    assert Notification.objects.filter(event="refused", recipient=dossier.owner).exists()
