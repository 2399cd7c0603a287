"""Throughput of the procedure search page against a bare `startproject` project, under the same gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/search_throughput.py

Creates the PostgreSQL database `bench_search` (dropped at the end), migrates it, seeds the demo
catalogue plus 5,000 synthetic procedures, then serves it twice with gunicorn (same workers, same
production-like settings: DEBUG off, bench/settings.py): the real app, the baseline bench/baseline/ (startproject's
apps and default middleware, one view; not our middleware stack), and for reference bench/bare_wsgi.py's site shell.
A bounded load generator (threads + http.client, a fixed number of requests, 127.0.0.1 only) measures requests per
second for /procedures/?q=khai+sinh and for the baseline, and prints both and the ratio (target ≥ 0.5).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
BENCH_DB = "bench_search"
SEARCH_PATH = "/procedures/?q=khai+sinh"
BARE_PATH = "/bare/"
SHELL_PATH = "/shell/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_urls(name: str = BENCH_DB) -> tuple[str, str]:
    """(maintenance URL, URL of the bench database `name`) derived from DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def run_sql(maintenance_url: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(maintenance_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def server_env(bench_url: str, workdir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "MEDIA_ROOT": f"{workdir}/media", "PRIVATE_MEDIA_ROOT": f"{workdir}/private",
        "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0", "BEHIND_TLS_PROXY": "0", "SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": "",
        # No national portal listens here: status changes would queue syncs whose drains only log errors.
        "NATIONAL_SYNC_ENABLED": "0",
        # The cache production runs on (settings fall back to the database table without it, which `check --deploy`
        # warns about): BENCH_REDIS_URL names a Redis database the bench may use.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    })
    return env


def prepare(env: dict[str, str], bench_url: str, count: int) -> None:
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    seed = (
        "from accounts.models import Agency; from procedures.demo import bulk_catalogue; "
        f"bulk_catalogue({count}, agencies=list(Agency.objects.filter(kind='commune')))"
    )
    subprocess.run([python, "manage.py", "shell", "-c", seed], cwd=ROOT, env=env, check=True)
    run_sql(bench_url, "VACUUM ANALYZE")


def start_gunicorn(app: str, port: int, env: dict[str, str], workers: int) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--log-level", "warning", "--chdir", str(ROOT),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn {app} did not start")


def load(port: int, path: str, requests: int, concurrency: int, expect: bytes,
         headers: dict[str, str] | None = None) -> float:
    """Requests per second over `requests` GETs spread across `concurrency` keep-alive threads."""
    headers = {"Host": "127.0.0.1", **(headers or {})}
    per_thread = requests // concurrency
    errors: list[str] = []

    def worker() -> None:
        try:
            requests_in_thread()
        except Exception as exc:  # noqa: BLE001 - a dead thread must fail the run, not speed it up
            errors.append(repr(exc))

    def requests_in_thread() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_thread):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or expect not in body:
                errors.append(f"{response.status} {body[:120]!r}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} bad responses, first: {errors[0]}")
    return per_thread * concurrency / elapsed


def measure(app: str, path: str, expect: bytes, env: dict[str, str], args: argparse.Namespace) -> float:
    port = free_port()
    server = start_gunicorn(app, port, env, args.workers)
    try:
        load(port, path, max(args.concurrency, args.requests // 10), args.concurrency, expect)  # warm-up
        return load(port, path, args.requests, args.concurrency, expect)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()

    maintenance_url, bench_url = database_urls()
    run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    run_sql(maintenance_url, f"CREATE DATABASE {BENCH_DB}")
    workdir = tempfile.mkdtemp(prefix="bench_search_")
    try:
        env = server_env(bench_url, workdir)
        prepare(env, bench_url, args.procedures)
        search, cold, bare, shell = [], [], [], []
        expect = "Đăng ký khai sinh".encode()
        for _ in range(args.rounds):
            # Alternate so that noise from other processes on the machine hits all sides alike.
            search.append(measure("portal.wsgi:application", SEARCH_PATH, expect, env, args))
            cold.append(measure("portal.wsgi:application", SEARCH_PATH, expect,
                                {**env, "BENCH_PROCEDURE_CACHE_SECONDS": "0"}, args))
            bare.append(measure("bench.baseline.wsgi:application", BARE_PATH, b"ok", env, args))
            shell.append(measure("bench.bare_wsgi:application", SHELL_PATH, b"</html>", env, args))
    finally:
        run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(workdir, ignore_errors=True)

    def runs(values: list[float]) -> str:
        return ", ".join(f"{value:.0f}" for value in values)

    best_search, best_cold, best_bare = max(search), max(cold), max(bare)
    print(f"procedures: {args.procedures} synthetic + demo; gunicorn sync workers: {args.workers}; "
          f"requests per run: {args.requests}; concurrency: {args.concurrency}; rounds: {args.rounds}")
    print(f"search (page cache on)   GET {SEARCH_PATH}: {best_search:8.1f} req/s  (runs: {runs(search)})")
    print(f"search (page cache off)  GET {SEARCH_PATH}: {best_cold:8.1f} req/s  (runs: {runs(cold)})")
    print(f"bare startproject view  GET {BARE_PATH}: {best_bare:8.1f} req/s  (runs: {runs(bare)})")
    print(f"site shell (reference)   GET {SHELL_PATH}: {max(shell):8.1f} req/s  (runs: {runs(shell)})")
    ratio = best_search / best_bare
    print(f"ratio search/bare: {ratio:.2f}  (target >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'}); "
          f"without the page cache: {best_cold / best_bare:.2f}; base.html alone: {max(shell) / best_bare:.2f}")


if __name__ == "__main__":
    main()
