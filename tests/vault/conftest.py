from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.lib.pdf import html_to_pdf
from vault import pki
from vault.demo import demo_keys_install
from vault.models import SigningKey

VIETNAMESE_NAME = "Nguyễn Thị Ngọc Hường"


@pytest.fixture
def demo_ca(settings, tmp_path, live_server, commune, leader) -> pki.DemoCA:
    """The demo CA in a temporary folder, its CRL and timestamp server served by the live sandbox."""
    settings.SITE_URL = live_server.url
    settings.VAULT_DEMO_DIR = tmp_path / "vault-demo"
    settings.VAULT_TRUST_ROOTS = []
    settings.VAULT_TRUST_DEMO_CA = True
    settings.VAULT_TSA_URL = ""
    leader.full_name = VIETNAMESE_NAME
    leader.save(update_fields=["full_name"])
    demo_keys_install()
    ca = pki.demo_ca_load(settings.VAULT_DEMO_DIR)
    assert ca is not None
    return ca


def reissue(ca: pki.DemoCA, key: SigningKey, **kwargs) -> SigningKey:  # type: ignore[no-untyped-def]
    """Replace `key`'s PKCS#12 file with a new certificate (expired, wrong key, …)."""
    path = pki.certificate_issue(
        ca, file_stem=f"reissued-{key.pk}", common_name=key.signer_name, organization=key.agency.name, **kwargs
    )
    key.pkcs12_path = str(path)
    key.save(update_fields=["pkcs12_path"])
    return key


def wrong_certificate(ca: pki.DemoCA, key: SigningKey) -> SigningKey:
    """Point `key` at a certificate issued for another key pair (a mixed-up renewal)."""
    pki.certificate_issue(ca, file_stem=f"other-{key.pk}", common_name=key.signer_name, organization=key.agency.name)
    key.certificate_path = str(ca.directory / f"other-{key.pk}.pem")
    key.save(update_fields=["certificate_path"])
    return key


def expired_kwargs() -> dict:
    now = datetime.now(UTC)
    return {"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=1)}


def sample_pdf(text: str = "Kết quả giải quyết thủ tục hành chính") -> bytes:
    return html_to_pdf(f"<html><body><h1>{text}</h1></body></html>")
