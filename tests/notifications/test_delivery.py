"""Sending outbox rows: once, retried with backoff on transient errors, failed with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core import mail
from django.utils import timezone

from notifications.models import Notification, NotificationState
from notifications.services import MAX_ATTEMPTS, notification_deliver, notification_queue
from tests.support.services import free_port

pytestmark = pytest.mark.django_db


def queue_email(django_capture_on_commit_callbacks, key="event:1:received:email:user:1"):
    with django_capture_on_commit_callbacks(execute=False):
        return notification_queue(event="received", channel="email", dedupe_key=key, to_address="an@example.vn",
                                  context={"dossier_code": "HS-1", "recipient_name": "An"})


def test_a_task_run_twice_sends_one_email(django_capture_on_commit_callbacks):
    row = queue_email(django_capture_on_commit_callbacks)

    assert notification_deliver(notification_id=row.pk) == NotificationState.SENT
    assert notification_deliver(notification_id=row.pk) == NotificationState.SENT

    row.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (row.attempts, row.last_error) == (1, "")
    assert row.sent_at is not None


def test_the_same_dedupe_key_never_makes_a_second_row(django_capture_on_commit_callbacks):
    first = queue_email(django_capture_on_commit_callbacks)
    second = queue_email(django_capture_on_commit_callbacks)

    assert first.pk == second.pk
    assert Notification.objects.count() == 1


def test_an_unreachable_smtp_server_is_retried_later_with_backoff(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = queue_email(django_capture_on_commit_callbacks)

    state = notification_deliver(notification_id=row.pk)

    row.refresh_from_db()
    assert state == NotificationState.PENDING
    assert row.attempts == 1
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    # Not yet due: a redelivered task does not try again before its time.
    assert notification_deliver(notification_id=row.pk) == "waiting"
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_after_the_last_attempt_the_row_is_failed_with_the_reason(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = queue_email(django_capture_on_commit_callbacks)

    for _attempt in range(MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        notification_deliver(notification_id=row.pk)

    row.refresh_from_db()
    assert row.state == NotificationState.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert f"gave up after {MAX_ATTEMPTS} attempts" in row.last_error
    assert notification_deliver(notification_id=row.pk) == NotificationState.FAILED
    assert Notification.objects.get(pk=row.pk).attempts == MAX_ATTEMPTS


def test_an_sms_row_goes_through_the_log_provider_by_default(caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = notification_queue(event="received", channel="sms", dedupe_key="k:sms", to_address="0912000001",
                                 context={"dossier_code": "HS-1"})

    assert notification_deliver(notification_id=row.pk) == NotificationState.SENT
    assert "***001" in caplog.text and "0912000001" not in caplog.text
