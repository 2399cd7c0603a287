"""The Prometheus metrics: request latencies (recorded by monitoring.middleware) and the portal's own
health, computed at scrape time from a handful of grouped queries.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (an empty, writable directory,
cleared at each start) before the workers start: every worker then writes its samples there and a
scrape adds them up (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.throttle import shared_cache

# Not registered globally: each scrape builds its own registry (see render_metrics).
REQUEST_LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by view name, method and status class (its _count is the request count).",
    ["view", "method", "status"],
    registry=None,
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

BEAT_LAST_RUN_KEY = "monitoring:beat-last-run:{task}"


def beat_task_names() -> list[str]:
    return sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})


class PortalHealthCollector:
    """The portal's backlog gauges: one grouped query per family, nothing per row."""

    def collect(self) -> Iterator[Metric]:
        from applications.models import CLOCK_RUNNING_STATES, Attachment, Document, DocumentState, Dossier, ScanStatus
        from national.models import NationalSync, SyncState
        from notifications.models import Notification, NotificationChannel, NotificationState
        from payments.models import AttemptState, PaymentAttempt
        from postal.models import OrderState, PostalOrder

        now = timezone.now()

        notifications = GaugeMetricFamily(
            "portal_notifications", "Notification outbox rows not sent, by channel and state.", labels=["channel", "state"]
        )
        counts = {
            (row["channel"], row["state"]): row["n"]
            for row in Notification.objects.filter(state__in=[NotificationState.PENDING, NotificationState.FAILED])
            .values("channel", "state").annotate(n=Count("pk")).order_by()
        }
        for channel in NotificationChannel.values:
            for state in (NotificationState.PENDING, NotificationState.FAILED):
                notifications.add_metric([channel, state], counts.get((channel, state), 0))
        yield notifications

        yield self._by_state(
            "portal_documents", "Generated documents (slips, results) not ready, by state.",
            Document.objects.all(), [DocumentState.PENDING, DocumentState.FAILED],
        )
        yield self._by_state(
            "portal_national_sync", "National portal sync rows not delivered, by state.",
            NationalSync.objects.all(), [SyncState.PENDING, SyncState.RETRYING, SyncState.DEAD],
        )
        yield self._by_state(
            "portal_postal_orders", "Postal orders not accepted by the operator, or ended badly, by state.",
            PostalOrder.objects.all(), [OrderState.PENDING, OrderState.FAILED, OrderState.REJECTED],
        )

        stale = now - timezone.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
        payments = PaymentAttempt.objects.filter(state=AttemptState.PENDING).aggregate(
            pending=Count("pk"), unreconciled=Count("pk", filter=Q(created_at__lt=stale))
        )
        family = GaugeMetricFamily("portal_payment_attempts_pending", "Payment attempts still pending.")
        family.add_metric([], payments["pending"])
        yield family
        family = GaugeMetricFamily(
            "portal_payment_attempts_unreconciled",
            "Payment attempts pending for longer than PAYMENT_RECONCILE_AFTER_MINUTES (reconciliation due).",
        )
        family.add_metric([], payments["unreconciled"])
        yield family

        overdue = GaugeMetricFamily(
            "portal_dossiers_overdue", "Dossiers past their due time with the agency's clock running, by agency.",
            labels=["agency"],
        )
        for row in (
            Dossier.objects.filter(status__in=CLOCK_RUNNING_STATES, due_current__lt=now)
            .values("agency__eid_code").annotate(n=Count("pk")).order_by("agency__eid_code")
        ):
            overdue.add_metric([row["agency__eid_code"]], row["n"])
        yield overdue

        family = GaugeMetricFamily("portal_attachments_quarantined", "Uploaded files waiting for a malware scan.")
        family.add_metric([], Attachment.objects.filter(scan_status=ScanStatus.QUARANTINED).count())
        yield family

        tasks = beat_task_names()
        stored = shared_cache().get_many([BEAT_LAST_RUN_KEY.format(task=task) for task in tasks])
        family = GaugeMetricFamily(
            "portal_beat_task_last_run_timestamp_seconds",
            "When each scheduled (beat) task last finished on a worker, as a Unix time; 0 if never seen.",
            labels=["task"],
        )
        for task in tasks:
            family.add_metric([task], stored.get(BEAT_LAST_RUN_KEY.format(task=task), 0))
        yield family

    @staticmethod
    def _by_state(name: str, documentation: str, queryset, states) -> GaugeMetricFamily:
        counts = {
            row["state"]: row["n"]
            for row in queryset.filter(state__in=states).values("state").annotate(n=Count("pk")).order_by()
        }
        family = GaugeMetricFamily(name, documentation, labels=["state"])
        for state in states:
            family.add_metric([str(state)], counts.get(state, 0))
        return family


def render_metrics() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(PortalHealthCollector())
    return generate_latest(registry)
