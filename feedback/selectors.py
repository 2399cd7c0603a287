"""Reads of the feedback app: the figures the quality indicators use (Decision 766/QĐ-TTg group 5,
satisfaction), and the access-scoped petition lists.

Figures are counts and averages only: no rating is ever returned with a dossier or a person.
Periods are half-open, [start, end), with aware datetimes (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.access import staff_agency_ids
from accounts.models import User
from feedback.models import OPEN_PETITION_STATES, Petition, PetitionStatus, Rating, RatingIndex

TWO_PLACES = Decimal("0.01")
# The best score of one index (0 / 1 / 2 on the evaluation form).
INDEX_MAX_POINTS = 2


def _decimal(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _period_check(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("start and end must be aware datetimes")


def satisfaction_figures(agency_ids: Iterable[int] | None, start: datetime, end: datetime, *,
                         procedure_ids: Iterable[int] | None = None) -> dict:
    """Ratings given in [start, end) for dossiers of `agency_ids` (None: every agency) (one query); only
    those of `procedure_ids` (Procedure primary keys) when given.

    - ratings: how many; satisfied: how many with an overall level ≥ `satisfied_threshold`
      (settings.FEEDBACK_SATISFIED_MIN_LEVEL, returned with the figures);
    - satisfied_rate: satisfied / ratings × 100 (None without ratings);
    - average_overall: mean overall level (1–5), Decimal to 2 places, or None;
    - indices: {index: {"label", "answered", "average_points" (0–2, Decimal or None)}};
    - average_points: the mean of the index averages (0–2), or None;
    - points: every index score given, summed; max_points: INDEX_MAX_POINTS × the index answers given
      (an index left unanswered earns nothing and costs nothing).
    """
    _period_check(start, end)
    ratings = _scoped(Rating.objects.filter(created_at__gte=start, created_at__lt=end), agency_ids, procedure_ids)
    return _satisfaction_result(ratings.aggregate(**_satisfaction_aggregates()))


def satisfaction_figures_by_agency(agency_ids: Iterable[int] | None, start: datetime, end: datetime) -> dict[int, dict]:
    """satisfaction_figures for each agency on its own (not its sub-tree), in one grouped query: {agency id:
    figures}, only agencies with a rating in [start, end) (None: every agency)."""
    _period_check(start, end)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    if agency_ids is not None:
        ratings = ratings.filter(agency_id__in=list(agency_ids))
    rows = ratings.order_by().values("agency_id").annotate(**_satisfaction_aggregates())
    return {row["agency_id"]: _satisfaction_result(row) for row in rows}


def _satisfaction_aggregates() -> dict:
    aggregates = {
        "ratings": Count("pk"),
        "satisfied": Count("pk", filter=Q(overall__gte=settings.FEEDBACK_SATISFIED_MIN_LEVEL)),
        "average_overall": Avg("overall"),
    }
    for index in RatingIndex.values:
        aggregates[f"{index}__avg"] = Avg(index)
        aggregates[f"{index}__n"] = Count(index)
        aggregates[f"{index}__sum"] = Sum(index)
    return aggregates


def _satisfaction_result(row: dict) -> dict:
    indices = {
        index.value: {"label": str(index.label), "answered": row[f"{index.value}__n"],
                      "average_points": _decimal(row[f"{index.value}__avg"])}
        for index in RatingIndex
    }
    averages = [item["average_points"] for item in indices.values() if item["average_points"] is not None]
    ratings = row["ratings"]
    return {
        "ratings": ratings,
        "satisfied": row["satisfied"],
        "satisfied_threshold": settings.FEEDBACK_SATISFIED_MIN_LEVEL,
        "satisfied_rate": _decimal(Decimal(row["satisfied"]) * 100 / ratings) if ratings else None,
        "average_overall": _decimal(row["average_overall"]),
        "indices": indices,
        "average_points": _decimal(sum(averages) / len(averages)) if averages else None,
        "points": sum(row[f"{index}__sum"] or 0 for index in RatingIndex.values),
        "max_points": INDEX_MAX_POINTS * sum(item["answered"] for item in indices.values()),
    }


def petition_figures(agency_ids: Iterable[int] | None, start: datetime, end: datetime, *,
                     procedure_ids: Iterable[int] | None = None) -> dict:
    """Petitions of `agency_ids` (None: every agency) for [start, end) (one query); only those about
    `procedure_ids` when given.

    - received: received in the period;
    - answered: answered in the period (dismissed ones are closed, not answered: `dismissed`);
    - answered_on_time: of those, answered at or before their due time;
    - on_time_rate: answered_on_time / answered × 100, or None;
    - overdue_open: still open at the end of the period (or now, if earlier) and past due then;
    - average_answer_satisfaction: mean of the senders' ratings of answers given in the period
      (1–5, Decimal), or None; answer_ratings: how many ratings that mean is over.
    """
    _period_check(start, end)
    as_of = min(end, timezone.now())
    answered_in = _petition_filters(start, end)["answered"]
    still_open_then = (
        Q(received_at__lt=as_of, due_at__lt=as_of)
        & (Q(status__in=OPEN_PETITION_STATES) | Q(answered_at__gte=as_of))
    )
    petitions = _scoped(Petition.objects.all(), agency_ids, procedure_ids)
    row = petitions.aggregate(
        **{kind: Count("pk", filter=condition) for kind, condition in _petition_filters(start, end).items()},
        dismissed=Count("pk", filter=Q(status=PetitionStatus.DISMISSED, answered_at__gte=start, answered_at__lt=end)),
        overdue_open=Count("pk", filter=still_open_then),
        answer_ratings=Count("answer_rating", filter=answered_in),
        average_answer_satisfaction=Avg("answer_rating", filter=answered_in),
    )
    answered = row["answered"]
    return {
        **row,
        "on_time_rate": _decimal(Decimal(row["answered_on_time"]) * 100 / answered) if answered else None,
        "average_answer_satisfaction": _decimal(row["average_answer_satisfaction"]),
    }


def _petition_filters(start: datetime, end: datetime) -> dict[str, Q]:
    """The petitions each count of petition_figures (and each list of petitions_in_period) holds."""
    answered_in = Q(status=PetitionStatus.ANSWERED, answered_at__gte=start, answered_at__lt=end)
    return {
        "received": Q(received_at__gte=start, received_at__lt=end),
        "answered": answered_in,
        "answered_on_time": answered_in & Q(answered_at__lte=F("due_at")),
    }


PETITION_LISTS = ("received", "answered", "answered_on_time")


def petition_counts_by_agency(agency_ids: Iterable[int] | None, start: datetime, end: datetime) -> dict[int, dict]:
    """The received / answered / answered_on_time counts of petition_figures for each agency on its own, in one
    grouped query: {agency id: counts}, only agencies with a petition in one of them."""
    _period_check(start, end)
    filters = _petition_filters(start, end)
    rows = _scoped(Petition.objects.filter(filters["received"] | filters["answered"]), agency_ids, None)
    counts = rows.order_by().values("agency_id").annotate(
        **{kind: Count("pk", filter=condition) for kind, condition in filters.items()})
    return {row.pop("agency_id"): row for row in counts}


def _scoped(rows: QuerySet, agency_ids: Iterable[int] | None, procedure_ids: Iterable[int] | None) -> QuerySet:
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    if procedure_ids is not None:
        rows = rows.filter(procedure_id__in=list(procedure_ids))
    return rows


def ratings_in_period(agency_ids: Iterable[int] | None, start: datetime, end: datetime, *,
                      procedure_ids: Iterable[int] | None = None) -> QuerySet[Rating]:
    """The ratings satisfaction_figures counts, newest first. The caller shows scores, agency, procedure and
    time only: never the dossier, so no rating is ever read next to a person."""
    _period_check(start, end)
    ratings = _scoped(Rating.objects.filter(created_at__gte=start, created_at__lt=end), agency_ids, procedure_ids)
    return ratings.select_related("agency", "procedure__current_version").order_by("-created_at", "-pk")


def petitions_in_period(kind: str, agency_ids: Iterable[int] | None, start: datetime, end: datetime, *,
                        procedure_ids: Iterable[int] | None = None) -> QuerySet[Petition]:
    """The petitions petition_figures counts under `kind` (one of PETITION_LISTS), newest first."""
    _period_check(start, end)
    petitions = _scoped(Petition.objects.filter(_petition_filters(start, end)[kind]), agency_ids, procedure_ids)
    return petitions.select_related("agency", "procedure__current_version").order_by("-received_at", "-pk")


# --- Access-scoped petition reads ---------------------------------------------------------------------


def petitions_for_staff(user: User) -> QuerySet[Petition]:
    """Petitions addressed to the staff member's agency or any agency below it."""
    return Petition.objects.filter(agency_id__in=staff_agency_ids(user))


def petition_get_for_staff(user: User, code: str) -> Petition:
    petition = (petitions_for_staff(user).select_related("agency", "procedure", "assigned_to", "dossier")
                .filter(code=code).first())
    if petition is None:
        raise Http404("Không tìm thấy phản ánh, kiến nghị.")
    return petition


def petitions_published() -> QuerySet[Petition]:
    """The public page: only what was published, with the redacted texts (never the sender)."""
    return (Petition.objects.filter(published_at__isnull=False, status=PetitionStatus.ANSWERED)
            .select_related("agency", "procedure__current_version")
            .order_by("-published_at", "-pk"))
