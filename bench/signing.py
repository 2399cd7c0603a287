"""Benchmark: what PAdES signing adds to an official document.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_x DEBUG=1 .venv/bin/python bench/signing.py

Prints, in one run, for the e-result (Mẫu: Kết quả giải quyết) of one dossier:
  1. the median time to render the PDF alone (the baseline), to sign an already rendered PDF as PAdES
     B-B (no revocation fetching), and as PAdES B-LT (the demo CA's CRL fetched over HTTP from a local
     server and embedded), each also as a ratio to rendering;
  2. documents per minute for one worker process running the documents task (`document_generate`:
     lock, render, sign, store) with signing (B-LT) against without (the agency has no key), in
     the same process and database.
The demo CA is created in a temporary folder; nothing outside it is touched.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RENDER_REPEAT = 15
THROUGHPUT_DOCUMENTS = 20


def _crl_server(directory: Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            data = (directory / "crl.der").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    setup_test_environment()
    scratch = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    settings.PRIVATE_MEDIA_ROOT = scratch / "private"
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(scratch / "private"), "base_url": None},
    }}
    settings.VAULT_DEMO_DIR = scratch / "ca"
    settings.VAULT_TRUST_DEMO_CA = True
    settings.VAULT_TRUST_ROOTS = []
    settings.VAULT_TSA_URL = ""
    (scratch / "ca").mkdir()
    server = _crl_server(scratch / "ca")
    settings.SITE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        server.shutdown()


def run() -> None:
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Role, User
    from applications.documents import document_generate, document_request, document_template, render_context
    from applications.models import Document, DocumentKind, DossierEvent, Status
    from portal.lib.pdf import render_to_pdf
    from tests.factories import make_dossier, make_procedure
    from vault.demo import demo_keys_install
    from vault.models import SigningKey
    from vault.services import Purpose, sign_pdf

    province = Agency.objects.create(eid_code="H99", name="UBND tỉnh Hòa An", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01.01", name="UBND xã An Phú", kind=AgencyKind.COMMUNE,
                                    parent=province, head_title="Chủ tịch", head_name="Trương Thị Hằng")
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Nguyễn Văn An",
                                       role=Role.CITIZEN, phone="0912000001")
    leader = User.objects.create_user(email="leader@bench.vn", password="x", full_name="Nguyễn Thị Ngọc Hường",
                                      role=Role.LEADER, agency=commune)
    version = make_procedure(agency=commune)
    demo_keys_install()

    def result_document() -> Document:
        dossier = make_dossier(version, commune, citizen, status=Status.APPROVED, applicant_phone="0912000001")
        event = DossierEvent.objects.create(dossier=dossier, action="approved", actor=leader, at=timezone.now())
        return document_request(dossier, DocumentKind.RESULT, source_key=f"event:{event.pk}", issued_by=leader)

    sample = result_document()
    rendered = render_to_pdf(document_template(sample), render_context(sample))

    def render() -> None:
        render_to_pdf(document_template(sample), render_context(sample))

    def sign() -> None:
        sign_pdf(rendered, agency=commune, signer=leader, purpose=Purpose.RESULT)

    for _ in range(2):  # warm up: imports, fonts, the parsed stylesheet
        render()
        sign()
    render_ms = _median_ms(render, RENDER_REPEAT)
    settings.VAULT_FETCH_REVOCATION = False
    sign_bb_ms = _median_ms(sign, RENDER_REPEAT)
    settings.VAULT_FETCH_REVOCATION = True
    sign_lt_ms = _median_ms(sign, RENDER_REPEAT)
    print(f"render the e-result alone (baseline): {render_ms:7.1f} ms")
    print(f"sign it, PAdES B-B:                   {sign_bb_ms:7.1f} ms  ({sign_bb_ms / render_ms:.2f}× the render time)")
    print(f"sign it, PAdES B-LT (CRL over HTTP):  {sign_lt_ms:7.1f} ms  ({sign_lt_ms / render_ms:.2f}× the render time)")

    def per_minute(signed: bool) -> float:
        SigningKey.objects.filter(agency=commune).update(is_active=signed)
        documents = [result_document() for _ in range(THROUGHPUT_DOCUMENTS)]
        start = time.perf_counter()
        for document in documents:
            assert document_generate(document_id=document.pk) == "ready"
        elapsed = time.perf_counter() - start
        assert all(bool(d.signed_at) == signed for d in Document.objects.filter(pk__in=[d.pk for d in documents]))
        return THROUGHPUT_DOCUMENTS / elapsed * 60

    unsigned = per_minute(False)
    signed = per_minute(True)
    print(f"documents/minute, one worker, unsigned: {unsigned:6.1f}")
    print(f"documents/minute, one worker, signed:   {signed:6.1f}  ({signed / unsigned:.2f}× unsigned, "
          f"+{60000 / signed - 60000 / unsigned:.0f} ms per document)")


if __name__ == "__main__":
    main()
