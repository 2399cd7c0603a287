"""Derive the daily summary from the dossiers' immutable events, in full or incrementally.

A dossier's figures come from the first event of each kind (received, refused, withdrawn,
stopped, resolved, paid, apologised, extended), never from its status today, so they survive
later transitions and pruning. Each fact lands in the bucket (local day of the event, agency,
procedure) of the dossier.

The full rebuild is one SQL statement (quality.rebuild_sql), a second derivation of the same facts;
the tests hold the two to equality.

Every day rewritten also rewrites its month's roll-up (MonthlySummary), summed from the daily rows, so a
period of whole months reads the monthly rows (quality.selectors.summed).

Incremental refresh (beat, every few minutes): events past the high-water mark name the dossiers
that changed; every bucket those dossiers touch is recomputed whole from raw rows, so running it
twice changes nothing. The mark only moves past events older than REFRESH_LAG: a transaction that
took an event id earlier but committed later is still seen by the next run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from applications.deadlines import local_date
from applications.models import Attachment, Channel, Dossier, DossierEvent, Event
from national.models import NationalSync, SyncState
from quality.models import COUNTERS, DailySummary, MonthlySummary, SummaryMark
from quality.rebuild_sql import monthly_rollup_sql, summary_rebuild_sql
from workdays.constants import Timeliness

REFRESH_LAG = timedelta(minutes=10)
CHUNK = 2000
RESOLVED_EVENTS = (Event.APPROVED, Event.NOT_ELIGIBLE)
# The events whose first occurrence is a fact; others (supplemented, postal…) only mark a dossier as touched.
FACT_EVENTS = (
    Event.RECEIVED, Event.REFUSED, Event.WITHDRAWN, Event.STOPPED, *RESOLVED_EVENTS, Event.PAYMENT_CONFIRMED,
    Event.APOLOGISED, Event.EXTENDED, Event.SUPPLEMENT_REQUESTED,
)

Key = tuple[date, int, int]  # (day, agency_id, procedure_id)


@dataclass
class DossierFacts:
    agency_id: int
    procedure_id: int
    sector_id: int
    channel: str
    due_original: datetime | None
    first: dict[str, tuple[datetime, dict]] = field(default_factory=dict)
    had_supplement: bool = False
    has_digitised: bool = False
    has_reused: bool = False
    has_synced: bool = False

    def contributions(self) -> Iterable[tuple[Key, dict[str, int]]]:
        """(bucket, counters to add) for every fact of this dossier."""
        def key(moment: datetime) -> Key:
            return (local_date(moment), self.agency_id, self.procedure_id)

        if Event.RECEIVED in self.first:
            received_at = self.first[Event.RECEIVED][0]
            counts = {"received": 1, f"received_{self.channel}": 1, "received_reused": int(self.has_reused),
                      "received_synced": int(self.has_synced)}
            if self.channel != Channel.ONLINE:
                counts["paper_received"] = 1
                counts["paper_digitised"] = int(self.has_digitised)
            yield key(received_at), counts
        for action, counter in ((Event.REFUSED, "refused"), (Event.WITHDRAWN, "withdrawn"),
                                (Event.STOPPED, "stopped"), (Event.APOLOGISED, "apologised"),
                                (Event.EXTENDED, "extended")):
            if action in self.first:
                yield key(self.first[action][0]), {counter: 1}
        resolution = self._resolution()
        if resolution is not None:
            yield resolution
        if Event.PAYMENT_CONFIRMED in self.first:
            paid_at, data = self.first[Event.PAYMENT_CONFIRMED]
            yield key(paid_at), {"paid": 1, "paid_online": int(data.get("channel") == "online")}

    def _resolution(self) -> tuple[Key, dict[str, int]] | None:
        resolved = [self.first[action] for action in RESOLVED_EVENTS if action in self.first]
        if not resolved:
            return None
        resolved_at, data = min(resolved, key=lambda pair: pair[0])
        timeliness = data.get("timeliness", "")
        counts = {
            "resolved": 1,
            "resolved_early": int(timeliness == Timeliness.EARLY),
            "resolved_on_time": int(timeliness == Timeliness.ON_TIME),
            "resolved_late": int(timeliness == Timeliness.LATE),
            "resolved_approved": int(Event.APPROVED in self.first and self.first[Event.APPROVED][0] == resolved_at),
            "resolved_with_supplement": int(self.had_supplement),
        }
        received = self.first.get(Event.RECEIVED)
        if received is not None:
            counts["processing_seconds"] = int((resolved_at - received[0]).total_seconds())
            if self.due_original is not None:
                counts["statutory_seconds"] = int((self.due_original - received[0]).total_seconds())
        return (local_date(resolved_at), self.agency_id, self.procedure_id), counts


def dossier_facts(dossier_ids: list[int]) -> dict[int, DossierFacts]:
    """The facts of these dossiers, read from their events, papers and national syncs (five queries)."""
    facts = {
        pk: DossierFacts(agency_id=agency_id, procedure_id=procedure_id, sector_id=sector_id, channel=channel,
                         due_original=due_original)
        for pk, agency_id, procedure_id, sector_id, channel, due_original in Dossier.objects.filter(
            pk__in=dossier_ids
        ).values_list("pk", "agency_id", "procedure_version__procedure_id",
                      "procedure_version__procedure__sector_id", "channel", "due_original")
    }
    events = DossierEvent.objects.filter(dossier_id__in=dossier_ids, action__in=FACT_EVENTS).order_by("at", "pk")
    for dossier_id, action, at, data in events.values_list("dossier_id", "action", "at", "data"):
        fact = facts[dossier_id]
        if action == Event.SUPPLEMENT_REQUESTED:
            fact.had_supplement = True
        fact.first.setdefault(action, (at, data or {}))
    digitised = Attachment.objects.filter(dossier_id__in=dossier_ids, is_digitised=True)
    for dossier_id in digitised.values_list("dossier_id", flat=True).distinct():
        facts[dossier_id].has_digitised = True
    reused = Attachment.objects.filter(dossier_id__in=dossier_ids, is_reused=True)
    for dossier_id in reused.values_list("dossier_id", flat=True).distinct():
        facts[dossier_id].has_reused = True
    synced = NationalSync.objects.filter(dossier_id__in=dossier_ids, state=SyncState.DELIVERED)
    for dossier_id in synced.values_list("dossier_id", flat=True).distinct():
        facts[dossier_id].has_synced = True
    return facts


def _aggregate(facts: Iterable[DossierFacts], only: set[Key] | None = None) -> dict[Key, dict[str, int]]:
    buckets: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    sectors: dict[Key, int] = {}
    for fact in facts:
        for bucket_key, counts in fact.contributions():
            if only is not None and bucket_key not in only:
                continue
            row = buckets[bucket_key]
            for name, value in counts.items():
                row[name] += value
            sectors[bucket_key] = fact.sector_id
    for bucket_key, row in buckets.items():
        row["sector_id"] = sectors[bucket_key]
    return buckets


def _write(buckets: dict[Key, dict[str, int]]) -> None:
    DailySummary.objects.bulk_create(
        [DailySummary(day=day, agency_id=agency_id, procedure_id=procedure_id, **row)
         for (day, agency_id, procedure_id), row in buckets.items()],
        batch_size=CHUNK,
    )


def _safe_mark(now: datetime) -> int:
    """The highest event id older than REFRESH_LAG: everything up to it has surely committed."""
    return DossierEvent.objects.filter(at__lt=now - REFRESH_LAG).aggregate(top=Max("pk"))["top"] or 0


@transaction.atomic
def summary_rebuild() -> int:
    """Throw the summary away and derive it again from every dossier's events. Returns the row count."""
    now = timezone.now()
    mark, _created = SummaryMark.objects.select_for_update().get_or_create(pk=1)
    return _rebuild(mark, now)


def _rebuild(mark: SummaryMark, now: datetime) -> int:
    DailySummary.objects.all().delete()
    MonthlySummary.objects.all().delete()
    rows = summary_rebuild_sql()
    monthly_rollup_sql()
    mark.last_event_id = _safe_mark(now)
    mark.refreshed_at = now
    mark.save()
    return rows


@transaction.atomic
def summary_refresh() -> int:
    """Bring the summary up to date with the events past the mark. Idempotent. Returns the number of
    buckets rewritten."""
    now = timezone.now()
    mark, _created = SummaryMark.objects.select_for_update().get_or_create(pk=1)
    if mark.refreshed_at is None:
        # The first run on an existing history: one pass over everything beats bucket by bucket.
        return _rebuild(mark, now)
    touched = set(DossierEvent.objects.filter(pk__gt=mark.last_event_id).values_list("dossier_id", flat=True))
    # A delivery to the national portal is no dossier event: the dossiers delivered since the last run (and
    # REFRESH_LAG before it, for transactions that committed late) are refreshed too.
    touched.update(NationalSync.objects.filter(state=SyncState.DELIVERED,
                                               delivered_at__gte=mark.refreshed_at - REFRESH_LAG)
                   .values_list("dossier_id", flat=True))
    keys: set[Key] = set()
    for start in range(0, len(touched), CHUNK):
        chunk = sorted(touched)[start:start + CHUNK]
        for fact in dossier_facts(chunk).values():
            keys.update(bucket_key for bucket_key, _counts in fact.contributions())
    if keys:
        _recompute(keys)
    mark.last_event_id = max(mark.last_event_id, _safe_mark(now))
    mark.refreshed_at = now
    mark.save()
    return len(keys)


def _recompute(keys: set[Key]) -> None:
    """Rewrite these buckets from every dossier with a fact event in them."""
    by_group: dict[tuple[int, int], set[date]] = defaultdict(set)
    for day, agency_id, procedure_id in keys:
        by_group[(agency_id, procedure_id)].add(day)
    contributors: set[int] = set()
    for (agency_id, procedure_id), days in by_group.items():
        contributors.update(
            DossierEvent.objects.filter(
                dossier__agency_id=agency_id, dossier__procedure_version__procedure_id=procedure_id,
                action__in=FACT_EVENTS, at__date__in=days,
            ).values_list("dossier_id", flat=True)
        )
    buckets: dict[Key, dict[str, int]] = {}
    ordered = sorted(contributors)
    for start in range(0, len(ordered), CHUNK):
        for bucket_key, row in _aggregate(dossier_facts(ordered[start:start + CHUNK]).values(), only=keys).items():
            total = buckets.setdefault(bucket_key, dict.fromkeys(COUNTERS, 0))
            for name in COUNTERS:
                total[name] += row[name]
            total["sector_id"] = row["sector_id"]
    for (agency_id, procedure_id), days in by_group.items():
        DailySummary.objects.filter(agency_id=agency_id, procedure_id=procedure_id, day__in=days).delete()
    _write(buckets)
    # The months holding a rewritten day are summed again from their days (every day of them, not a delta:
    # idempotent like the daily rows).
    monthly_rollup_sql({(agency_id, procedure_id, day.replace(day=1)) for day, agency_id, procedure_id in keys})
