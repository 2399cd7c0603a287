"""A leader's key on a PKCS#11 token (SoftHSM2 standing in for a USB token): it signs; a token that
is not there is `KeyUnavailable` (retried), never a half-signed file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.vault.conftest import VIETNAMESE_NAME, sample_pdf
from vault.models import KeyBackend, SigningKey
from vault.services import KeyUnavailable, Purpose, pdf_signatures_validate, sign_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"

SOFTHSM_INSTALLED = Path(MODULE).exists() and shutil.which("softhsm2-util") is not None
if not SOFTHSM_INSTALLED and os.environ.get("REQUIRE_SERVICES") == "1":
    # CI installs softhsm2 (.ci/run): a missing token library there fails the run, it never skips.
    raise RuntimeError("REQUIRE_SERVICES=1 but SoftHSM2 is not installed (apt-get install softhsm2)")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SOFTHSM_INSTALLED, reason="softhsm2 not installed"),
]


@pytest.fixture
def token(demo_ca, leader, tmp_path, monkeypatch) -> SigningKey:
    """The leader's demo key and certificate moved onto a fresh SoftHSM token labelled "leader"."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("VAULT_TEST_TOKEN_PIN", PIN)
    key_row = SigningKey.objects.get(user=leader)
    private_key, certificate, _cas = pkcs12.load_key_and_certificates(
        Path(key_row.pkcs12_path).read_bytes(), demo_ca.password_file.read_bytes())
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    util = ["softhsm2-util"]
    subprocess.run([*util, "--init-token", "--free", "--label", "leader", "--pin", PIN, "--so-pin", "13579"],
                   check=True, capture_output=True)
    subprocess.run([*util, "--import", str(key_pem), "--token", "leader", "--label", "sign", "--id", "01",
                    "--pin", PIN], check=True, capture_output=True)
    library = pkcs11.lib(MODULE)
    library.reinitialize()  # re-read SOFTHSM2_CONF: this test's token folder
    with library.get_token(token_label="leader").open(user_pin=PIN, rw=True) as session:
        session.create_object({
            pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
            pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            pkcs11.Attribute.TOKEN: True, pkcs11.Attribute.LABEL: "sign", pkcs11.Attribute.ID: b"\x01",
            pkcs11.Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
            pkcs11.Attribute.SUBJECT: certificate.subject.public_bytes(),
            pkcs11.Attribute.ISSUER: certificate.issuer.public_bytes(),
        })
    key_row.backend = KeyBackend.PKCS11
    key_row.pkcs12_path = ""
    key_row.pkcs11_module = MODULE
    key_row.token_label = "leader"
    key_row.key_label = "sign"
    key_row.secret_env = "VAULT_TEST_TOKEN_PIN"
    key_row.secret_file = ""
    key_row.save()
    return key_row


def test_a_key_on_a_pkcs11_token_signs_the_result(token, commune, leader):
    signed = sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)

    [report] = pdf_signatures_validate(signed)
    assert report.ok and report.signer == VIETNAMESE_NAME


def test_a_token_that_is_not_plugged_in_is_unavailable_and_retried(token, commune, leader):
    SigningKey.objects.filter(pk=token.pk).update(token_label="not-plugged-in")

    with pytest.raises(KeyUnavailable) as refused:
        sign_pdf(sample_pdf(), agency=commune, signer=leader, purpose=Purpose.RESULT)
    assert not refused.value.permanent and "PKCS#11" in refused.value.message
