"""The timestamp server (the sandbox's RFC 3161 endpoint over HTTP): stamped, down, garbage; and the
deploy check that keeps demo certificates out of production."""

from __future__ import annotations

import pytest
import requests

from tests.vault.conftest import sample_pdf
from vault.checks import demo_certificates_refused
from vault.services import KeyUnavailable, Purpose, pdf_signatures_validate, sign_pdf

pytestmark = pytest.mark.django_db


def test_a_configured_timestamp_server_stamps_the_signature(demo_ca, commune, settings, live_server):
    settings.VAULT_TSA_URL = live_server.url + "/sandbox/ca/tsa"

    [report] = pdf_signatures_validate(sign_pdf(sample_pdf(), agency=commune, purpose=Purpose.SLIP))

    assert report.ok and report.timestamped and report.ltv


@pytest.mark.parametrize("path", ["http://127.0.0.1:9/tsa", "/sandbox/ca/crl"])
def test_a_timestamp_server_down_or_answering_garbage_is_retried_later(demo_ca, commune, settings, live_server, path):
    settings.VAULT_TSA_URL = path if path.startswith("http") else live_server.url + path

    with pytest.raises(KeyUnavailable) as refused:
        sign_pdf(sample_pdf(), agency=commune, purpose=Purpose.SLIP)
    assert not refused.value.permanent


def test_the_sandbox_timestamp_server_refuses_garbage(demo_ca, live_server):
    response = requests.post(live_server.url + "/sandbox/ca/tsa", data=b"not a query", timeout=10)

    assert response.status_code == 400


def test_the_deploy_check_refuses_demo_certificates_and_the_demo_root(demo_ca, settings):
    ids = {error.id for error in demo_certificates_refused(None)}
    assert {"vault.E001", "vault.E004"} <= ids

    settings.VAULT_TRUST_DEMO_CA = False
    settings.VAULT_TRUST_ROOTS = [str(demo_ca.root_path)]
    assert "vault.E003" in {error.id for error in demo_certificates_refused(None)}


def test_the_deploy_check_passes_without_demo_material(db, settings):
    settings.VAULT_TRUST_DEMO_CA = False
    settings.VAULT_TRUST_ROOTS = []

    assert demo_certificates_refused(None) == []
