from __future__ import annotations

from celery import shared_task


@shared_task(name="api.tasks.idempotency_prune")
def idempotency_prune() -> int:
    """Daily: forget stored answers older than API_IDEMPOTENCY_HOURS. Idempotent."""
    from api.services import idempotency_prune as prune

    return prune()
