from __future__ import annotations

from celery import shared_task

from retention.services import retention_run


@shared_task
def retention_nightly() -> int:
    """The nightly retention run (beat); returns the RetentionRun id."""
    return retention_run().pk
