"""What "in the period" means for the quality figures, shared by the drill-downs (quality.selectors)
and the indicators whose figure is counted from raw rows (quality.indicators).

A period is a run of whole local days, `start` to `end` inclusive; a dossier belongs to the period
of an action when the first event of that action falls in it (what the daily summary counts)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from applications.models import Dossier, DossierEvent, Event
from workdays.services import local_time_zone


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The inclusive local days as a half-open range of aware datetimes: [start 00:00, end + 1 day 00:00)."""
    zone = local_time_zone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def first_in_period(actions: tuple[str, ...], start: date, end: date, extra: Q | None = None) -> Q:
    """The dossier's first event among `actions` falls in the period."""
    first, after = period_bounds(start, end)
    events = DossierEvent.objects.filter(dossier=OuterRef("pk"), action__in=actions)
    in_period = events.filter(at__gte=first, at__lt=after)
    if extra is not None:
        in_period = in_period.filter(extra)
    return Q(Exists(in_period)) & ~Q(Exists(events.filter(at__lt=first)))


def received_in_period(start: date, end: date) -> Q:
    return first_in_period((Event.RECEIVED,), start, end)


def dossiers_in_scope(dossiers: QuerySet[Dossier], agency_ids: list[int] | None, procedure_id: int | None,
                      sector_id: int | None) -> QuerySet[Dossier]:
    """Only the dossiers of these agencies (None: every agency), procedure and sector (when given)."""
    if agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=agency_ids)
    if procedure_id:
        dossiers = dossiers.filter(procedure_version__procedure_id=procedure_id)
    if sector_id:
        dossiers = dossiers.filter(procedure_version__procedure__sector_id=sector_id)
    return dossiers
