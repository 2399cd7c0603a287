"""Hand a task to the broker after the current transaction commits, without ever failing it.

The row that records the work (a Document, a Notification) is committed first; publishing is a
best effort. If Redis is down the error is logged and the beat sweepers publish the row again
later, so a broker outage never undoes or blocks the business transaction, and a task lost in
Redis never leaves a dossier pending forever.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task: Any, *args: Any, countdown: float | None = None) -> bool:
    """Send `task` now; False (and a log line) if the broker cannot be reached."""
    try:
        if countdown:
            task.apply_async(args=args, countdown=countdown)
        else:
            task.delay(*args)
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, socket errors…
        logger.warning("could not publish %s%r, the sweeper will retry: %s", task.name, args, exc)
        return False
    return True


def dispatch_on_commit(task: Any, *args: Any, countdown: float | None = None) -> None:
    """Publish `task(*args)` once the surrounding transaction commits (at once in autocommit)."""
    transaction.on_commit(lambda: publish(task, *args, countdown=countdown))
