"""Benchmark: what a citizen's final submit costs as the commune's one-stop officers grow.

    set -a; . ./.env; set +a; .venv/bin/python bench/submit_fanout.py [--repeat 15] [--officers 1,10,30]

Builds a scratch database (bench_fanout_<name of DATABASE_URL's database>), a commune with N one-stop
officers (each with an e-mail address) and a citizen with e-mail and phone, then POSTs the review
page of complete online drafts (`/dossiers/draft/<pk>/review/`, the citizen's final submit, through
the test Client with all middleware) and prints, per N, the median wall and CPU time, the queries and the
tasks published, and the ratios N/1. The officer counts take turns, so a shared machine's load falls on each alike.

Publishing is real: tasks go to CELERY_BROKER_URL (BENCH_BROKER_URL overrides it) as in production,
and the queues this bench published to are purged at the end (no worker is needed). The cache is the
Redis of BENCH_REDIS_URL (database 15 by default), as production runs on Redis. Without a broker,
Celery runs tasks eagerly and the times include sending every message.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inprocess_env import production_like  # noqa: E402

production_like(broker_url=os.environ.get("BENCH_BROKER_URL") or os.environ.get("CELERY_BROKER_URL", ""))

QUEUES = ("notifications", "documents", "default")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="submits measured per officer count")
    parser.add_argument("--officers", default="1,10,30", help="officer counts, comma-separated (the first is the base)")
    options = parser.parse_args()

    import django

    django.setup()
    import logging
    import warnings

    from django.conf import settings

    # One access line per submit would bury the table; the static folder is not needed here.
    logging.getLogger("portal.access").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if not settings.CELERY_BROKER_URL:
        print("no CELERY_BROKER_URL: tasks run eagerly, the times include sending every message")
    # A scratch database of the bench's own: the tests' test_<name> may be in use beside it.
    connection.settings_dict["TEST"]["NAME"] = "bench_fanout_" + connection.settings_dict["NAME"]
    old_name = connection.creation.create_test_db(verbosity=0)
    storage_dir = tempfile.mkdtemp(prefix="bench-fanout-")
    try:
        run([int(n) for n in options.officers.split(",")], options.repeat, storage_dir)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        purge()


def purge() -> None:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return
    from portal.celery import app

    with app.connection_for_write() as conn:
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)


def run(counts: list[int], repeat: int, storage_dir: str) -> None:
    from django.core.files.storage import FileSystemStorage
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Agency, AgencyKind, Role
    from applications.models import Attachment, Dossier, Status
    from notifications.models import Notification
    from portal.celery import app
    from tests.applications.filing.builders import draft_for, make_complete
    from tests.conftest import make_user
    from tests.factories import make_procedure

    Attachment._meta.get_field("file").storage = FileSystemStorage(location=storage_dir)
    published: list[str] = []

    def count_publish(sender=None, **_kwargs) -> None:
        published.append(sender)

    from celery.signals import before_task_publish

    before_task_publish.connect(count_publish, weak=False)
    province = Agency.objects.create(eid_code="H98", name="Tỉnh", kind=AgencyKind.PROVINCE)
    setups = {}
    for n in counts:
        commune = Agency.objects.create(eid_code=f"H98.01.{n:02d}", name=f"Xã {n} cán bộ", kind=AgencyKind.COMMUNE,
                                        parent=province)
        for i in range(n):
            make_user(f"officer{n}-{i}@bench.vn", Role.OFFICER, commune, f"Cán bộ {i}")
        citizen = make_user(f"citizen{n}@bench.vn", Role.CITIZEN, full_name="Nguyễn Văn An", phone=f"09120000{n:02d}")
        client = Client()
        client.force_login(citizen)
        setups[n] = (commune, citizen, make_procedure(agency=commune), client)
    samples: dict[int, list[tuple[float, float, int, int, int]]] = {n: [] for n in counts}
    # Round robin over the officer counts, so that the load of a shared machine falls on each alike;
    # the first round warms caches and is not counted.
    for attempt in range(repeat + 1):
        for n in counts:
            commune, citizen, version, client = setups[n]
            draft = make_complete(draft_for(version, commune, citizen), citizen)
            before_rows, before_tasks = Notification.objects.count(), len(published)
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.post(f"/dossiers/draft/{draft.pk}/review/",
                                       {"submit_token": str(uuid.uuid4()), "consent": "on"})
                elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            assert response.status_code == 302, response.status_code
            assert Dossier.objects.get(pk=draft.pk).status == Status.SUBMITTED
            if attempt:
                samples[n].append((elapsed * 1000, cpu * 1000, len(captured), len(published) - before_tasks,
                                   Notification.objects.count() - before_rows))
    results = {n: tuple(statistics.median(column) for column in zip(*rows, strict=True)) for n, rows in samples.items()}
    print(f"broker: {'eager' if app.conf.task_always_eager else 'real (published, purged at the end)'}")
    print(f"{'officers':>8} {'median ms':>9} {'CPU ms':>7} {'queries':>7} {'tasks':>5} {'rows':>5}")
    for n, (ms, cpu_ms, query_count, task_count, row_count) in results.items():
        print(f"{n:8d} {ms:9.1f} {cpu_ms:7.1f} {query_count:7.0f} {task_count:5.0f} {row_count:5.0f}")
    base = counts[0]
    for n in counts[1:]:
        print(f"ratio {n}/{base}: time {results[n][0] / results[base][0]:.2f}, CPU {results[n][1] / results[base][1]:.2f}, "
              f"queries {results[n][2] / results[base][2]:.2f}")


if __name__ == "__main__":
    main()
