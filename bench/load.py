"""Issue 16's load run: citizens filing and paying, officers receiving, then the database is counted.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/postgres \\
    CELERY_BROKER_URL=redis://127.0.0.1:6380/12 REDIS_URL=redis://127.0.0.1:6380/13 \\
    .venv/bin/python bench/load.py --minutes 10            # the full run: 200 citizens, 20 officers

What it does, in order:
1. creates the PostgreSQL database `bench_load` next to DATABASE_URL's (dropped at the end unless --keep),
   migrates it, loads the demo data (seed_demo), adds --citizens citizens and --officers one-stop-shop
   officers (half in each demo commune; every officer has an authenticator app with a secret made for
   this run, so staff sign in with password and TOTP code as in production), and flushes the two Redis
   databases (broker and cache: stale rate-limit counters or tasks of an earlier run must not count);
2. starts, against PostgreSQL and Redis: the portal under gunicorn (--workers sync workers, default
   2 x cores + 1, gunicorn's own rule for sync workers), the sandbox bank under its own gunicorn on the
   address 127.0.0.2 (an outside system, as VNPay is: the bank page waits for the portal's answer to its
   IPN, and must not hold a portal worker meanwhile; another address also keeps browser cookies apart),
   a real Celery worker (queues default, notifications, documents) and Celery beat (the outbox and
   document sweepers are part of what production runs);
3. runs bench/locustfile.py headless for --minutes, ramping up at --spawn-rate users a second;
4. waits (up to --drain-timeout seconds) until the Redis queues are empty and no document or notification
   of a load dossier is still pending, then counts in the database (see `checks`) and prints the error and
   p95-per-page checks against issue 16's targets (0 errors, p95 < 1 s for every page). Exits 1 when any
   target or count is missed.

Settings: bench/load_settings.py, i.e. DEBUG off (production code paths and costs), plus the `sandbox`
app, which is the only gateway that works offline; portal/settings.py is not changed and production never
installs it. TRUSTED_PROXY_HOPS=1 as behind the TLS proxy of a deployment: each simulated person sends its
own X-Forwarded-For address, so per-address rate limits count people, not the load generator. National
sync is off (NATIONAL_SYNC_ENABLED=0: it has its own bench, bench/national_sync.py, and no sandbox portal
runs here). E-mail goes to files (one file per message, counted), SMS to the log.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for the checks run in-process

from search_throughput import ROOT, VENV_BIN, free_port, run_sql  # noqa: E402

BENCH_DB = "bench_load"
PROCEDURE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: full process, a 3,000 đ fee, an e-form and a paper
BANK_HOST = "127.0.0.2"
P95_TARGET_MS = 1000
SERVERS = ("portal", "bank", "celery worker", "celery beat")

SEED = """
import json, os
from base64 import b32decode
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Role, User
citizens, officers = int(os.environ["LOAD_CITIZENS"]), int(os.environ["LOAD_OFFICERS"])
password = make_password(os.environ["LOAD_PASSWORD"])  # one hash for all: seeding must not take minutes
communes = [User.objects.get(email=e).agency for e in ("officer@example.vn", "officer.b@example.vn")]
User.objects.bulk_create([
    User(email=f"load-citizen-{n}@bench.vn", phone=f"09{30000000 + n}", full_name=f"Công Dân Thử {n}",
         id_number=f"001090{n:06d}", address="Số 1 đường Thử, Xã An Phú", role=Role.CITIZEN, password=password)
    for n in range(1, citizens + 1)
])
staff = User.objects.bulk_create([
    User(email=f"load-officer-{n}@bench.vn", full_name=f"Cán Bộ Thử {n}", role=Role.OFFICER,
         agency=communes[n % 2], password=password)
    for n in range(1, officers + 1)
])
key = b32decode(os.environ["LOAD_TOTP_SECRET"]).hex()
TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="Ứng dụng xác thực (tải thử)", key=key, confirmed=True)
                                for u in staff])
print("LOAD-SEEDED " + json.dumps({"citizens": citizens, "officers": officers}))
"""


def database_url(name: str) -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://portal:portal@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def redis_urls() -> tuple[str, str]:
    broker, cache = os.environ.get("CELERY_BROKER_URL", ""), os.environ.get("REDIS_URL", "")
    if not broker.startswith("redis://") or not cache.startswith("redis://") or broker == cache:
        sys.exit("Set CELERY_BROKER_URL and REDIS_URL to two different Redis databases (both are flushed).")
    return broker, cache


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def environment(args: argparse.Namespace, db_url: str, workdir: Path, port: int, bank_port: int) -> dict[str, str]:
    broker, cache = redis_urls()
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.load_settings", "DEBUG": "0",
        "SECRET_KEY": "load-bench-only-" + secrets.token_urlsafe(32),
        "DATABASE_URL": db_url, "CELERY_BROKER_URL": broker, "REDIS_URL": cache,
        "MEDIA_ROOT": str(workdir / "media"), "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "ALLOWED_HOSTS": f"127.0.0.1,{BANK_HOST}", "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "BEHIND_TLS_PROXY": "0", "SECURE_HSTS_SECONDS": "0", "TRUSTED_PROXY_HOPS": "1",
        "PAYMENT_PROVIDER": "sandbox",
        "SANDBOX_PAYMENT_URL": f"http://{BANK_HOST}:{bank_port}/sandbox/bank/",
        "SANDBOX_PAYMENT_API_URL": f"http://{BANK_HOST}:{bank_port}/sandbox/bank/api/transaction",
        "NATIONAL_SYNC_ENABLED": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(workdir / "mail"),
        "SMS_PROVIDER": "log",
        "LOAD_CITIZENS": str(args.citizens), "LOAD_OFFICERS": str(args.officers),
        "LOAD_PASSWORD": "load-" + secrets.token_urlsafe(12),
        "LOAD_TOTP_SECRET": base64.b32encode(secrets.token_bytes(20)).decode(),
        "LOAD_PROCEDURE": PROCEDURE, "LOAD_ATTACHMENT": str(workdir / "giay-to.pdf"), "LOAD_THINK": args.think,
    })
    return env


def prepare(env: dict[str, str], db_url: str, workdir: Path) -> None:
    python = str(VENV_BIN / "python")
    for folder in ("media", "private", "mail"):
        (workdir / folder).mkdir()
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run([python, "manage.py", "shell", "-c", SEED], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    if "LOAD-SEEDED" not in out:
        raise RuntimeError(f"seeding the load accounts failed: {out[-500:]}")
    # A one-page scan, as a citizen attaches it (rendered by the same engine as the portal's slips).
    page = ("from weasyprint import HTML; import sys; sys.stdout.buffer.write(HTML(string='<h1>Bản án ly hôn</h1>"
            "<p>Bản sao trích lục, trang 1/1.</p>').write_pdf())")
    pdf = subprocess.run([python, "-c", page], cwd=ROOT, env=env, check=True, capture_output=True).stdout
    (workdir / "giay-to.pdf").write_bytes(pdf)
    run_sql(db_url, "VACUUM ANALYZE")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_port(host: str, port: int, process: subprocess.Popen, what: str) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def warm_up(port: int, workers: int) -> None:
    """Load each public page a few times per worker first: the first request of a fresh worker imports and
    compiles what the others then reuse, which is start-up cost, not the page's."""
    import urllib.request

    for path in ("/", "/procedures/?q=khai+sinh", f"/procedures/{PROCEDURE}/", "/accounts/login/", "/track/"):
        for _ in range(3 * workers):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:  # noqa: S310
                response.read()


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU time of a process and its children (gunicorn and Celery work in child processes)."""
    import psutil  # a dependency of locust

    try:
        root = psutil.Process(process.pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for member in tree:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def queues_empty(broker: str) -> bool:
    import redis

    connection = redis.Redis.from_url(broker)
    return all(connection.llen(queue) == 0 for queue in ("default", "notifications", "documents")) \
        and connection.hlen("unacked") == 0


def drain(env: dict[str, str], timeout: float) -> float:
    """Seconds until the queues are empty and nothing of a load dossier is pending (or the timeout)."""
    from applications.models import Document, DocumentState
    from notifications.models import Notification, NotificationState

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pending_documents = Document.objects.filter(dossier__owner__email__startswith="load-citizen-",
                                                    state=DocumentState.PENDING).exists()
        pending_notifications = Notification.objects.filter(state=NotificationState.PENDING).exists()
        if not pending_documents and not pending_notifications and queues_empty(env["CELERY_BROKER_URL"]):
            return time.monotonic() - started
        time.sleep(2)
    return -1.0


def checks(workdir: Path, since) -> tuple[list[str], list[str]]:
    """What the database and the files say about the load dossiers: (lines to print, failures)."""
    from django.db.models import Count

    from applications.models import Document, DocumentKind, DocumentState, Dossier, DossierEvent, Event, Status
    from notifications.models import Notification, NotificationChannel, NotificationState
    from payments.models import AttemptState, PaymentAttempt
    from sandbox.models import BankTransaction

    lines, failures = [], []
    load = Dossier.objects.filter(owner__email__startswith="load-citizen-")
    filed = load.exclude(status=Status.DRAFT)
    received = filed.filter(received_at__isnull=False)
    paid = filed.filter(payment_attempts__state=AttemptState.SUCCEEDED).distinct()
    counts = {"drafts left (a user stopped mid-filing)": load.filter(status=Status.DRAFT).count(),
              "filed": filed.count(), "received by an officer": received.count(),
              "awaiting payment at the end": filed.filter(status=Status.AWAITING_PAYMENT).count(), "paid": paid.count()}
    lines += [f"  {label}: {value}" for label, value in counts.items()]

    def expect(label: str, bad: int, detail: str) -> None:
        lines.append(f"  [{'ok' if bad == 0 else 'FAIL'}] {label}: {detail}")
        if bad:
            failures.append(label)

    duplicated = (Dossier.objects.exclude(code=None).values("code").annotate(n=Count("pk")).filter(n__gt=1).count())
    expect("no dossier code duplicated", duplicated,
           f"{duplicated} codes held by more than one of the {Dossier.objects.exclude(code=None).count()} dossiers")
    no_code = filed.filter(code=None).count()
    expect("every filed dossier has a code", no_code, f"{no_code} without")

    def documents_ok(dossiers, kind: str) -> tuple[int, int]:
        """(dossiers whose `kind` document is missing or not a stored PDF, documents checked)."""
        missing, checked = 0, 0
        docs = {d.dossier_id: d for d in Document.objects.filter(dossier__in=dossiers, kind=kind)}
        for dossier_id in dossiers.values_list("pk", flat=True):
            document = docs.get(dossier_id)
            checked += 1
            if document is None or document.state != DocumentState.READY or not document.file:
                missing += 1
                continue
            with document.file.open("rb") as handle:
                if not handle.read(5) == b"%PDF-":
                    missing += 1
        return missing, checked

    bad, checked = documents_ok(received, DocumentKind.RECEIPT)
    expect("every received dossier has its receipt PDF (Mẫu 01)", bad,
           f"{checked - bad}/{checked} Document rows kind=receipt, state=ready, file in PRIVATE_MEDIA_ROOT starting %PDF-")
    bad, checked = documents_ok(paid, DocumentKind.PAYMENT_RECEIPT)
    expect("every paid dossier has its e-receipt PDF", bad,
           f"{checked - bad}/{checked} Document rows kind=payment_receipt, state=ready, file starting %PDF-")

    # Notifications: every citizen-facing event of a load dossier has its e-mail, SMS and in-portal rows,
    # all sent (dedupe key "event:<DossierEvent pk>:<template>:<channel>:…").
    wanted = {str(Event.SUBMITTED): "submitted", str(Event.RECEIVED): "received",
              str(Event.PAYMENT_REQUESTED): "payment_requested", str(Event.PAYMENT_CONFIRMED): "payment_confirmed"}
    events = list(DossierEvent.objects.filter(dossier__in=filed, action__in=list(wanted)).values_list("pk", "action"))
    sent: dict[str, set[str]] = {}
    for key, channel in Notification.objects.filter(dedupe_key__startswith="event:", state=NotificationState.SENT) \
            .values_list("dedupe_key", "channel").iterator():
        parts = key.split(":")
        sent.setdefault(f"{parts[1]}:{parts[2]}", set()).add(channel)
    channels = {NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.IN_APP}
    incomplete = sum(1 for pk, action in events if not channels <= sent.get(f"{pk}:{wanted[action]}", set()))
    expect("every citizen event has its e-mail, SMS and in-portal notification sent", incomplete,
           f"{len(events) - incomplete}/{len(events)} events (submitted, received, payment requested/confirmed)")
    not_sent = Notification.objects.filter(created_at__gte=since).exclude(state=NotificationState.SENT).count()
    expect("no notification of the run pending or failed", not_sent, f"{not_sent} not sent")
    sent_mail = Notification.objects.filter(channel=NotificationChannel.EMAIL, state=NotificationState.SENT).count()
    # The file backend ends every message with a line of 79 dashes (several messages may share a file).
    written = sum(path.read_text(errors="replace").count("\n" + "-" * 79 + "\n") for path in (workdir / "mail").iterdir())
    expect("every e-mail sent is a message on the mail backend", max(0, sent_mail - written),
           f"{sent_mail} e-mail rows sent, {written} messages written by the file e-mail backend")

    # Payments: settled by the bank's IPN (its signed vnp_ parameters), not by the return page's querydr.
    succeeded = PaymentAttempt.objects.filter(dossier__in=filed, state=AttemptState.SUCCEEDED)
    by_query = sum(1 for raw in succeeded.values_list("notification", flat=True) if raw.get("vnp_Command") == "querydr")
    expect("every payment confirmed by the IPN", by_query,
           f"{succeeded.count() - by_query}/{succeeded.count()} attempts settled from the IPN, {by_query} by querydr")
    bank_paid = BankTransaction.objects.filter(response_code="00").count()
    expect("every payment the bank took is settled", abs(bank_paid - succeeded.count()),
           f"bank ledger {bank_paid} successful, portal {succeeded.count()} succeeded attempts")
    confirmed_twice = (DossierEvent.objects.filter(dossier__in=filed, action=Event.PAYMENT_CONFIRMED)
                       .values("dossier").annotate(n=Count("pk")).filter(n__gt=1).count())
    expect("no dossier confirmed paid twice", confirmed_twice, f"{confirmed_twice}")
    return lines, failures


def page_checks(stats_csv: Path) -> tuple[list[str], list[str], int, int, int]:
    """Per page: requests, errors, p50 and p95 against the targets; also (total, errors, bank requests)."""
    lines, failures, total, errors, bank = [], [], 0, 0, 0
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["Name"] == "Aggregated" or row["Type"] == "INFO":
            if row["Type"] == "INFO":
                lines.append(f"  {row['Name']}: {row['Request Count']}")
            continue
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        p95, median = float(row["95%"]), float(row["50%"])
        total, errors = total + count, errors + failed
        bank += count if "sandbox bank" in row["Name"] else 0
        ok = p95 < P95_TARGET_MS and failed == 0
        if not ok:
            failures.append(row["Name"])
        lines.append(f"  [{'ok' if ok else 'FAIL'}] {row['Name']:58} {count:6} req  {failed:4} err  "
                     f"p50 {median:6.0f} ms  p95 {p95:6.0f} ms")
    return lines, failures, total, errors, bank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
    parser.add_argument("--think", default="5,15", help="min,max seconds a person spends on a page")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--drain-timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    args = parser.parse_args()

    maintenance_url, db_url = database_url(BENCH_DB)
    run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    run_sql(maintenance_url, f"CREATE DATABASE {BENCH_DB}")
    workdir = Path(tempfile.mkdtemp(prefix="bench_load_"))
    port, bank_port = free_port(), free_port()
    env = environment(args, db_url, workdir, port, bank_port)
    for url in redis_urls():
        redis_flush(url)
    processes: list[subprocess.Popen] = []
    failures: list[str] = []
    try:
        started = time.monotonic()
        prepare(env, db_url, workdir)
        print(f"prepared in {time.monotonic() - started:.0f} s: {args.citizens} citizens, {args.officers} officers; "
              f"work folder {workdir}", flush=True)
        gunicorn = str(VENV_BIN / "gunicorn")
        portal = start([gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
                        str(args.workers), "--worker-class", "sync", "--timeout", "60", "--log-level", "warning"],
                       env, workdir / "portal.log")
        bank = start([gunicorn, "portal.wsgi:application", "--bind", f"{BANK_HOST}:{bank_port}", "--workers", "1",
                      "--worker-class", "gthread", "--threads", "8", "--timeout", "60", "--log-level", "warning"],
                     env, workdir / "bank.log")
        celery = [str(VENV_BIN / "python"), "-m", "celery", "-A", "portal"]
        worker = start([*celery, "worker", "-Q", "default,notifications,documents", "-c", str(args.celery_concurrency),
                        "--without-gossip", "--without-mingle", "-l", "WARNING", "-n", f"load-{port}@%h"],
                       env, workdir / "worker.log")
        beat = start([*celery, "beat", "-l", "WARNING", "-s", str(workdir / "beat-schedule")], env, workdir / "beat.log")
        processes += [portal, bank, worker, beat]
        wait_port("127.0.0.1", port, portal, "portal gunicorn")
        wait_port(BANK_HOST, bank_port, bank, "bank gunicorn")
        warm_up(port, args.workers)

        from datetime import UTC, datetime

        run_started = datetime.now(UTC)
        users = args.citizens + args.officers
        run_seconds = int(args.minutes * 60)
        print(f"locust: {users} users ({args.citizens} citizens, {args.officers} officers), spawn rate "
              f"{args.spawn_rate}/s, think {args.think} s, {run_seconds} s; portal: {args.workers} gunicorn sync "
              f"workers; celery worker concurrency {args.celery_concurrency}", flush=True)
        cpu_before = {name: cpu_seconds(process) for name, process in zip(SERVERS, processes, strict=True)}
        load_before = os.getloadavg()
        subprocess.run([str(VENV_BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                        "--users", str(users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{run_seconds}s",
                        "--host", f"http://127.0.0.1:{port}", "--csv", str(workdir / "locust"), "--only-summary",
                        "--stop-timeout", "60", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
                       cwd=ROOT, env=env, check=True)

        cpu = {name: cpu_seconds(process) - cpu_before[name] for name, process in zip(SERVERS, processes, strict=True)}
        load_after = os.getloadavg()

        os.environ.update(env)
        import django

        django.setup()
        waited = drain(env, args.drain_timeout)
        if waited < 0:
            failures.append("queues drained")
            print(f"[FAIL] the queues did not drain within {args.drain_timeout:.0f} s", flush=True)
        else:
            print(f"queues drained {waited:.0f} s after the run", flush=True)
        lines, count_failures = checks(workdir, run_started)
        print("database counts (load dossiers: owners load-citizen-N@bench.vn):")
        print("\n".join(lines))
        failures += count_failures
        lines, slow, total, errors, bank_requests = page_checks(workdir / "locust_stats.csv")
        print(f"pages (target: 0 errors, p95 < {P95_TARGET_MS} ms per page): {total} requests, {errors} errors")
        print("\n".join(lines))
        failures += [f"page {name}" for name in slow]
        portal_requests = total - bank_requests
        print("CPU used during the run (user+system, all processes of each): "
              + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu.items())
              + f"; portal {1000 * cpu['portal'] / max(portal_requests, 1):.0f} CPU-ms per request on average "
              f"(the IPNs the bank sends are extra portal requests); machine load average {load_before[0]:.1f} before, "
              f"{load_after[0]:.1f} at the end, on {os.cpu_count()} cores")
        with (workdir / "locust_exceptions.csv").open() as handle:
            crashed = list(csv.DictReader(handle))
        if crashed:
            # An exception in a simulated user (a page that could not be parsed, a missing form) is an error too.
            failures.append(f"{sum(int(row['Count']) for row in crashed)} user exceptions")
            print("user exceptions:\n" + "\n".join(f"  {row['Count']} x {row['Message'][:300]}" for row in crashed))
        if errors:
            failures.append(f"{errors} request errors")
            with (workdir / "locust_failures.csv").open() as handle:
                print("failures:\n" + handle.read()[:3000])
    finally:
        for process in reversed(processes):
            stop(process)
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: database {BENCH_DB}, work folder {workdir}")
        else:
            run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"failures": failures}, ensure_ascii=False))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
