"""Real Redis, real worker, real PostgreSQL: the outbox must survive what production throws at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from django.db import connection

from portal.celery import app as celery_app
from tests.support.services import unavailable


@pytest.fixture
def postgres_only() -> None:
    # The worker is another process: it must see the test's committed rows in a real database.
    if connection.vendor != "postgresql":
        unavailable("reliability tests need DATABASE_URL=postgres://… (a worker cannot share SQLite's test DB)")


def _reset_publisher() -> None:
    # Celery caches its connection and producer pools; drop them (without closing: another thread,
    # such as the live server's, may still hold them) so the next publish uses the new URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Make this test process publish tasks to `url` for real (not eagerly).

    Celery reads the CELERY_BROKER_URL environment variable before its own configuration (CI sets
    it), so both are pointed at the test's Redis for the duration.
    """
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    previous_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    _reset_publisher()
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        if previous_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env
        _reset_publisher()


from tests.documents.conftest import received_dossier  # noqa: E402, F401  (shared builder)
