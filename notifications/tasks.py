"""Notification tasks (queue `notifications`, see settings.CELERY_TASK_ROUTES)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.tasks.notification_send", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=30, time_limit=45, ignore_result=True)
def notification_send(notification_id: int) -> str:
    """Send one outbox row. Idempotent: a redelivered task finds the row sent and does nothing."""
    from notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep(older_than_seconds: int = 60) -> int:
    """Beat: publish rows whose task was lost (Redis down at commit time) or whose retry is due."""
    from notifications.services import outbox_sweep_run

    return outbox_sweep_run(older_than_seconds=older_than_seconds)
