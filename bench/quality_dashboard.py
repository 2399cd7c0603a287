"""Benchmark: the quality dashboard and /minh-bach/ over a large generated dossier history.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_quality DEBUG=1 \
        .venv/bin/python bench/quality_dashboard.py --dossiers 1000000

Creates a PostgreSQL database `bench_quality` on the server of DATABASE_URL (dropped first, and again
at the end unless --keep), migrates it, writes the history with quality.history.history_copy (PostgreSQL COPY, in
chunks: every outcome, pause, apology, extension, refusal and channel, over three years, 30 agencies,
40 procedures), builds the summary with `rebuild_quality_summary`, then requests each page with Django's
test Client and prints the median time, the query count, and the ratio to the site shell (base.html
rendered by a bare view) measured in the same run. Target: dashboard and /minh-bach/ < 100 ms median.
BENCH_QUALITY_DB names another scratch database. Options: --dossiers N (default 1,000,000), --requests N (default 30), --keep, --reuse (skip seeding a
kept database).
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
BENCH_DB = os.environ.get("BENCH_QUALITY_DB", "bench_quality")
CHUNK = 20_000

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402


def _seed(count: int):
    from datetime import datetime

    from accounts.models import Agency, AgencyKind, Role, User
    from quality.history import history_copy
    from tests.factories import make_procedure
    from workdays.services import local_time_zone

    province = Agency.objects.create(eid_code="H99", name="Tỉnh thử", kind=AgencyKind.PROVINCE)
    communes = [Agency.objects.create(eid_code=f"H99.01.{n:02d}", name=f"Xã {n}", kind=AgencyKind.COMMUNE,
                                      parent=province) for n in range(1, 31)]
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Cán bộ", role=Role.OFFICER,
                                       agency=communes[0])
    versions = [make_procedure(agency=communes[n % 30], name=f"Thủ tục {n}") for n in range(40)]
    start = datetime(2024, 1, 1, 7, tzinfo=local_time_zone())
    for seed, first in enumerate(range(0, count, CHUNK), start=1):
        history_copy(agencies=communes, versions=versions, actor=officer, count=min(CHUNK, count - first),
                         start=start, days=3 * 365, seed=seed, code_prefix="B")
        if seed % 10 == 0:
            print(f"  … {first + CHUNK:,} dossiers", flush=True)


def _users():
    from accounts.models import Agency, Role, User

    commune = Agency.objects.get(eid_code="H99.01.01")
    leader, _ = User.objects.get_or_create(email="leader@bench.vn", defaults={
        "full_name": "Lãnh đạo", "role": Role.LEADER, "agency": commune})
    admin, _ = User.objects.get_or_create(email="admin@bench.vn", defaults={
        "full_name": "Quản trị", "role": Role.ADMIN, "agency": Agency.objects.get(eid_code="H99")})
    if not admin.is_staff:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    return leader, admin


def _measure(client, url: str, requests: int, *, clear_cache: bool = False) -> tuple[float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session and the template cache
    timings = []
    for _ in range(requests):
        if clear_cache:
            cache.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the bench creates its own database there).")
    if options.reuse:
        from urllib.parse import urlparse, urlunparse

        os.environ["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{BENCH_DB}"))
    else:
        os.environ["DATABASE_URL"] = scratch_database_create(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STAFF_2FA_REQUIRED = False  # the bench signs in with force_login (DEBUG on allows it)
    import bare_wsgi  # noqa: F401 - routes /shell/ (the baseline) beside the portal's URLs

    try:
        if not options.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            _seed(options.dossiers)
            print(f"seeded {options.dossiers:,} dossiers in {time.perf_counter() - started:.1f} s", flush=True)
            started = time.perf_counter()
            call_command("rebuild_quality_summary", verbosity=0)
            print(f"rebuilt the summary in {time.perf_counter() - started:.1f} s", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM applications_dossier")
            dossiers = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM quality_dailysummary")
            rows = cursor.fetchone()[0]
        print(f"{dossiers:,} dossiers, {rows:,} summary rows")
        leader, admin = _users()
        client = Client()
        client.force_login(leader)
        shell, _queries = _measure(client, "/shell/", options.requests)
        print(f"{'page':52} {'median ms':>10} {'queries':>8} {'× shell':>8}")
        print(f"{'baseline: site shell (bare view, base.html)':52} {shell:10.1f} {'':>8} {1:8.2f}")
        pages = [
            (client, "leader: dashboard, this year", "/officer/quality/?period=year&year=2026"),
            (client, "leader: dashboard, one month", "/officer/quality/?period=month&year=2026&month=3"),
            (client, "leader: drill-down, late in the year", "/officer/quality/dossiers/resolved_late/?period=year&year=2026"),
        ]
        admin_client = Client()
        admin_client.force_login(admin)
        pages.append((admin_client, "admin: dashboard, all agencies, this year", "/officer/quality/?period=year&year=2026"))
        pages.append((client, "leader: dashboard, this year (cache cleared)", "/officer/quality/?period=year&year=2026"))
        for page_client, label, path in pages:
            median, queries = _measure(page_client, path, options.requests, clear_cache="cleared" in label)
            print(f"{label:52} {median:10.1f} {queries:8d} {median / shell:8.2f}")
        anonymous = Client()
        for label, clear in (("public: /minh-bach/ (cached)", False), ("public: /minh-bach/ (cache cleared)", True)):
            median, queries = _measure(anonymous, "/minh-bach/", options.requests, clear_cache=clear)
            print(f"{label:52} {median:10.1f} {queries:8d} {median / shell:8.2f}")
    finally:
        if not options.keep and not options.reuse:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
