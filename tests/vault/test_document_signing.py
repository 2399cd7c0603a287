"""Signing in the document worker: results by the approving leader, slips by the one-stop shop;
signed once; expired/revoked/unavailable keys leave no half-signed document and the dossier where
it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from applications import workflow
from applications.documents import document_generate, documents_sweep
from applications.models import Document, DocumentKind, DocumentState, Dossier, Status
from tests.factories import make_dossier, make_procedure
from tests.vault.conftest import VIETNAMESE_NAME, expired_kwargs, reissue
from vault import pki
from vault.models import KeyBackend, KeyPurpose, SigningKey
from vault.services import pdf_signatures_validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_approval(commune, citizen) -> Dossier:
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    return make_dossier(version, commune, citizen, status=Status.PENDING_APPROVAL)


def _approve(dossier: Dossier, leader, capture) -> Document:
    with capture(execute=True):
        workflow.dossier_approve(dossier, actor=leader, expected_version=dossier.version)
    return Document.objects.get(dossier=dossier, kind=DocumentKind.RESULT)


def _not_rendered_yet(document: Document) -> None:
    """The live server makes these tests transactional, so the render ran at commit; put the row
    back the way it is while its task waits in the queue."""
    Document.objects.filter(pk=document.pk).update(
        state=DocumentState.PENDING, file="", sha256="", signed_by="", signed_at=None, attempts=0,
    )


def test_the_result_is_signed_by_the_approving_leader_once(
    demo_ca, pending_approval, leader, django_capture_on_commit_callbacks,
):
    document = _approve(pending_approval, leader, django_capture_on_commit_callbacks)

    document.refresh_from_db()
    data = document.file.read()
    assert document.state == DocumentState.READY and document.signed_by == VIETNAMESE_NAME
    assert document.sha256 == hashlib.sha256(data).hexdigest()  # the hash is of the signed file
    [report] = pdf_signatures_validate(data)
    assert report.ok and report.signer == VIETNAMESE_NAME

    assert document_generate(document_id=document.pk) == DocumentState.READY  # redelivered: not signed again
    document.refresh_from_db()
    assert document.file.read() == data


def test_an_agency_without_keys_issues_unsigned_papers(pending_approval, leader, django_capture_on_commit_callbacks):
    document = _approve(pending_approval, leader, django_capture_on_commit_callbacks)

    document.refresh_from_db()
    assert document.state == DocumentState.READY and not document.signed_at
    assert pdf_signatures_validate(document.file.read()) == []


def test_a_receipt_is_signed_by_the_one_stop_shop(demo_ca, commune, citizen, officer, django_capture_on_commit_callbacks):
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    dossier = make_dossier(version, commune, citizen, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)

    receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
    [report] = pdf_signatures_validate(receipt.file.read())
    assert report.ok and report.signer.startswith("Bộ phận Một cửa")


def test_an_expired_certificate_refuses_the_approval_and_the_dossier_stays(demo_ca, pending_approval, leader):
    reissue(demo_ca, SigningKey.objects.get(user=leader), **expired_kwargs())

    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.dossier_approve(pending_approval, actor=leader, expected_version=pending_approval.version)

    assert "hết hạn" in refused.value.message
    pending_approval.refresh_from_db()
    assert pending_approval.status == Status.PENDING_APPROVAL
    assert not Document.objects.filter(dossier=pending_approval).exists()


def test_a_certificate_revoked_before_the_worker_signs_fails_the_document_with_a_reason(
    demo_ca, pending_approval, leader, officer, client, django_capture_on_commit_callbacks,
):
    document = _approve(pending_approval, leader, django_capture_on_commit_callbacks)
    _not_rendered_yet(document)
    pki.certificate_revoke(demo_ca, Path(SigningKey.objects.get(user=leader).pkcs12_path))

    assert document_generate(document_id=document.pk) == DocumentState.FAILED

    document.refresh_from_db()
    assert not document.file and not document.sha256 and not document.signed_at
    assert "thu hồi" in document.signing_error
    pending_approval.refresh_from_db()
    assert pending_approval.status == Status.APPROVED  # signing never moves the dossier
    client.force_login(officer)
    page = client.get(f"/officer/dossiers/{pending_approval.code}/documents/").content.decode()
    assert "thu hồi" in page


def test_an_unavailable_token_is_retried_and_swept_with_nothing_half_signed(
    demo_ca, commune, pending_approval, leader, django_capture_on_commit_callbacks, monkeypatch,
):
    SigningKey.objects.filter(user=leader).update(is_active=False)
    SigningKey.objects.create(
        purpose=KeyPurpose.PERSONAL, agency=commune, user=leader, backend=KeyBackend.PKCS11,
        pkcs11_module="/nonexistent/libsofthsm2.so", token_label="leader", key_label="sign",
        secret_env="VAULT_TEST_PIN", signer_name=VIETNAMESE_NAME,
    )
    monkeypatch.setenv("VAULT_TEST_PIN", "1234")

    # The approval goes through (an unplugged token is not the leader's fault); the render retries.
    document = _approve(pending_approval, leader, django_capture_on_commit_callbacks)
    assert document.state == DocumentState.PENDING

    document.refresh_from_db()
    assert document.attempts == 1 and not document.file and "PKCS#11" in document.signing_error
    # The token is back (here: the leader's PKCS#12 key again); the sweeper finishes the job.
    SigningKey.objects.filter(user=leader, backend=KeyBackend.PKCS11).update(is_active=False)
    SigningKey.objects.filter(user=leader, backend=KeyBackend.PKCS12).update(is_active=True)
    Document.objects.filter(pk=document.pk).update(created_at=document.created_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_sweep() == 1
    document.refresh_from_db()
    assert document.state == DocumentState.READY and document.signed_by == VIETNAMESE_NAME
