"""The outbound sync: every status change is owed to the national portal, in order per dossier.

`sync_record` runs inside the transition's transaction (the workflow's status hook) and writes one
NationalSync row; after commit a task drains the queue (`sync_drain`) and the beat sweeper drains it
again in case that task was lost. Draining claims rows with SELECT … FOR UPDATE SKIP LOCKED, so
several workers never send the same row, and takes only a dossier's oldest undelivered row: a later
status never overtakes an earlier one. A failed send is retried with exponential backoff; after
NATIONAL_SYNC_MAX_ATTEMPTS it is parked as dead (kept, listed in the admin with the answer received,
and retried from there), and it still holds back that dossier's later rows so order is never broken.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

from accounts.models import Role, User
from applications.deadlines import local_date
from applications.models import NATIONAL_STATUS, Dossier, DossierEvent, Status
from national.models import OPEN_SYNC_STATES, NationalSync, SyncState
from national.payload import sync_payload
from national.protocol import VIETNAM, NationalPortalClient, NationalPortalError, NationalPortalRejected, PushAck
from notifications.models import NotificationChannel
from notifications.services import notification_queue, templates_for
from portal.lib.dispatch import dispatch_on_commit, publish

logger = logging.getLogger(__name__)


def sync_record(dossier: Dossier, event: DossierEvent) -> NationalSync | None:
    """The workflow's status hook: owe the national portal this change (inside the transaction)."""
    if not settings.NATIONAL_SYNC_ENABLED or dossier.status == Status.DRAFT:
        return None
    sync = NationalSync.objects.create(
        dossier=dossier, event=event, version=dossier.version, status_code=NATIONAL_STATUS[dossier.status],
        next_attempt_at=event.at,
    )
    from national.tasks import national_sync_drain

    dispatch_on_commit(national_sync_drain)
    return sync


@dataclass
class DrainResult:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    # The national portal failed to answer: the batch stopped there, to be resumed by the sweeper.
    interrupted: bool = False


def _claim(now: datetime, limit: int) -> list[NationalSync]:
    """Each dossier's oldest undelivered row, when due, locked (rows other workers hold are skipped)."""
    earlier = NationalSync.objects.filter(dossier_id=OuterRef("dossier_id"), pk__lt=OuterRef("pk")).exclude(
        state=SyncState.DELIVERED
    )
    return list(
        NationalSync.objects.filter(state__in=OPEN_SYNC_STATES, next_attempt_at__lte=now)
        .filter(~Exists(earlier))
        .order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("dossier__procedure_version__procedure__sector", "dossier__agency")
        .prefetch_related(
            Prefetch("dossier__events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "pk")),
            "dossier__attachments", "dossier__documents", "dossier__payment_attempts",
        )[:limit]
    )


def _backoff(attempts: int) -> timedelta:
    seconds = settings.NATIONAL_SYNC_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NATIONAL_SYNC_RETRY_MAX_SECONDS))


def _failed(sync: NationalSync, error: NationalPortalError, now: datetime, *, final: bool) -> None:
    sync.response_status = error.status
    sync.response_body = error.body[:4000]
    sync.error = str(error)[:1000]
    if final or sync.attempts >= settings.NATIONAL_SYNC_MAX_ATTEMPTS:
        sync.state = SyncState.DEAD
        logger.warning("national sync %s parked after %s attempts: %s", sync.pk, sync.attempts, error)
    else:
        sync.state = SyncState.RETRYING
        sync.next_attempt_at = now + _backoff(sync.attempts)


class _NotSent(NationalPortalError):
    """Left unsent because the portal had just failed to answer another push of the batch."""


def _push_all(client: NationalPortalClient, payloads: list[dict]) -> list[PushAck | NationalPortalError]:
    """Push each payload (NATIONAL_SYNC_CONCURRENCY at a time); stop starting new ones once the
    portal has failed to answer, so a portal that is down gets a handful of calls, not a batch."""
    failed = threading.Event()

    def push(payload: dict) -> PushAck | NationalPortalError:
        if failed.is_set():
            return _NotSent("not sent: the national portal failed just before")
        try:
            return client.push(payload)
        except NationalPortalRejected as error:
            return error
        except NationalPortalError as error:
            failed.set()
            return error

    workers = max(1, min(settings.NATIONAL_SYNC_CONCURRENCY, len(payloads)))
    if workers == 1:
        return [push(payload) for payload in payloads]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(push, payloads))


def sync_drain(*, batch: int | None = None, rounds: int | None = None, client: NationalPortalClient | None = None,
               now: datetime | None = None) -> DrainResult:
    """Push what is due, oldest first, one row per dossier per round; stop at the first failure to
    reach the national portal (the rest stay due: nothing hammers an endpoint that is down).

    `now` is the clock the backoff is judged by (the bench and the outage tests replay minutes of
    sweeps in a few seconds)."""
    client = client or NationalPortalClient.from_settings()
    batch = batch or settings.NATIONAL_SYNC_BATCH
    result = DrainResult()
    for _round in range(rounds or settings.NATIONAL_SYNC_DRAIN_ROUNDS):
        claimed = 0
        with transaction.atomic():
            clock = now or timezone.now()
            rows = _claim(clock, batch)
            claimed = len(rows)
            # One row per dossier in a batch, so the rows are independent: send them side by side.
            payloads = [sync_payload(sync) for sync in rows]
            outcomes = _push_all(client, payloads)
            for sync, outcome in zip(rows, outcomes, strict=True):
                if isinstance(outcome, _NotSent):
                    continue  # never tried: stays due as it was
                sync.attempts += 1
                sync.last_attempt_at = timezone.now()
                if isinstance(outcome, NationalPortalRejected):
                    _failed(sync, outcome, clock, final=True)
                    result.dead += 1
                elif isinstance(outcome, NationalPortalError):
                    _failed(sync, outcome, clock, final=False)
                    result.failed += 1
                    result.dead += sync.state == SyncState.DEAD
                    result.interrupted = True
                else:
                    sync.state = SyncState.DELIVERED
                    sync.delivered_at = timezone.now()
                    sync.response_status, sync.response_body, sync.error = outcome.status, outcome.body, ""
                    result.delivered += 1
            NationalSync.objects.bulk_update(rows, [
                "state", "attempts", "last_attempt_at", "next_attempt_at", "delivered_at", "response_status",
                "response_body", "error",
            ])
        if result.interrupted or claimed == 0:
            break
    return result


def sync_retry(sync: NationalSync) -> NationalSync:
    """An administrator sends a failed row again (with a fresh set of attempts)."""
    with transaction.atomic():
        locked = NationalSync.objects.select_for_update().get(pk=sync.pk)
        if locked.state == SyncState.DELIVERED:
            return locked
        locked.state = SyncState.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        from national.tasks import national_sync_drain

        dispatch_on_commit(national_sync_drain)
    return locked


def sync_sweep(*, now: datetime | None = None) -> DrainResult:
    """Beat: drain what is due (a task lost with the broker, a backoff that ran out)."""
    result = sync_drain(now=now)
    if not result.interrupted and NationalSync.objects.filter(
        state__in=OPEN_SYNC_STATES, next_attempt_at__lte=now or timezone.now()
    ).exists():
        from national.tasks import national_sync_drain

        publish(national_sync_drain)
    return result


def sync_daily_counts(day: date | None = None) -> dict[str, int]:
    """For the morning digest: syncs delivered on `day` (local date), and rows failing or parked now."""
    day = day or local_date(timezone.now())
    start = datetime.combine(day, time.min, tzinfo=VIETNAM)
    delivered = NationalSync.objects.filter(
        state=SyncState.DELIVERED, delivered_at__gte=start, delivered_at__lt=start + timedelta(days=1)
    ).count()
    open_counts = dict(NationalSync.objects.exclude(state=SyncState.DELIVERED).values_list("state").annotate(
        n=Count("pk")).values_list("state", "n"))
    return {"delivered": delivered, "retrying": open_counts.get(SyncState.RETRYING, 0),
            "pending": open_counts.get(SyncState.PENDING, 0), "dead": open_counts.get(SyncState.DEAD, 0)}


def sync_digest_send(*, day: date | None = None) -> int:
    """Beat, every morning: tell the administrators yesterday's count of syncs delivered and what is
    still waiting or failed (in-app, and by email where they have one). Idempotent per day."""
    day = day or local_date(timezone.now()) - timedelta(days=1)
    counts = sync_daily_counts(day)
    context = {"day": day.strftime("%d/%m/%Y"), "delivered": counts["delivered"],
               "waiting": counts["pending"] + counts["retrying"], "dead": counts["dead"]}
    templates = templates_for("national_sync_digest")
    written = 0
    with transaction.atomic():
        for user in User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"):
            channels = [NotificationChannel.IN_APP] + ([NotificationChannel.EMAIL] if user.email else [])
            for channel in channels:
                row = notification_queue(
                    event="national_sync_digest", channel=channel,
                    context={**context, "recipient_name": user.full_name},
                    dedupe_key=f"national-digest:{day:%Y%m%d}:{channel}:user:{user.pk}", recipient=user,
                    to_address=user.email or "" if channel == NotificationChannel.EMAIL else "",
                    language=user.preferred_language, link="/admin/national/nationalsync/", templates=templates,
                )
                written += row is not None
    return written
