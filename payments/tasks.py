from __future__ import annotations

from celery import shared_task


@shared_task(name="payments.tasks.payment_reconcile")
def payment_reconcile() -> dict[str, int]:
    """Beat, every 5 minutes: ask the gateway about attempts still pending after
    PAYMENT_RECONCILE_AFTER_MINUTES; settle them, or expire them after PAYMENT_ATTEMPT_TTL_MINUTES.
    Idempotent: settled attempts are skipped, and settling twice changes nothing."""
    from payments.services import payment_reconcile_due

    return payment_reconcile_due()
