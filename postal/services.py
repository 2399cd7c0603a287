"""Use-cases of result delivery by public post: order, place, apply the operator's reports, sweep.

The order row is written with the dossier's move to "sent by post", in one transaction, before the
operator is called (after commit). Placing is idempotent twice over: our reference is the
operator's idempotency key, and a placed order is never placed again. Reports are applied once
per (order, status, time), so a replayed callback or a poll that repeats it changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import workflow
from applications.models import Dossier
from portal.lib.dispatch import dispatch_on_commit
from postal.models import FINAL_ORDER_STATES, TRACKED_ORDER_STATES, OrderState, PostalOrder, PostalUpdate
from postal.providers.base import OrderRequest, PostalError, PostalRejected, TrackingUpdate
from postal.providers.registry import provider_get
from postal.tasks import postal_order_place as postal_order_place_task

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Operator status → what the citizen reads on the timeline.
STATUS_LABELS = {state.value: str(state.label) for state in OrderState}
# Retry placing after 1, 2, 4 … minutes, at most an hour apart.
RETRY_MAX_SECONDS = 3600


def _reference(dossier: Dossier) -> str:
    # One parcel per dossier: the reference is derived from the dossier, never random.
    return f"KQ-{dossier.pk:010d}"


def postal_order_create(dossier: Dossier, *, actor: User, expected_version: int, recipient_name: str,
                        recipient_phone: str, address: str, weight_grams: int, province: str = "",
                        postage_amount: int = 0) -> PostalOrder:
    """The officer hands the result to public post: the dossier becomes "sent by post" and the
    order row is written (state pending); the operator is called after commit. Raises
    workflow.WorkflowError (nothing written) when the dossier cannot be sent by post now."""
    with transaction.atomic():
        reference = _reference(dossier)
        workflow.dossier_send_by_post(dossier, actor=actor, expected_version=expected_version,
                                      recipient=recipient_name, reference=reference)
        try:
            with transaction.atomic():
                order = PostalOrder.objects.create(
                    dossier=dossier, reference=reference, provider=settings.POSTAL_PROVIDER,
                    recipient_name=recipient_name, recipient_phone=recipient_phone, address=address,
                    weight_grams=weight_grams, created_by=actor, next_attempt_at=timezone.now(),
                    province=province, postage_amount=postage_amount,
                    postage_paid_by_agency=dossier.procedure_version.postage_paid_by_agency,
                )
        except IntegrityError as exc:
            raise workflow.WorkflowError(_("Hồ sơ này đã có bưu gửi kết quả.")) from exc
        dispatch_on_commit(postal_order_place_task, order.pk)
    return order


def _order_request(order: PostalOrder) -> OrderRequest:
    dossier = order.dossier
    return OrderRequest(
        reference=order.reference, recipient_name=order.recipient_name, recipient_phone=order.recipient_phone,
        address=f"{order.address}, {order.province}" if order.province else order.address,
        weight_grams=order.weight_grams,
        content=f"Kết quả giải quyết TTHC, hồ sơ {dossier.code}", sender_name=dossier.agency.name,
        sender_address=dossier.agency.address or dossier.agency.name,
        callback_url=settings.SITE_URL.rstrip("/") + reverse("postal:callback", args=[order.provider]),
    )


def postal_order_place(*, order_id: int) -> str:
    """Call the operator for a pending order. Idempotent: an order no longer pending is left alone,
    and the operator makes one parcel per reference however often it is asked."""
    order = PostalOrder.objects.select_related("dossier__agency").filter(pk=order_id).first()
    if order is None or order.state != OrderState.PENDING:
        return "skipped"
    try:
        accepted = provider_get(order.provider).create_order(_order_request(order))
    except PostalRejected as refusal:
        return _order_rejected(order.pk, str(refusal))
    except PostalError as error:
        return _order_retry_later(order.pk, str(error))
    now = timezone.now()
    with transaction.atomic():
        locked = PostalOrder.objects.select_for_update().get(pk=order.pk)
        if locked.state != OrderState.PENDING:
            return "skipped"
        locked.state = OrderState.ACCEPTED
        locked.operator_order_id = accepted.order_id
        locked.tracking_number = accepted.tracking_number
        locked.accepted_at = locked.last_update_at = now
        locked.attempts += 1
        locked.last_error = ""
        locked.next_attempt_at = None
        locked.save()
        PostalUpdate.objects.get_or_create(order=locked, status=OrderState.ACCEPTED, at=now,
                                           defaults={"source": "order"})
        workflow.dossier_postal_progress(locked.dossier, status_label=STATUS_LABELS[OrderState.ACCEPTED], at=now,
                                         tracking_number=accepted.tracking_number)
    return "accepted"


def _order_retry_later(order_id: int, error: str) -> str:
    with transaction.atomic():
        locked = PostalOrder.objects.select_for_update().get(pk=order_id)
        if locked.state != OrderState.PENDING:
            return "skipped"
        locked.attempts += 1
        locked.last_error = error[:2000]
        locked.next_attempt_at = timezone.now() + timedelta(seconds=min(60 * 2 ** (locked.attempts - 1),
                                                                        RETRY_MAX_SECONDS))
        locked.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    logger.warning("postal order %s not placed (attempt %s): %s", order_id, locked.attempts, error)
    return "retry"


def _order_rejected(order_id: int, reason: str) -> str:
    with transaction.atomic():
        locked = PostalOrder.objects.select_for_update().select_related("dossier").get(pk=order_id)
        if locked.state != OrderState.PENDING:
            return "skipped"
        now = timezone.now()
        locked.state = OrderState.REJECTED
        locked.attempts += 1
        locked.reason = reason[:500]
        locked.last_error = reason[:2000]
        locked.next_attempt_at = None
        locked.last_update_at = now
        locked.save()
        workflow.dossier_postal_undelivered(
            locked.dossier, at=now, reason=f"Bưu điện từ chối nhận bưu gửi: {reason}"[:500])
    return "rejected"


def postal_orders_sweep(*, now: datetime | None = None) -> int:
    """Beat: re-dispatch pending orders whose retry time has come (a lost task, the operator down)."""
    now = now or timezone.now()
    due = list(PostalOrder.objects.filter(state=OrderState.PENDING, next_attempt_at__lte=now)
               .values_list("pk", flat=True)[:200])
    for pk in due:
        dispatch_on_commit(postal_order_place_task, pk)
    return len(due)


# --- The operator's reports ----------------------------------------------------------------------


def postal_update_apply(update: TrackingUpdate, *, source: str, provider_id: str) -> str:
    """Apply one verified report. Returns "unknown" (no such order), "duplicate" (seen before) or
    "applied". Reports after the parcel's final state are recorded but change nothing."""
    with transaction.atomic():
        query = PostalOrder.objects.select_for_update().select_related("dossier").filter(provider=provider_id)
        order = (query.filter(operator_order_id=update.order_id).first() if update.order_id else None) or (
            query.filter(reference=update.reference).first() if update.reference else None)
        if order is None:
            return "unknown"
        if PostalUpdate.objects.filter(order=order, status=update.status, at=update.at).exists():
            return "duplicate"
        PostalUpdate.objects.create(order=order, status=update.status, at=update.at, note=update.note, source=source)
        if order.state in FINAL_ORDER_STATES or update.status == OrderState.ACCEPTED:
            return "applied"
        order.state = update.status
        order.last_update_at = timezone.now()
        if update.tracking_number and not order.tracking_number:
            order.tracking_number = update.tracking_number
        if update.status == OrderState.IN_TRANSIT:
            workflow.dossier_postal_progress(order.dossier, status_label=STATUS_LABELS[update.status], at=update.at,
                                             tracking_number=order.tracking_number, note=update.note)
        elif update.status == OrderState.DELIVERED:
            order.delivered_at = update.at
            workflow.dossier_postal_delivered(order.dossier, delivered_at=update.at,
                                              tracking_number=order.tracking_number)
        else:  # failed, returned to sender
            order.reason = update.note[:500]
            reason = f"{STATUS_LABELS[update.status]}: {update.note}" if update.note else STATUS_LABELS[update.status]
            workflow.dossier_postal_undelivered(order.dossier, reason=reason, at=update.at)
        order.save()
    return "applied"


def postal_orders_poll(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: ask the operator about parcels with no news for POSTAL_QUIET_HOURS (a lost callback)."""
    now = now or timezone.now()
    quiet_since = now - timedelta(hours=settings.POSTAL_QUIET_HOURS)
    counts = {"asked": 0, "applied": 0, "errors": 0}
    orders = PostalOrder.objects.filter(state__in=TRACKED_ORDER_STATES, last_update_at__lte=quiet_since)[:200]
    for order in orders:
        counts["asked"] += 1
        try:
            updates = provider_get(order.provider).track(order.operator_order_id)
        except PostalError as error:
            counts["errors"] += 1
            logger.warning("postal tracking of %s failed: %s", order.reference, error)
            continue
        for update in updates:
            if postal_update_apply(update, source="poll", provider_id=order.provider) == "applied":
                counts["applied"] += 1
        PostalOrder.objects.filter(pk=order.pk, state__in=TRACKED_ORDER_STATES).update(last_update_at=now)
    return counts
