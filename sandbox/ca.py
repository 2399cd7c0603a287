"""The demo certificate authority's public endpoints (DEBUG only): its CRL and an RFC 3161
timestamp server, so signatures made with demo certificates carry revocation data and a
trusted time like real ones."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import keys, pem, tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from vault import pki


def _ca() -> pki.DemoCA:
    ca = pki.demo_ca_load(Path(settings.VAULT_DEMO_DIR))
    if ca is None:
        raise Http404
    return ca


@require_GET
def crl(request: HttpRequest) -> HttpResponse:
    """The current CRL, re-issued on each request so it never goes stale."""
    return HttpResponse(pki.crl_publish(_ca()), content_type="application/pkix-crl")


@csrf_exempt  # a machine-to-machine protocol (RFC 3161 over HTTP), no browser session
@require_POST
def tsa(request: HttpRequest) -> HttpResponse:
    ca = _ca()
    try:
        query = tsp.TimeStampReq.load(request.body)
        _parsed = query.native  # parse eagerly: garbage fails here
    except Exception:
        return HttpResponseBadRequest("bad timestamp query", content_type="text/plain")
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(_pem_der(ca.directory / "tsa.pem")),
        tsa_key=keys.PrivateKeyInfo.load(_pem_der(ca.directory / "tsa-key.pem")),
        certs_to_embed=[asn1_x509.Certificate.load(_pem_der(ca.root_path))],
    )
    response = stamper.request_tsa_response(query)
    return HttpResponse(response.dump(), content_type="application/timestamp-reply")


def _pem_der(path: Path) -> bytes:
    _type, _headers, der = pem.unarmor(path.read_bytes())
    return der
