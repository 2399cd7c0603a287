"""Reads behind the quality pages: who sees which agencies, the period's totals from the daily
summary, and the dossiers behind each figure (read from the raw events, so a drill-down lists
exactly the dossiers the summary counted)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from accounts.access import staff_agency_ids
from accounts.models import Agency, Role, User
from applications.models import Attachment, Channel, Dossier, DossierEvent, Event
from feedback.selectors import PETITION_LISTS, petitions_in_period, ratings_in_period
from national.models import NationalSync, SyncState
from quality.indicators import Context, GroupScore, IndicatorResult, group_scores, indicator_results, procedure_ids
from quality.models import COUNTERS, DailySummary, MonthlySummary, SummaryMark
from quality.periods import dossiers_in_scope, first_in_period, period_bounds, received_in_period
from quality.summary import RESOLVED_EVENTS
from workdays.constants import Timeliness

TOTALS_CACHE_SECONDS = 600


def quality_agency_ids(user: User) -> list[int] | None:
    """Agencies whose figures this user may see: None means all (an administrator), [] none.

    A leader sees their agency and the agencies below it (accounts.access.staff_agency_ids)."""
    if not user.is_authenticated:
        return []
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.LEADER:
        return staff_agency_ids(user)
    return []


def quality_agencies(agency_ids: list[int] | None) -> QuerySet[Agency]:
    agencies = Agency.objects.order_by("eid_code")
    return agencies if agency_ids is None else agencies.filter(pk__in=agency_ids)


@dataclass(frozen=True)
class Scope:
    """What a page asks about: agencies (None = all), an inclusive period of local days, optional filters."""

    agency_ids: list[int] | None
    start: date
    end: date
    procedure_id: int | None = None
    sector_id: int | None = None

    def shifted(self, start: date, end: date) -> Scope:
        return Scope(self.agency_ids, start, end, self.procedure_id, self.sector_id)


def month_split(start: date | None, end: date) -> tuple[tuple[date, date] | None, list[tuple[date | None, date]]]:
    """Cut the inclusive period [start, end] (start None: since the beginning) into the whole calendar months it
    covers, as (first month, last month) to read from the monthly roll-ups, and the loose days before and after
    them, to read from the daily rows."""
    after_end = end + timedelta(days=1)
    last_month_end = end if after_end.day == 1 else after_end.replace(day=1) - timedelta(days=1)
    days: list[tuple[date | None, date]] = []
    if start is None:
        first_month = date.min
    else:
        first_month = start if start.day == 1 else _next_month(start)
        if first_month > last_month_end:
            return None, [(start, end)]
        if start < first_month:
            days.append((start, first_month - timedelta(days=1)))
    if last_month_end < end:
        days.append((last_month_end + timedelta(days=1), end))
    return (first_month, last_month_end.replace(day=1)), days


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def summed(scope: Scope, start: date | None, end: date, fields: tuple[str, ...] = COUNTERS,
           group_by: str | None = None) -> dict[int | None, dict[str, int]]:
    """The counters `fields` summed over [start, end] (start None: since the beginning) within the scope's
    agencies, procedure and sector, per `group_by` value ("agency_id", "procedure_id") or under None.
    Whole months come from MonthlySummary, the loose days from DailySummary (at most two queries)."""
    months, days = month_split(start, end)
    querysets: list[QuerySet] = []
    if months is not None:
        querysets.append(_filter_summary(MonthlySummary.objects.filter(month__gte=months[0], month__lte=months[1]),
                                         scope))
    if days:
        loose = Q()
        for first, last in days:
            loose |= Q(day__lte=last) if first is None else Q(day__gte=first, day__lte=last)
        querysets.append(_filter_summary(DailySummary.objects.filter(loose), scope))
    sums = {f"{name}_sum": Sum(name) for name in fields}
    result: dict[int | None, dict[str, int]] = {}
    for rows in querysets:
        found = rows.values(group_by).annotate(**sums) if group_by else [rows.aggregate(**sums)]
        for row in found:
            key = row[group_by] if group_by else None
            total = result.setdefault(key, dict.fromkeys(fields, 0))
            for name in fields:
                total[name] += row[f"{name}_sum"] or 0
    if group_by is None:
        result.setdefault(None, dict.fromkeys(fields, 0))
    return result


def summary_totals(scope: Scope) -> dict[str, int]:
    """The counters summed over the scope (whole months from the roll-ups, the rest from the days)."""
    return summed(scope, scope.start, scope.end)[None]


def _filter_summary(rows: QuerySet, scope: Scope) -> QuerySet:
    if scope.agency_ids is not None:
        rows = rows.filter(agency_id__in=scope.agency_ids)
    if scope.procedure_id:
        rows = rows.filter(procedure_id=scope.procedure_id)
    if scope.sector_id:
        rows = rows.filter(sector_id=scope.sector_id)
    return rows


def open_count(scope: Scope, *, before: date) -> int:
    """Received dossiers neither resolved nor stopped before the start of `before` (from the summary)."""
    totals = summed(scope, None, before - timedelta(days=1), ("received", "resolved", "stopped"))[None]
    return totals["received"] - totals["resolved"] - totals["stopped"]


def summary_computed_at() -> datetime | None:
    mark = SummaryMark.objects.filter(pk=1).first()
    return mark.refreshed_at if mark else None


@dataclass
class Dashboard:
    scope: Scope
    previous: Scope
    totals: dict[str, int]
    previous_totals: dict[str, int]
    results: list[IndicatorResult]
    groups: list[GroupScore]
    computed_at: datetime | None
    # {"ratings", "petitions_received", "petitions_answered", "petitions_answered_on_time"}: (this period, previous)
    feedback: dict[str, tuple[int, int]]


def _totals_cached(scope: Scope, stamp: datetime | None) -> dict[str, int]:
    """summary_totals, kept until the summary next changes (its refresh time is part of the key)."""
    key = "quality:totals:" + hashlib.sha256(repr((scope, stamp)).encode()).hexdigest()
    totals = cache.get(key)
    if totals is None:
        totals = summary_totals(scope)
        cache.set(key, totals, TOTALS_CACHE_SECONDS)
    return totals


def dashboard_build(scope: Scope, previous: Scope) -> Dashboard:
    computed_at = summary_computed_at()
    totals, previous_totals = _totals_cached(scope, computed_at), _totals_cached(previous, computed_at)
    context = Context(totals, scope.agency_ids, scope.start, scope.end, scope.procedure_id, scope.sector_id)
    previous_context = Context(previous_totals, previous.agency_ids, previous.start, previous.end,
                               previous.procedure_id, previous.sector_id)
    results, previous_results = indicator_results(context), indicator_results(previous_context)
    feedback = {key: (_feedback_count(context, key), _feedback_count(previous_context, key)) for key in FEEDBACK_DRILLS}
    return Dashboard(scope, previous, totals, previous_totals, results, group_scores(results, previous_results),
                     computed_at, feedback)


def _feedback_count(context: Context, key: str) -> int:
    """A count the satisfaction indicators already read (kept in the context's memo: no second query)."""
    if key == "ratings":
        return context.memo["satisfaction"]["ratings"]
    return context.memo["petitions"][key.removeprefix("petitions_")]


# --- Drill-down: the dossiers behind a counter -------------------------------------------------


def _first_in_period(actions: tuple[str, ...], scope: Scope, extra: Q | None = None) -> Q:
    return first_in_period(actions, scope.start, scope.end, extra)


def _received(scope: Scope) -> Q:
    return received_in_period(scope.start, scope.end)


def _resolved(scope: Scope, extra: Q | None = None) -> Q:
    return _first_in_period(RESOLVED_EVENTS, scope, extra)


def _digitised() -> Q:
    return Q(Exists(Attachment.objects.filter(dossier=OuterRef("pk"), is_digitised=True)))


def _reused() -> Q:
    return Q(Exists(Attachment.objects.filter(dossier=OuterRef("pk"), is_reused=True)))


def _synced() -> Q:
    return Q(Exists(NationalSync.objects.filter(dossier=OuterRef("pk"), state=SyncState.DELIVERED)))


def _supplemented() -> Q:
    return Q(Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Event.SUPPLEMENT_REQUESTED)))


DRILLS = {
    "received": lambda s: _received(s),
    "received_online": lambda s: _received(s) & Q(channel=Channel.ONLINE),
    "received_in_person": lambda s: _received(s) & Q(channel=Channel.IN_PERSON),
    "received_post": lambda s: _received(s) & Q(channel=Channel.POST),
    "paper_received": lambda s: _received(s) & ~Q(channel=Channel.ONLINE),
    "paper_digitised": lambda s: _received(s) & ~Q(channel=Channel.ONLINE) & _digitised(),
    "refused": lambda s: _first_in_period((Event.REFUSED,), s),
    "withdrawn": lambda s: _first_in_period((Event.WITHDRAWN,), s),
    "stopped": lambda s: _first_in_period((Event.STOPPED,), s),
    "resolved": lambda s: _resolved(s),
    # Decision 766 counts early + on time as "on time".
    "resolved_in_time": lambda s: _resolved(s, Q(data__timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])),
    "resolved_early": lambda s: _resolved(s, Q(data__timeliness=Timeliness.EARLY)),
    "resolved_on_time": lambda s: _resolved(s, Q(data__timeliness=Timeliness.ON_TIME)),
    "resolved_late": lambda s: _resolved(s, Q(data__timeliness=Timeliness.LATE)),
    "resolved_approved": lambda s: _resolved(s, Q(action=Event.APPROVED)),
    "resolved_with_supplement": lambda s: _resolved(s) & _supplemented(),
    "paid": lambda s: _first_in_period((Event.PAYMENT_CONFIRMED,), s),
    "paid_online": lambda s: _first_in_period((Event.PAYMENT_CONFIRMED,), s, Q(data__channel="online")),
    "apologised": lambda s: _first_in_period((Event.APOLOGISED,), s),
    "extended": lambda s: _first_in_period((Event.EXTENDED,), s),
    # Counted from the raw rows by the indicators themselves (quality.indicators._received_share).
    "received_reused": lambda s: _received(s) & _reused(),
    "received_synced": lambda s: _received(s) & _synced(),
}


# The ratings and petitions behind the satisfaction group (feedback.selectors, same filters as its figures).
FEEDBACK_DRILLS = ("ratings", *(f"petitions_{kind}" for kind in PETITION_LISTS))


def drill_feedback(scope: Scope, drill: str) -> QuerySet:
    """The ratings or petitions a figure of `scope` counts; `drill` must be in FEEDBACK_DRILLS."""
    bounds = period_bounds(scope.start, scope.end)
    procedures = procedure_ids(Context({}, scope.agency_ids, scope.start, scope.end, scope.procedure_id,
                                       scope.sector_id))
    if drill == "ratings":
        return ratings_in_period(scope.agency_ids, *bounds, procedure_ids=procedures)
    return petitions_in_period(drill.removeprefix("petitions_"), scope.agency_ids, *bounds, procedure_ids=procedures)


def drill_dossiers(scope: Scope, drill: str) -> QuerySet[Dossier]:
    """The dossiers a counter of `scope` counts, newest first; `drill` must be a key of DRILLS."""
    dossiers = dossiers_in_scope(Dossier.objects.filter(DRILLS[drill](scope)), scope.agency_ids, scope.procedure_id,
                                 scope.sector_id)
    return dossiers.select_related("procedure_version", "agency").order_by("-received_at", "-pk")
