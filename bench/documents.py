"""Benchmark: official slips as PDFs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eng_d DEBUG=1 .venv/bin/python bench/documents.py

Prints, in one run:
  1. the median render time of Mẫu 01 (receipt and appointment slip, with its QR code) against
     WeasyPrint rendering a minimal page in the same process (target: ≤ 2×);
  2. documents per minute from one real worker (concurrency 1) fed through a real Redis;
  3. the time from the officer's receive action (dossier_receive) to the receipt being ready on an
     idle worker (target: < 2 s).
Parts 2 and 3 need PostgreSQL (the worker is another process) and redis-server; without them they
are skipped with a note.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RENDER_REPEAT = 40
THROUGHPUT_DOCUMENTS = 60
LATENCY_REPEAT = 7


def main() -> None:
    setup_test_environment()
    private = tempfile.mkdtemp(prefix="bench-documents-")
    settings.PRIVATE_MEDIA_ROOT = Path(private)
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private, "base_url": None},
    }}
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        people = setup()
        render_benchmark(people)
        worker_benchmarks(people)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def setup() -> dict:
    from accounts.models import Agency, AgencyKind, Role, User
    from tests.factories import make_procedure

    province = Agency.objects.create(eid_code="H99", name="UBND tỉnh Hòa An", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01.01", name="UBND xã An Phú", kind=AgencyKind.COMMUNE,
                                    parent=province)
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Nguyễn Văn An",
                                       role=Role.CITIZEN, phone="0912000001")
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Lê Thị Cúc",
                                       role=Role.OFFICER, agency=commune)
    return {"commune": commune, "citizen": citizen, "officer": officer, "version": make_procedure(agency=commune)}


def _dossier(people: dict, status: str):
    from tests.factories import make_dossier

    return make_dossier(people["version"], people["commune"], people["citizen"], status=status,
                        applicant_phone="0912000001", applicant_address="Thôn Đông, xã An Phú")


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_benchmark(people: dict) -> None:
    from django.utils import timezone

    from applications.documents import document_request, document_template, render_context
    from applications.models import DocumentKind, DossierEvent, Status
    from portal.lib.pdf import html_to_pdf, render_to_pdf

    dossier = _dossier(people, Status.RECEIVED)
    dossier.received_at = timezone.now()
    dossier.due_current = timezone.now() + timezone.timedelta(days=3)
    dossier.save()
    event = DossierEvent.objects.create(dossier=dossier, action="received", actor=people["officer"], at=timezone.now())
    document = document_request(dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}",
                                issued_by=people["officer"])
    minimal_html = render_to_string("pdf/minimal.html", {})
    faces_html = render_to_string("pdf/minimal.html", {"with_faces": True})

    def minimal() -> None:
        html_to_pdf(minimal_html, stylesheets=False)

    def faces() -> None:
        # The fixed cost every slip pays: A4 stylesheet + the three Liberation Serif faces embedded.
        html_to_pdf(faces_html)

    def receipt() -> None:
        render_to_pdf(document_template(document), render_context(document))

    for _ in range(3):  # warm up: imports, fonts, the parsed stylesheet
        minimal()
        receipt()
    minimal_ms = _median_ms(minimal, RENDER_REPEAT)
    faces_ms = _median_ms(faces, RENDER_REPEAT)
    receipt_ms = _median_ms(receipt, RENDER_REPEAT)
    print(f"render  minimal page (one line, no stylesheet):         median {minimal_ms:.1f} ms over {RENDER_REPEAT}")
    print(f"render  minimal A4 page (print.css, 3 serif faces):     median {faces_ms:.1f} ms over {RENDER_REPEAT}")
    print(f"render  Mẫu 01 receipt slip (A4, tables, fonts, QR):    median {receipt_ms:.1f} ms over {RENDER_REPEAT}")
    print(f"render  ratio Mẫu 01 / minimal page: {receipt_ms / minimal_ms:.2f}× (target ≤ 2×); "
          f"Mẫu 01 / minimal A4 page with the same fonts: {receipt_ms / faces_ms:.2f}×")


def worker_benchmarks(people: dict) -> None:
    import shutil

    if connection.vendor != "postgresql":
        print("worker  skipped: set DATABASE_URL=postgres://… (a worker process cannot see an in-memory SQLite DB)")
        return
    if shutil.which("redis-server") is None:
        print("worker  skipped: redis-server is not installed")
        return
    from tests.reliability.conftest import publishing_to
    from tests.support.services import celery_worker, redis_server, wait_for, worker_env

    with redis_server(appendonly=False) as (url, _stop, _start), publishing_to(url):
        env = worker_env({"CELERY_BROKER_URL": url, "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
                          "LOG_LEVEL": "WARNING"})
        with celery_worker(env, queues="documents,notifications", concurrency=1) as worker:
            try:
                _warm_worker(people, wait_for)
                throughput(people, wait_for)
                receive_latency(people)
            finally:
                worker.terminate()


def _warm_worker(people: dict, wait_for) -> None:
    from applications.documents import document_request
    from applications.models import Document, DocumentKind, DocumentState, Status

    dossier = _dossier(people, Status.RECEIVED)
    with transaction.atomic():
        document = document_request(dossier, DocumentKind.RECEIPT, source_key="bench:warm")
    wait_for(lambda: Document.objects.get(pk=document.pk).state == DocumentState.READY, timeout=120,
             message="the worker to start")


def throughput(people: dict, wait_for) -> None:
    from applications.documents import document_request
    from applications.models import Document, DocumentKind, DocumentState, Status

    dossiers = [_dossier(people, Status.RECEIVED) for _ in range(THROUGHPUT_DOCUMENTS)]
    start = time.perf_counter()
    with transaction.atomic():
        ids = [document_request(dossier, DocumentKind.RECEIPT, source_key=f"bench:tp:{dossier.pk}").pk
               for dossier in dossiers]
    wait_for(lambda: Document.objects.filter(pk__in=ids, state=DocumentState.READY).count() == len(ids),
             timeout=600, interval=0.2, message="the batch")
    elapsed = time.perf_counter() - start
    print(f"worker  {len(ids)} receipts in {elapsed:.1f} s from one worker (concurrency 1): "
          f"{len(ids) / elapsed * 60:.0f} documents per minute")


def receive_latency(people: dict) -> None:
    from applications.models import Document, DocumentKind, DocumentState, Status
    from applications.workflow import dossier_receive

    times = []
    for _ in range(LATENCY_REPEAT):
        dossier = _dossier(people, Status.SUBMITTED)
        time.sleep(0.5)  # an idle worker
        start = time.perf_counter()
        dossier_receive(dossier, actor=people["officer"], expected_version=dossier.version)
        while not Document.objects.filter(dossier=dossier, kind=DocumentKind.RECEIPT,
                                          state=DocumentState.READY).exists():
            time.sleep(0.01)
        times.append(time.perf_counter() - start)
    print(f"worker  receive action → receipt ready on an idle worker: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {LATENCY_REPEAT} (target < 2 s)")


if __name__ == "__main__":
    main()
