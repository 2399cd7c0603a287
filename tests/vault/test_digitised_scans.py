"""Scans digitised at the counter are certified with the one-stop shop's signature (Circular 01/2023
Art 8): PDFs signed, images laid on a page and signed, once; an agency without keys leaves them
unsigned; a refused certificate is recorded with its reason and keeps the original; an unreachable
token is retried by the documents sweep; a signed file that cannot be stored leaves the original."""

from __future__ import annotations

import hashlib
import subprocess
import uuid
from pathlib import Path

import pytest

from django.db import connection
from django.urls import reverse

from applications.digitisation import digitised_scan_certify
from applications.filing import attachments_add_batch
from applications.models import Attachment, Certification, Channel, Dossier, ScanStatus, Status
from applications.tasks import document_sweep
from tests.applications.filing.builders import image_bytes, upload
from tests.docstore.builders import typed_procedure
from tests.factories import make_dossier
from tests.support.services import celery_worker, publishing_to, redis_server, unavailable, wait_for, worker_env
from tests.vault.conftest import expired_kwargs, reissue, sample_pdf
from vault import pki
from vault.models import KeyBackend, KeyPurpose, SigningKey
from vault.services import pdf_signatures_validate

pytestmark = pytest.mark.django_db

SCAN = sample_pdf("Giấy khai sinh bản chính, quét tại Bộ phận Một cửa")


def _pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def _scan_at_counter(commune, officer, owner, capture, name="giay-khai-sinh.pdf", content=SCAN,
                     content_type="application/pdf") -> Attachment:
    version = typed_procedure(commune)
    dossier = make_dossier(version, commune, owner, status=Status.DRAFT, filed_by=officer, channel=Channel.IN_PERSON)
    component = version.components.get(order=2)
    with capture(execute=True):
        [scan] = attachments_add_batch(dossier, [(component, upload(name, content, content_type))], by=officer,
                                       is_digitised=True)
    scan.refresh_from_db()
    return scan


def _filed(dossier: Dossier) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUBMITTED, code=f"T-{uuid.uuid4().hex[:10]}")
    dossier.refresh_from_db()
    return dossier


def _one_stop_key(commune) -> SigningKey:
    return SigningKey.objects.get(agency=commune, purpose=KeyPurpose.ONE_STOP, is_active=True)


def test_a_pdf_scan_is_signed_by_the_one_stop_shop_and_shown_certified(
    demo_ca, commune, officer, citizen, client, tmp_path, django_capture_on_commit_callbacks,
):
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)
    original_path = Path(scan.file.path)  # replaced: the path of the signed file

    data = scan.file.read()
    assert scan.certification == Certification.CERTIFIED and scan.certified_at is not None
    assert scan.certified_by.startswith("Bộ phận Một cửa") and scan.certification_error == ""
    assert data.startswith(SCAN) and data != SCAN  # an incremental signature over the scan as it was
    assert scan.sha256 == hashlib.sha256(data).hexdigest() != hashlib.sha256(SCAN).hexdigest()
    assert scan.size == len(data) and scan.original_name == "giay-khai-sinh.pdf"
    assert "Signature is Valid" in _pdfsig(data, tmp_path)
    [report] = pdf_signatures_validate(data)
    assert report.ok and report.signer.startswith("Bộ phận Một cửa")
    assert original_path.exists()
    assert len(list(original_path.parent.iterdir())) == 1  # the unsigned file was deleted after commit

    dossier = _filed(scan.dossier)
    certified = "Đã chứng thực bằng chữ ký số của Bộ phận Một cửa lúc"
    client.force_login(officer)
    assert certified in client.get(f"/officer/dossiers/{dossier.code}/").content.decode()
    client.force_login(citizen)
    assert certified in client.get(reverse("docstore:my-documents")).content.decode()


def test_running_the_task_twice_signs_once(demo_ca, commune, officer, citizen, django_capture_on_commit_callbacks):
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)
    data = scan.file.read()

    with django_capture_on_commit_callbacks(execute=True):
        assert digitised_scan_certify(attachment_id=scan.pk) == Certification.CERTIFIED
        assert document_sweep(older_than_seconds=0) == 0  # a certified scan is not swept either

    scan.refresh_from_db()
    assert scan.file.read() == data and scan.certification_attempts == 1
    assert len(pdf_signatures_validate(data)) == 1


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_an_image_scan_is_laid_on_a_page_and_signed(
    demo_ca, commune, officer, citizen, tmp_path, kind, content_type, django_capture_on_commit_callbacks,
):
    name = "cccd-mat-truoc.png" if kind == "PNG" else "cccd-mat-truoc.jpg"
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks, name=name,
                            content=image_bytes(kind), content_type=content_type)

    data = scan.file.read()
    assert scan.certification == Certification.CERTIFIED
    assert scan.original_name == "cccd-mat-truoc.pdf" and scan.content_type == "application/pdf"
    assert data.startswith(b"%PDF") and scan.sha256 == hashlib.sha256(data).hexdigest()
    assert "Signature is Valid" in _pdfsig(data, tmp_path)
    [report] = pdf_signatures_validate(data)
    assert report.ok
    pdfinfo = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
    assert "Pages:           1" in pdfinfo
    path = tmp_path / "wrapped.pdf"
    path.write_bytes(data)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 3  # header, rule, the scanned picture


def test_an_agency_without_keys_leaves_the_scan_unsigned_without_an_error(
    commune, officer, citizen, client, django_capture_on_commit_callbacks,
):
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)

    assert scan.certification == Certification.UNSIGNED and scan.certified_at is None
    assert scan.certification_error == "" and scan.file.read() == SCAN
    assert scan.sha256 == hashlib.sha256(SCAN).hexdigest()
    dossier = _filed(scan.dossier)
    client.force_login(officer)
    page = client.get(f"/officer/dossiers/{dossier.code}/").content.decode()
    assert "Đã chứng thực" not in page and "Chưa chứng thực" not in page


@pytest.mark.parametrize("refusal", ["expired", "revoked"])
def test_a_refused_certificate_records_the_reason_and_keeps_the_original(
    demo_ca, commune, officer, citizen, client, refusal, django_capture_on_commit_callbacks,
):
    key = _one_stop_key(commune)
    if refusal == "expired":
        reissue(demo_ca, key, **expired_kwargs())
    else:
        pki.certificate_revoke(demo_ca, Path(key.pkcs12_path))

    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)

    reason = "hết hạn" if refusal == "expired" else "thu hồi"
    assert scan.certification == Certification.FAILED and reason in scan.certification_error
    assert scan.file.read() == SCAN and scan.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert scan.certified_at is None
    # Permanent: neither the sweep nor a redelivered task tries again.
    assert document_sweep(older_than_seconds=0) == 0
    assert digitised_scan_certify(attachment_id=scan.pk) == Certification.FAILED
    dossier = _filed(scan.dossier)
    client.force_login(officer)
    page = client.get(f"/officer/dossiers/{dossier.code}/").content.decode()
    assert "Chưa chứng thực được bản số hóa" in page and reason in page


def test_an_unavailable_token_is_retried_by_the_sweep(
    demo_ca, commune, officer, citizen, tmp_path, monkeypatch, django_capture_on_commit_callbacks,
):
    key = _one_stop_key(commune)
    SigningKey.objects.filter(pk=key.pk).update(is_active=False)
    SigningKey.objects.create(
        purpose=KeyPurpose.ONE_STOP, agency=commune, backend=KeyBackend.PKCS11,
        pkcs11_module="/nonexistent/libsofthsm2.so", token_label="mot-cua", key_label="sign",
        secret_env="VAULT_TEST_PIN", signer_name=key.signer_name,
    )
    monkeypatch.setenv("VAULT_TEST_PIN", "1234")

    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)

    assert scan.certification == Certification.PENDING and "PKCS#11" in scan.certification_error
    assert scan.certification_attempts == 1 and scan.file.read() == SCAN
    # Not yet due for the sweep: a scan just made waits for its own task.
    assert document_sweep() == 0
    # The token is back (here: the PKCS#12 key again); the sweep finishes the job.
    SigningKey.objects.filter(agency=commune, backend=KeyBackend.PKCS11).update(is_active=False)
    SigningKey.objects.filter(pk=key.pk).update(is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert document_sweep(older_than_seconds=0) == 1
    scan.refresh_from_db()
    data = scan.file.read()
    assert scan.certification == Certification.CERTIFIED and scan.certification_error == ""
    assert "Signature is Valid" in _pdfsig(data, tmp_path) and scan.sha256 == hashlib.sha256(data).hexdigest()


def test_a_signed_file_that_cannot_be_stored_leaves_the_original(
    demo_ca, commune, officer, citizen, settings, tmp_path, django_capture_on_commit_callbacks,
):
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "tests.support.storage.SignedFilesRefusedStorage", "OPTIONS": {"location": private, "base_url": None},
    }}
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)

    assert scan.certification == Certification.PENDING and "Không lưu được" in scan.certification_error
    assert scan.file.read() == SCAN and scan.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert [p.name for p in Path(scan.file.path).parent.iterdir()] == [Path(scan.file.path).name]


@pytest.mark.services
@pytest.mark.slow
def test_a_real_worker_on_the_documents_queue_certifies_the_scan_after_commit(
    demo_ca, commune, officer, citizen, settings, tmp_path,
):
    if connection.vendor != "postgresql":
        unavailable("the worker must see the test's rows in PostgreSQL")
    version = typed_procedure(commune)
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT, filed_by=officer, channel=Channel.IN_PERSON)
    component = version.components.get(order=2)
    with redis_server() as (url, _stop, _start), publishing_to(url):
        env = worker_env({
            "CELERY_BROKER_URL": url, "VAULT_DEMO_DIR": str(settings.VAULT_DEMO_DIR), "VAULT_TRUST_DEMO_CA": "1",
            "VAULT_TRUST_ROOTS": "", "VAULT_TSA_URL": "", "SITE_URL": settings.SITE_URL,
        })
        with celery_worker(env, queues="documents") as worker:
            [scan] = attachments_add_batch(dossier, [(component, upload("scan.pdf", SCAN))], by=officer,
                                           is_digitised=True)
            try:
                wait_for(lambda: Attachment.objects.filter(pk=scan.pk, certification=Certification.CERTIFIED).exists(),
                         timeout=90, message="the worker to certify the scan")
            except AssertionError:
                worker.terminate()
                raise
    scan.refresh_from_db()
    data = scan.file.read()
    assert "Signature is Valid" in _pdfsig(data, tmp_path) and scan.sha256 == hashlib.sha256(data).hexdigest()


def test_a_scan_in_malware_quarantine_waits_until_it_is_released(
    demo_ca, commune, officer, citizen, django_capture_on_commit_callbacks,
):
    # The live server makes this test transactional, so the task runs at commit: put the row back
    # the way it is when it arrives quarantined while its task waits in the queue.
    key = _one_stop_key(commune)
    SigningKey.objects.filter(pk=key.pk).update(is_active=False)
    scan = _scan_at_counter(commune, officer, citizen, django_capture_on_commit_callbacks)
    SigningKey.objects.filter(pk=key.pk).update(is_active=True)
    Attachment.objects.filter(pk=scan.pk).update(scan_status=ScanStatus.QUARANTINED,
                                                 certification=Certification.PENDING)

    assert digitised_scan_certify(attachment_id=scan.pk) == "waiting"
    scan.refresh_from_db()
    assert scan.certification == Certification.PENDING and scan.file.read() == SCAN

    Attachment.objects.filter(pk=scan.pk).update(scan_status=ScanStatus.CLEAN)  # the rescan released it
    with django_capture_on_commit_callbacks(execute=True):
        assert digitised_scan_certify(attachment_id=scan.pk) == Certification.CERTIFIED
