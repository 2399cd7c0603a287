"""The administrators' daily digest of what failed for good, through the notification outbox."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.deadlines import local_date
from notifications.models import NotificationChannel
from notifications.services import notification_queue, templates_for


def failures_counts() -> dict[str, int]:
    """What is waiting for a person now: one query per table."""
    from applications.models import Document, DocumentState
    from national.models import NationalSync, SyncState
    from notifications.models import Notification, NotificationState
    from payments.models import AttemptState, PaymentAttempt
    from postal.models import OrderState, PostalOrder

    # A pending attempt older than its lifetime plus the reconciliation delay should have been settled
    # or expired by the reconciliation job: it is stuck.
    stuck_before = timezone.now() - timedelta(
        minutes=settings.PAYMENT_ATTEMPT_TTL_MINUTES + settings.PAYMENT_RECONCILE_AFTER_MINUTES
    )
    return {
        "notifications_failed": Notification.objects.filter(state=NotificationState.FAILED).count(),
        "national_dead": NationalSync.objects.filter(state=SyncState.DEAD).count(),
        "documents_failed": Document.objects.filter(state=DocumentState.FAILED).count(),
        "payments_stuck": PaymentAttempt.objects.filter(state=AttemptState.PENDING, created_at__lt=stuck_before).count(),
        "postal_failed": PostalOrder.objects.aggregate(
            n=Count("pk", filter=Q(state__in=[OrderState.FAILED, OrderState.REJECTED]))
        )["n"],
    }


def _admin_links() -> dict[str, str]:
    def changelist(model: str, query: str) -> str:
        return reverse(f"admin:{model}_changelist") + query

    return {
        "notifications_link": changelist("notifications_notification", "?state__exact=failed"),
        "national_link": changelist("national_nationalsync", "?state__exact=dead"),
        "documents_link": changelist("applications_document", "?state__exact=failed"),
        "payments_link": changelist("payments_paymentattempt", "?state__exact=pending"),
        "postal_link": changelist("postal_postalorder", "?state__exact=failed"),
    }


def failures_digest_send(*, day: date | None = None) -> int:
    """Beat, every morning: tell the administrators (in-app, and by e-mail where they have one) what
    failed for good. Nothing is sent when nothing failed. Idempotent per day: run twice, one message."""
    from notifications.services import absolute_url

    day = day or local_date(timezone.now())
    counts = failures_counts()
    if not any(counts.values()):
        return 0
    links = {key: absolute_url(link) for key, link in _admin_links().items()}
    context = {"day": day.strftime("%d/%m/%Y"), **counts, **links}
    templates = templates_for("failures_digest")
    written = 0
    with transaction.atomic():
        for user in User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"):
            channels = [NotificationChannel.IN_APP] + ([NotificationChannel.EMAIL] if user.email else [])
            for channel in channels:
                row = notification_queue(
                    event="failures_digest", channel=channel, context={**context, "recipient_name": user.full_name},
                    dedupe_key=f"failures-digest:{day:%Y%m%d}:{channel}:user:{user.pk}", recipient=user,
                    to_address=user.email or "" if channel == NotificationChannel.EMAIL else "",
                    language=user.preferred_language, link="/admin/", templates=templates,
                )
                written += row is not None
    return written
