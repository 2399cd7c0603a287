"""Benchmark: deep and bad page numbers on the officer's "all" queue over 100,000 dossiers.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/deep_pages.py

Seeds a scratch database `bench_deep_pages` like bench/queue_page.py, then requests the first page, the
deepest page served and `?page=999999`, each with the bounded pages (LIST_MAX_ROWS=10000, the default)
and with the bound lifted (LIST_MAX_ROWS=10**9: Django's Paginator as before, whole-queue count, the page
after the last answered with the last page). Prints the median time, the status and the query count.
Options: --dossiers N (default 100000), --requests N (default 9), --keep.
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
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "bench_deep_pages"

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402


def _measure(client, url: str, requests: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings, status, queries = [], 0, 0
    for _ in range(requests):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        timings.append(time.perf_counter() - started)
        status, queries = response.status_code, len(captured.captured_queries)
    return statistics.median(timings) * 1000, status, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=9)
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
    from queue_page import _seed

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STAFF_2FA_REQUIRED = False
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        officer, _specialist = _seed(options.dossiers)
        print(f"seeded {options.dossiers:,} dossiers in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(officer)
        print(f"{'LIST_MAX_ROWS':>14} {'page':>8} {'median ms':>10} {'status':>7} {'queries':>8}")
        for limit in (10_000, 10**9):
            settings.LIST_MAX_ROWS = limit
            for page in ("1", "400", "999999"):
                median, status, queries = _measure(client, f"/officer/?queue=all&page={page}", options.requests)
                print(f"{limit:>14} {page:>8} {median:10.1f} {status:7d} {queries:8d}")
    finally:
        if not options.keep:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
