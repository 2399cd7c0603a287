"""The beat sweeper publishes rows whose task was lost, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core import mail
from django.utils import timezone

from notifications.models import Notification, NotificationState
from notifications.services import notification_queue, outbox_sweep_run

pytestmark = pytest.mark.django_db


def lost_row(key: str, *, age_seconds: int = 600, **fields) -> Notification:
    # Written, but its task never reached the broker (the commit callback was never run).
    row = notification_queue(event="received", channel="email", dedupe_key=key, to_address="an@example.vn",
                             context={"dossier_code": key})
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(seconds=age_seconds), **fields)
    return row


def test_the_sweeper_sends_lost_rows_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = lost_row("lost")

    assert outbox_sweep_run() == 1
    assert outbox_sweep_run() == 0

    assert Notification.objects.get(pk=row.pk).state == NotificationState.SENT
    assert len(mail.outbox) == 1


def test_the_sweeper_leaves_fresh_waiting_and_finished_rows_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lost_row("fresh", age_seconds=5)
        lost_row("waiting", next_attempt_at=timezone.now() + timedelta(minutes=5))
        lost_row("sent", state=NotificationState.SENT)
        lost_row("failed", state=NotificationState.FAILED)

    assert outbox_sweep_run() == 0
    assert len(mail.outbox) == 0


def test_the_sweeper_retries_rows_whose_backoff_has_elapsed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = lost_row("due", next_attempt_at=timezone.now() - timedelta(seconds=1), attempts=1)

    assert outbox_sweep_run() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.SENT, 2)
