"""Celery tasks of result delivery by post: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="postal.tasks.postal_order_place", acks_late=True, ignore_result=True)
def postal_order_place(order_id: int) -> str:
    """Place one pending order with the operator. Idempotent: safe to deliver twice."""
    from postal.services import postal_order_place as place

    return place(order_id=order_id)


@shared_task(name="postal.tasks.postal_orders_sweep", ignore_result=True)
def postal_orders_sweep() -> int:
    """Beat: retry pending orders (operator down, task lost)."""
    from postal.services import postal_orders_sweep as sweep

    return sweep()


@shared_task(name="postal.tasks.postal_orders_poll", ignore_result=True)
def postal_orders_poll() -> dict[str, int]:
    """Beat: ask the operator about parcels with no news."""
    from postal.services import postal_orders_poll as poll

    return poll()
