"""Benchmark: the back office's queue page over 100,000 dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/queue_page.py

Creates a PostgreSQL database `bench_queue` on the server of DATABASE_URL (dropped first if it
exists, and dropped again at the end unless --keep), migrates it, bulk-creates the dossiers
(80% in the officer's commune; about a tenth open, the rest finished), then requests each queue page with
Django's test Client and prints the median time and the number of queries. Options:
--dossiers N (default 100000), --requests N (default 30), --keep.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "bench_queue"

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402


def _seed(count: int):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Role, User
    from applications.models import Dossier, Status
    from tests.factories import make_procedure

    province = Agency.objects.create(eid_code="H99", name="Tỉnh thử", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01.01", name="Xã An Phú", kind=AgencyKind.COMMUNE, parent=province)
    other = Agency.objects.create(eid_code="H99.01.02", name="Xã Bình Minh", kind=AgencyKind.COMMUNE, parent=province)
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Cán bộ", role=Role.OFFICER,
                                       agency=commune)
    specialist = User.objects.create_user(email="specialist@bench.vn", password="x", full_name="Chuyên viên",
                                          role=Role.SPECIALIST, agency=commune)
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Công dân")
    versions = [make_procedure(agency=commune, name=f"Thủ tục {i}") for i in range(10)]
    # Roughly a commune's book after a few years: most dossiers are finished, a tenth are open.
    states = ([Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
               Status.AWAITING_PAYMENT, Status.PENDING_APPROVAL, Status.APPROVED]
              + [Status.RETURNED] * 60 + [Status.REFUSED] * 8 + [Status.WITHDRAWN] * 2)
    now = timezone.now()
    batch: list[Dossier] = []
    for n in range(count):
        agency = commune if n % 5 else other
        status = states[n % len(states)]
        submitted = now - timedelta(minutes=n)
        received = status != Status.SUBMITTED
        batch.append(Dossier(
            code=f"{agency.legacy_code()}-{submitted:%y%m%d}-B{n:07d}", procedure_version=versions[n % 10],
            agency=agency, owner=citizen, filed_by=citizen, status=status, applicant_name=f"Người nộp {n}",
            subject_name=f"Người nộp {n}", submitted_at=submitted,
            received_at=submitted if received else None,
            due_original=submitted + timedelta(days=3) if received else None,
            due_current=submitted + timedelta(days=3) if received else None,
            assigned_to=specialist if status in (Status.PROCESSING, Status.PENDING_APPROVAL) else None,
        ))
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)
            batch = []
    Dossier.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        # A steady-state table: autovacuum has set the visibility map, so counts can use index-only scans.
        cursor.execute("VACUUM ANALYZE")
    return officer, specialist


def _measure(client, url: str, requests: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the session
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the bench creates its own database there).")
    os.environ["DATABASE_URL"] = scratch_database_create(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        officer, specialist = _seed(options.dossiers)
        print(f"seeded {options.dossiers:,} dossiers in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(officer)
        print(f"{'page':45} {'median ms':>10} {'queries':>8}")
        for label, url in [
            ("officer: new submissions (default)", "/officer/"),
            ("officer: in processing", "/officer/?queue=processing"),
            ("officer: overdue", "/officer/?queue=overdue"),
            ("officer: all, search by name", "/officer/?queue=all&q=Ng%C6%B0%E1%BB%9Di+n%E1%BB%99p+4242"),
            ("officer: all, page 200", "/officer/?queue=all&page=200"),
        ]:
            median, queries = _measure(client, url, options.requests)
            print(f"{label:45} {median:10.1f} {queries:8d}")
        client.force_login(specialist)
        median, queries = _measure(client, "/officer/?queue=mine", options.requests)
        print(f"{'specialist: mine':45} {median:10.1f} {queries:8d}")
    finally:
        if not options.keep:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
