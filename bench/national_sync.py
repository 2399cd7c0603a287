"""Benchmark: the national portal sync against the local national portal over HTTP (PostgreSQL, Redis).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal CELERY_BROKER_URL=redis://127.0.0.1:6380/4 \
        DEBUG=1 .venv/bin/python bench/national_sync.py [--dossiers 1000 --changes 10 --samples 40]

Creates a PostgreSQL database `bench_national` beside DATABASE_URL's (dropped first, and at the end
unless --keep), migrates it, serves the portal (with the sandbox national portal) with gunicorn
on a free local port, and starts one real Celery worker process on the `default` queue. Then:

1. Latency with an idle worker: --samples dossiers are received one after another through the
   workflow service; for each, the time from the commit of the change to the national portal's
   record of it. Prints the median and p95 (target p95 < 5 s), and the ratio to the baseline: one
   direct push of the same payload over HTTP, measured in the same run.
2. Backlog: the worker is stopped, the national portal is switched down, and --dossiers ×
   --changes status changes are queued (rows as the status hook writes them: each dossier's
   versions 1..N, oldest first); a sweep finds the portal down. The portal comes back and two
   drainers (threads, as two workers) sweep until nothing is left. Prints the time to deliver
   everything (target < 10 min), and checks the national record: every change once (no SyncId
   twice, no resend needed), and per dossier in version order.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "bench_national"

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402


def _serve(env: dict[str, str]) -> tuple[str, subprocess.Popen]:
    """The portal (with the sandbox national portal) under gunicorn, as deployed: its own processes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(f"/tmp/bench-national-web-{os.getpid()}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "3", "--threads", "4", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).close()  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    return url, proc


def _worker(env: dict[str, str]) -> subprocess.Popen:
    log = open(f"/tmp/bench-national-worker-{os.getpid()}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default", "-c", "1", "-P", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _world():
    from accounts.models import Agency, AgencyKind, Role, User
    from tests.factories import make_procedure

    commune = Agency.objects.create(eid_code="H99.01.01", name="Xã An Phú", kind=AgencyKind.COMMUNE)
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Cán bộ Một cửa",
                                       role=Role.OFFICER, agency=commune)
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Nguyễn Văn An")
    return commune, officer, citizen, make_procedure(agency=commune, time_value=3)


def _submitted(version, commune, citizen):
    from applications import workflow
    from applications.models import Status
    from tests.factories import make_dossier

    draft = make_dossier(version, commune, citizen, status=Status.DRAFT)
    workflow.dossier_submit(draft, actor=citizen)
    return draft


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def latency(samples: int, commune, officer, citizen, version) -> tuple[list[float], float]:
    from applications import workflow
    from national.models import NationalSync, SyncState
    from national.payload import sync_payload
    from national.protocol import NationalPortalClient
    from sandbox.models import NationalPortalPush

    # Baseline: one direct push over HTTP of a payload like the ones measured (no queue, no worker).
    dossier = _submitted(version, commune, citizen)
    _wait(lambda: not NationalSync.objects.exclude(state=SyncState.DELIVERED).exists(), 30)
    row = NationalSync.objects.filter(dossier=dossier).last()
    client = NationalPortalClient.from_settings()
    payload = sync_payload(row)
    timings = []
    for n in range(20):
        payload["SyncId"] = f"00000000-0000-4000-8000-{n:012d}"
        start = time.perf_counter()
        client.push(payload)
        timings.append(time.perf_counter() - start)
    baseline = statistics.median(timings)

    dossiers = [_submitted(version, commune, citizen) for _ in range(samples)]
    _wait(lambda: not NationalSync.objects.exclude(state=SyncState.DELIVERED).exists(), 120)
    delays = []
    for dossier in dossiers:
        time.sleep(0.3)  # the worker is idle when the change happens
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
        committed = time.perf_counter()
        sync_id = str(NationalSync.objects.filter(dossier=dossier).latest("pk").sync_id)
        if not _wait(lambda sid=sync_id: NationalPortalPush.objects.filter(sync_id=sid).exists(), 30):
            raise SystemExit(f"a change was not pushed within 30 s (see /tmp/bench-national-worker-{os.getpid()}.log)")
        delays.append(time.perf_counter() - committed)
    return delays, baseline


def backlog(dossiers: int, changes: int, commune, citizen, version) -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    from applications.models import Dossier, DossierEvent, Status
    from national.models import OPEN_SYNC_STATES, NationalSync
    from national.services import sync_drain, sync_sweep
    from sandbox import national as sandbox_national
    from sandbox.models import NationalPortalPush
    from tests.factories import make_dossier

    NationalPortalPush.objects.all().delete()
    sandbox_national.switch_set("down")
    now = timezone.now()
    made = [make_dossier(version, commune, citizen, status=Status.PROCESSING, received_at=now) for _ in range(dossiers)]
    events = DossierEvent.objects.bulk_create([
        DossierEvent(dossier=dossier, action="received", at=now, from_status="submitted", to_status="processing")
        for dossier in made
    ])
    rows = [
        NationalSync(dossier=dossier, event=event, version=version_number, status_code=4, next_attempt_at=now)
        for version_number in range(1, changes + 1) for dossier, event in zip(made, events, strict=True)
    ]
    NationalSync.objects.bulk_create(rows, batch_size=2000)
    Dossier.objects.filter(pk__in=[d.pk for d in made]).update(version=changes)
    first = sync_sweep()
    assert first.interrupted and not NationalPortalPush.objects.exists(), "the portal should be down"

    sandbox_national.switch_set("up")
    start = time.perf_counter()

    def drainer():
        try:
            while NationalSync.objects.filter(state__in=OPEN_SYNC_STATES).exists():
                # The sweeper's clock: the one failed row's backoff is over by the time the beat comes back.
                sync_drain(now=timezone.now() + timezone.timedelta(hours=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=drainer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start

    total = dossiers * changes
    pushes = list(NationalPortalPush.objects.order_by("pk").values_list("national_code", "version", "sync_id",
                                                                        "resends"))
    assert len(pushes) == total, f"{len(pushes)} of {total} delivered"
    assert len({sync_id for _code, _v, sync_id, _r in pushes}) == total, "a change recorded twice"
    resent = sum(resends for *_rest, resends in pushes)
    last: dict[str, int] = {}
    for code, version_number, _sync_id, _resends in pushes:
        assert version_number > last.get(code, 0), f"{code}: version {version_number} after {last.get(code)}"
        last[code] = version_number
    return elapsed, resent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) are required")
    os.environ["DATABASE_URL"] = scratch_database_create(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["NATIONAL_PORTAL_TOKEN"] = os.environ["SANDBOX_NATIONAL_TOKEN"] = "bench-token"
    os.environ["NATIONAL_PORTAL_SECRET"] = os.environ["SANDBOX_NATIONAL_SECRET"] = "bench-secret"
    os.environ["PDF_RENDER_DELAY_SECONDS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    worker = web = None
    try:
        call_command("migrate", verbosity=0)
        env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        site, web = _serve(env)
        settings.SITE_URL = env["SITE_URL"] = site
        settings.NATIONAL_PORTAL_URL = env["NATIONAL_PORTAL_URL"] = site + "/sandbox/national/api"
        worker = _worker(env)
        time.sleep(4)
        commune, officer, citizen, version = _world()

        delays, baseline = latency(args.samples, commune, officer, citizen, version)
        worker.terminate()
        worker.wait(timeout=20)
        worker = None
        p95 = statistics.quantiles(delays, n=20)[-1]
        print(f"1. push after a change, idle worker ({len(delays)} changes): median {statistics.median(delays):.3f} s,"
              f" p95 {p95:.3f} s (target < 5 s); baseline direct push {baseline * 1000:.1f} ms;"
              f" p95 / baseline = {p95 / baseline:.1f}×")

        elapsed, resent = backlog(args.dossiers, args.changes, commune, citizen, version)
        total = args.dossiers * args.changes
        per_push = elapsed / total
        print(f"2. backlog of {total} changes ({args.dossiers} dossiers × {args.changes}) queued while the portal was"
              f" down: all delivered in {elapsed:.1f} s after it came back (target < 600 s), in order per dossier,"
              f" none recorded twice ({resent} resends); {per_push * 1000:.2f} ms per change ="
              f" {per_push / baseline:.2f}× the baseline direct push")
    finally:
        for proc in (worker, web):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=20)
        if not args.keep:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
