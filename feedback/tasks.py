"""Celery tasks of the feedback app: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="feedback.tasks.petition_reminders", ignore_result=True)
def petition_reminders() -> int:
    """Beat, every working morning: petitions due soon or overdue, to whoever handles them."""
    from feedback.notifications import petition_reminders_send

    return petition_reminders_send()
