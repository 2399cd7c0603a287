"""Notification tasks (queue `notifications`, see settings.CELERY_TASK_ROUTES)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.tasks.notification_send", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=30, time_limit=45, ignore_result=True)
def notification_send(notification_id: int) -> str:
    """Send one outbox row. Idempotent: a redelivered task finds the row sent and does nothing."""
    from notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id)


# A batch sends its rows one after another (an SMTP or SMS call each): the limits allow a full batch
# (SEND_BATCH_SIZE) at a normal pace. A batch cut short leaves its unsent rows pending: a lost
# worker's task is delivered again (late ack), and the sweeper publishes what is left after its
# delay (a time limit acknowledges the task); rows already sent are skipped either way.
@shared_task(name="notifications.tasks.notification_send_batch", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=240, time_limit=270, ignore_result=True)
def notification_send_batch(notification_ids: list[int]) -> dict[str, int]:
    """Send the outbox rows of one cause (or of one sweep), each at most once, each retried on its own."""
    from notifications.services import notification_send_many

    return notification_send_many(notification_ids)


@shared_task(name="notifications.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep(older_than_seconds: int = 60) -> int:
    """Beat: publish rows whose task was lost (Redis down at commit time) or whose retry is due."""
    from notifications.services import outbox_sweep_run

    return outbox_sweep_run(older_than_seconds=older_than_seconds)
