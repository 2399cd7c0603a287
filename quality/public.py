"""The public transparency counters (/minh-bach/): per agency, this year's received, resolved on time and
late, dossiers in progress, apologies issued and the satisfaction figure. Counts only, never a person."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import Agency
from applications.deadlines import local_date
from quality.indicators import BY_KEY, Context
from quality.models import COUNTERS, DailySummary
from quality.selectors import summary_computed_at

# Warmed by the beat job right after each summary refresh (every five minutes), so visitors never
# pay for the aggregate; the lifetime only bounds how stale the page gets if beat stops.
CACHE_SECONDS = 15 * 60


def _cache_key(year: int) -> str:
    return f"quality:transparency:{year}"


def transparency_board(year: int) -> dict:
    board = cache.get(_cache_key(year))
    if board is None:
        board = transparency_board_warm(year)
    return board


def transparency_board_warm(year: int) -> dict:
    """Compute the page's figures and put them in the cache (called after every summary refresh)."""
    board = _board(year)
    cache.set(_cache_key(year), board, CACHE_SECONDS)
    return board


def _board(year: int) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    this_year = Q(day__gte=start, day__lte=end)
    rows = DailySummary.objects.filter(day__lte=min(end, local_date(timezone.now()))).values("agency_id").annotate(
        year_received=Sum("received", filter=this_year), early=Sum("resolved_early", filter=this_year),
        on_time=Sum("resolved_on_time", filter=this_year), late=Sum("resolved_late", filter=this_year),
        year_apologised=Sum("apologised", filter=this_year),
        received_ever=Sum("received"), resolved_ever=Sum("resolved"), stopped_ever=Sum("stopped"))
    by_agency = {row["agency_id"]: row for row in rows}
    agencies: list[dict] = []
    for agency in Agency.objects.filter(is_active=True, pk__in=by_agency).order_by("eid_code"):
        row = by_agency[agency.pk]
        satisfaction = BY_KEY["satisfaction"].compute(
            Context(dict.fromkeys(COUNTERS, 0), [agency.pk], start, end))
        agencies.append({
            "name": agency.name,
            "received": row["year_received"] or 0,
            "on_time": (row["early"] or 0) + (row["on_time"] or 0),
            "late": row["late"] or 0,
            "in_progress": (row["received_ever"] or 0) - (row["resolved_ever"] or 0) - (row["stopped_ever"] or 0),
            "apologised": row["year_apologised"] or 0,
            "satisfaction": satisfaction.value if satisfaction else None,
        })
    totals = {key: sum(int(agency[key]) for agency in agencies)
              for key in ("received", "on_time", "late", "in_progress", "apologised")}
    return {"agencies": agencies, "totals": totals, "computed_at": summary_computed_at()}
