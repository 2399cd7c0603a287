"""Benchmark: VNPay IPN handling on PostgreSQL — first notifications, replays, and a storm of
duplicate notifications from parallel threads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/payments_ipn.py

Creates a PostgreSQL database `bench_payments` on the server of DATABASE_URL (dropped first, and
dropped again at the end unless --keep), migrates it, puts --dossiers dossiers into "awaiting
payment" through the workflow service with one pending VNPay attempt each, then:
1. sends each attempt's signed success notification once (RspCode 00: settle, move the dossier on,
   order the receipt) and prints the median time and queries per notification;
2. replays every notification (RspCode 02) and prints the same figures;
3. sends --storm identical notifications for fresh attempts from --threads threads at once and
   checks that exactly one 00 per attempt came back and each dossier moved on once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "bench_payments"

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402

SECRET = "BENCHSECRETKEY1234567890ABCDEFGH"


def _signed(attempt) -> dict[str, str]:
    from payments.providers.vnpay import vnp_sign

    params = {
        "vnp_Amount": str(attempt.amount * 100), "vnp_BankCode": "NCB", "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20260105102030", "vnp_ResponseCode": "00",
        "vnp_TmnCode": "BENCH001", "vnp_TransactionNo": str(10_000_000 + attempt.pk), "vnp_TransactionStatus": "00",
        "vnp_TxnRef": attempt.txn_ref,
    }
    params["vnp_SecureHash"] = vnp_sign(params, SECRET)
    return params


def _seed(count: int):
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Role, User
    from applications import workflow
    from applications.models import Status
    from payments.services import payment_start
    from tests.factories import make_dossier, make_procedure

    commune = Agency.objects.create(eid_code="H99.01.01", name="Xã An Phú", kind=AgencyKind.COMMUNE)
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Cán bộ", role=Role.OFFICER,
                                       agency=commune)
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Công dân")
    version = make_procedure(agency=commune, fee=50_000)
    attempts = []
    for _ in range(count):
        dossier = make_dossier(version, commune, citizen, status=Status.RECEIVED, received_at=timezone.now())
        workflow.dossier_request_payment(dossier, actor=officer, expected_version=dossier.version, amount=50_000)
        attempts.append(payment_start(dossier=dossier, provider_id="vnpay"))
    return attempts


def _timed(attempts, expected: str) -> tuple[float, float]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from payments.providers.base import GatewayRequest
    from payments.services import payment_notification_receive

    timings, queries = [], []
    for attempt in attempts:
        params = _signed(attempt)
        reset_queries()  # the query log is capped; seeding filled it
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            reply = json.loads(payment_notification_receive(provider_id="vnpay", message=GatewayRequest(params=params)).body)
        timings.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        assert reply["RspCode"] == expected, reply
    return statistics.median(timings) * 1000, statistics.median(queries)


def _storm(attempts, threads: int) -> tuple[float, int, int]:
    from django.db import connections

    from payments.providers.base import GatewayRequest
    from payments.services import payment_notification_receive

    codes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker():
        barrier.wait()
        for attempt in attempts:
            reply = json.loads(payment_notification_receive(
                provider_id="vnpay", message=GatewayRequest(params=_signed(attempt))).body)
            with lock:
                codes.append(reply["RspCode"])
        connections.close_all()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started, codes.count("00"), codes.count("02")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--storm", type=int, default=50)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the bench creates its own database there).")
    os.environ["DATABASE_URL"] = scratch_database_create(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")

    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from portal.celery import app as celery_app

    logging.disable(logging.WARNING)
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "BENCH001", SECRET
    # Receipts are rendered by the documents queue in production; the bench measures the IPN itself.
    celery_app.conf.task_always_eager = False
    settings.CELERY_BROKER_URL = "memory://"
    celery_app.conf.broker_url = "memory://"
    try:
        call_command("migrate", verbosity=0)
        attempts = _seed(options.dossiers + options.storm)
        first, replay = attempts[: options.dossiers], attempts[options.dossiers:]
        settle_ms, settle_queries = _timed(first, "00")
        replay_ms, replay_queries = _timed(first, "02")
        seconds, confirmed, already = _storm(replay, options.threads)

        from applications.models import DossierEvent
        from payments.models import AttemptState, PaymentAttempt

        moved = DossierEvent.objects.filter(action="payment_confirmed").count()
        succeeded = PaymentAttempt.objects.filter(state=AttemptState.SUCCEEDED).count()
        print(f"first notification (00): median {settle_ms:.1f} ms, {settle_queries:.0f} queries")
        print(f"replayed notification (02): median {replay_ms:.1f} ms, {replay_queries:.0f} queries "
              f"({settle_ms / replay_ms:.1f}× cheaper)")
        total = options.storm * options.threads
        print(f"storm: {total} notifications for {options.storm} attempts from {options.threads} threads in "
              f"{seconds:.2f} s ({total / seconds:.0f}/s): {confirmed} × 00, {already} × 02")
        print(f"attempts succeeded: {succeeded} of {len(attempts)}; dossiers moved on: {moved} (must be equal)")
        assert confirmed == options.storm and succeeded == moved == len(attempts)
    finally:
        if not options.keep:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
