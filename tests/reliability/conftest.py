"""Real Redis, real worker, real PostgreSQL: the outbox must survive what production throws at it."""

from __future__ import annotations

import pytest

from django.db import connection

from tests.support.services import unavailable


@pytest.fixture
def postgres_only() -> None:
    # The worker is another process: it must see the test's committed rows in a real database.
    if connection.vendor != "postgresql":
        unavailable("reliability tests need DATABASE_URL=postgres://… (a worker cannot share SQLite's test DB)")


from tests.documents.conftest import received_dossier  # noqa: E402, F401  (shared builder)
