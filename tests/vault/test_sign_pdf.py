"""sign_pdf: PAdES with the right key, a readable Vietnamese stamp, and refusals."""

from __future__ import annotations

import subprocess

import pytest

from tests.vault.conftest import VIETNAMESE_NAME, expired_kwargs, reissue, sample_pdf, wrong_certificate
from vault import pki
from vault.models import KeyPurpose, SigningKey
from vault.services import (
    CertificateExpired,
    CertificateRevoked,
    KeyMismatch,
    NoSigningKey,
    NotAPdf,
    Purpose,
    pdf_signatures_validate,
    sign_pdf,
)

pytestmark = pytest.mark.django_db


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def test_result_is_signed_by_the_leader_with_a_vietnamese_stamp(demo_ca, commune, leader, tmp_path):
    signed = sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)

    [report] = pdf_signatures_validate(signed)
    assert report.ok and report.signer == VIETNAMESE_NAME and report.ltv
    assert f"Ký bởi: {VIETNAMESE_NAME}" in _pdftotext(signed, tmp_path)
    pdfsig = _pdfsig(signed, tmp_path)
    assert "Signature is Valid" in pdfsig and VIETNAMESE_NAME in pdfsig


def test_slip_is_signed_by_the_one_stop_shop(demo_ca, commune, tmp_path):
    signed = sign_pdf(sample_pdf(), agency=commune, purpose=Purpose.SLIP)

    [report] = pdf_signatures_validate(signed)
    assert report.ok and report.signer == f"Bộ phận Một cửa {commune.name}"


def test_a_scan_digitised_at_the_counter_is_certified_by_the_one_stop_shop(demo_ca, commune):
    [report] = pdf_signatures_validate(sign_pdf(sample_pdf("Bản quét"), agency=commune, purpose=Purpose.DIGITISED))

    assert report.ok and report.signer.startswith("Bộ phận Một cửa")


def test_a_file_that_is_not_a_pdf_is_refused_for_good(demo_ca, commune):
    with pytest.raises(NotAPdf) as refused:
        sign_pdf(b"GIF89a not a pdf", agency=commune, purpose=Purpose.DIGITISED)
    assert refused.value.permanent


def test_the_seal_signs_results_when_the_agency_says_so(demo_ca, commune, leader):
    SigningKey.objects.filter(agency=commune, purpose=KeyPurpose.SEAL).update(sign_results=True)

    [report] = pdf_signatures_validate(sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT))
    assert report.signer == commune.name


def test_a_pdf_changed_after_signing_fails(demo_ca, commune, tmp_path):
    signed = bytearray(sign_pdf(sample_pdf("Bản gốc"), agency=commune, purpose=Purpose.SLIP))
    at = signed.index(b"/MediaBox")
    signed[at + 11: at + 12] = b"9" if signed[at + 11: at + 12] != b"9" else b"8"

    [report] = pdf_signatures_validate(bytes(signed))
    assert not report.ok and not report.intact
    assert "Signature is Valid" not in _pdfsig(bytes(signed), tmp_path)


def test_a_signature_from_an_unknown_ca_is_untrusted(demo_ca, commune, settings, tmp_path):
    signed = sign_pdf(sample_pdf(), agency=commune, purpose=Purpose.SLIP)
    settings.VAULT_DEMO_DIR = tmp_path / "another-ca"  # the demo root is no longer trusted
    pki.demo_ca_create(settings.VAULT_DEMO_DIR, crl_url="http://127.0.0.1:9/crl")

    [report] = pdf_signatures_validate(signed)
    assert report.intact and not report.trusted and not report.ok


def test_an_expired_certificate_is_refused(demo_ca, commune, leader):
    reissue(demo_ca, SigningKey.objects.get(user=leader), **expired_kwargs())

    with pytest.raises(CertificateExpired) as refused:
        sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)
    assert "hết hạn" in refused.value.message and refused.value.permanent


def test_a_revoked_certificate_is_refused(demo_ca, commune, leader):
    pki.certificate_revoke(demo_ca, __import__("pathlib").Path(SigningKey.objects.get(user=leader).pkcs12_path))

    with pytest.raises(CertificateRevoked) as refused:
        sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)
    assert "thu hồi" in refused.value.message


def test_a_key_that_does_not_match_its_certificate_is_refused(demo_ca, commune, leader):
    wrong_certificate(demo_ca, SigningKey.objects.get(user=leader))

    with pytest.raises(KeyMismatch) as refused:
        sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)
    assert "không khớp" in refused.value.message


def test_a_leader_without_a_key_falls_back_to_the_seal(demo_ca, commune, leader):
    SigningKey.objects.filter(user=leader).update(is_active=False)

    [report] = pdf_signatures_validate(sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT))
    assert report.signer == commune.name


def test_no_key_configured_is_refused(demo_ca, commune, leader):
    SigningKey.objects.filter(agency=commune, purpose__in=[KeyPurpose.PERSONAL, KeyPurpose.SEAL]).update(
        is_active=False)

    with pytest.raises(NoSigningKey):
        sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)
