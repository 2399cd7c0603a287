"""Real services for tests: Redis, a Celery worker, Chromium.

With REQUIRE_SERVICES=1 (CI), a missing service fails the test instead of skipping it,
so a green run always means the real thing was exercised.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")


def services_required() -> bool:
    return os.getenv("REQUIRE_SERVICES", "") in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where every service must be there."""
    if services_required():
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_url_or_skip() -> str:
    url = os.getenv("CELERY_BROKER_URL") or os.getenv("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    parsed = urlparse(url)
    if not port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        unavailable(f"Redis is not reachable at {parsed.hostname}:{parsed.port}")
    return url


def chromium_or_skip() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        unavailable("Debian's Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server(appendonly: bool = True) -> Iterator[tuple[str, callable, callable]]:
    """A Redis of the test's own on a free port, which the test may stop and start again.

    Yields (url, stop, start). AOF is on, so queued tasks survive a restart.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    port = free_port()
    workdir = Path(os.getenv("TMPDIR", "/tmp")) / f"portal-redis-{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir), "--save", "",
            "--appendonly", "yes" if appendonly else "no", "--appendfsync", "always"]
    state: dict[str, subprocess.Popen | None] = {"proc": None}

    def start() -> None:
        state["proc"] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not port_open("127.0.0.1", port):
            if time.time() > deadline:
                raise RuntimeError("test Redis did not start")
            time.sleep(0.05)

    def stop() -> None:
        proc = state["proc"]
        if proc and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        state["proc"] = None

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", stop, start
    finally:
        stop()
        shutil.rmtree(workdir, ignore_errors=True)


def worker_env(extra: dict[str, str]) -> dict[str, str]:
    """Environment for a subprocess that must use the same database as the test."""
    from django.conf import settings
    from django.db import connection

    env = {**os.environ, "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    env["PRIVATE_MEDIA_ROOT"] = str(settings.PRIVATE_MEDIA_ROOT)
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env.update(extra)
    return env


@contextmanager
def celery_worker(env: dict[str, str], queues: str = "default,notifications,documents",
                  concurrency: int = 1, pool: str = "prefork") -> Iterator[subprocess.Popen]:
    """Start `celery worker` as a real separate process and stop it afterwards."""
    log = open(Path(env.get("TMPDIR", "/tmp")) / f"celery-worker-{os.getpid()}-{time.time_ns()}.log", "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queues, "-c", str(concurrency),
         "-P", pool, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
         "-n", f"test-{time.time_ns()}@%h"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.seek(0)
        proc.log_text = log.read().decode(errors="replace")  # type: ignore[attr-defined]
        log.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def _celery_app():
    from portal.celery import app  # imported late: this module is loaded before Django is set up

    return app


def _reset_publisher() -> None:
    # Celery caches its connection and producer pools; drop them (without closing: another thread,
    # such as the live server's, may still hold them) so the next publish uses the new URL.
    app = _celery_app()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Make this test process publish tasks to `url` for real (not eagerly).

    Celery reads the CELERY_BROKER_URL environment variable before its own configuration (CI sets
    it), so both are pointed at the given broker for the duration.
    """
    app = _celery_app()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    previous_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _reset_publisher()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        if previous_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env
        _reset_publisher()
