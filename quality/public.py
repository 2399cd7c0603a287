"""The public transparency counters (/minh-bach/): per agency, this year's received, resolved on time and
late, dossiers in progress, apologies issued, the satisfaction figure and how many ratings it is over, and the
petitions (phản ánh, kiến nghị) received and answered. Counts only, never a person."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Agency
from applications.deadlines import local_date
from feedback.selectors import petition_counts_by_agency, satisfaction_figures_by_agency
from quality.indicators import satisfaction_figure
from quality.models import DailySummary, MonthlySummary
from quality.periods import period_bounds
from quality.selectors import month_split, summary_computed_at

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


YEAR_FIELDS = ("received", "resolved_early", "resolved_on_time", "resolved_late", "apologised")
EVER_FIELDS = ("received", "resolved", "stopped")


def _board(year: int) -> dict:
    """Five queries whatever the number of agencies: the year's counters and the running totals from the summary
    (whole months from the monthly roll-ups, this month's days from the daily rows), the satisfaction and the
    petition counts of every agency in one grouped query each, the agencies."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    until = min(end, local_date(timezone.now()))
    months, days = month_split(None, until)
    sources: list[tuple[QuerySet, Q]] = []
    if months is not None:
        sources.append((MonthlySummary.objects.filter(month__lte=months[1]), Q(month__gte=start)))
    for first, last in days:  # only the current month's days: start is None, so no loose days before
        sources.append((DailySummary.objects.filter(day__gte=first, day__lte=last), Q(day__gte=start)))
    totals: dict[int, dict[str, int]] = {}
    for rows, this_year in sources:
        sums = {f"year_{name}": Sum(name, filter=this_year) for name in YEAR_FIELDS}
        sums.update({f"ever_{name}": Sum(name) for name in EVER_FIELDS})
        for row in rows.values("agency_id").annotate(**sums):
            total = totals.setdefault(row["agency_id"], {})
            for name in sums:
                total[name] = total.get(name, 0) + (row[name] or 0)
    satisfaction = satisfaction_figures_by_agency(None, *period_bounds(start, end))
    petitions = petition_counts_by_agency(None, *period_bounds(start, end))
    agencies: list[dict] = []
    for agency in Agency.objects.filter(is_active=True, pk__in=[*totals, *satisfaction, *petitions]).order_by("eid_code"):
        row = totals.get(agency.pk) or {f"year_{name}": 0 for name in YEAR_FIELDS} | {
            f"ever_{name}": 0 for name in EVER_FIELDS}
        figure = satisfaction_figure(satisfaction[agency.pk]) if agency.pk in satisfaction else None
        petition_counts = petitions.get(agency.pk, {"received": 0, "answered": 0})
        agencies.append({
            "name": agency.name,
            "received": row["year_received"],
            "on_time": row["year_resolved_early"] + row["year_resolved_on_time"],
            "late": row["year_resolved_late"],
            "in_progress": row["ever_received"] - row["ever_resolved"] - row["ever_stopped"],
            "apologised": row["year_apologised"],
            "satisfaction": figure.value if figure else None,
            "ratings": satisfaction[agency.pk]["ratings"] if agency.pk in satisfaction else 0,
            "petitions_received": petition_counts["received"],
            "petitions_answered": petition_counts["answered"],
        })
    totals_row = {key: sum(int(agency[key]) for agency in agencies)
                  for key in ("received", "on_time", "late", "in_progress", "apologised", "ratings",
                              "petitions_received", "petitions_answered")}
    return {"agencies": agencies, "totals": totals_row, "computed_at": summary_computed_at()}
