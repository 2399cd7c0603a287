"""Deadline questions about a dossier, answered with the workdays engine (working days, holidays and make-up days as admin data).

The workflow stores the moments (received_at, due_original, due_current, pauses, apology);
this module turns them into what people need: the due moment at receipt, the last day an
apology may still be sent, the deadline the result is judged against, and the clock shown on
the dossier pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from applications.models import (
    CLOCK_RUNNING_STATES,
    OPEN_STATES,
    Apology,
    Dossier,
    Extension,
    Pause,
)
from procedures.models import ProcedureVersion
from workdays.constants import Timeliness
from workdays.services import (
    add_working_days,
    classify,
    due_at,
    is_working_day,
    local_time_zone,
    next_working_day,
    office_close,
    office_hours,
    shift_for_pause,
    working_days_between,
    working_days_left,
)

# A received dossier is transferred to the specialist unit the same working day, or the next one
# when it was received after this time (Decree 61/2018 Art 17, kept by Decree 118/2025).
TRANSFER_CUTOFF = time(15, 0)


def clock_running() -> Q:
    """Dossiers whose legal clock is running now (for queues and the daily digest): a running state
    and no open pause (a stop asked while waiting on the applicant keeps the pause open)."""
    open_pause = Pause.objects.filter(dossier=OuterRef("pk"), ended_at__isnull=True)
    return Q(status__in=CLOCK_RUNNING_STATES) & ~Q(Exists(open_pause))


def local_date(moment: datetime) -> date:
    return moment.astimezone(local_time_zone()).date()


def end_of_day(day: date) -> datetime:
    """Office close of `day` in Vietnam time: a deadline given as a date means this moment."""
    return datetime.combine(day, office_close(), tzinfo=local_time_zone())


def due_at_receipt(version: ProcedureVersion, received_at: datetime) -> datetime:
    """The legal due moment of a dossier of `version` received at `received_at` (Mẫu 01)."""
    return due_at(
        received_at, version.processing_time_value, version.processing_time_unit, version.cutoff_time
    )


def receipt_moment(arrived_at: datetime) -> datetime:
    """The legal receipt moment of a dossier that reached the one-stop shop at `arrived_at` (an
    envelope from the post): that moment during office time on a working day; the same day's
    opening when it came before opening; otherwise the next working day's opening (a dossier that
    arrives after hours or on a day off is received on the next working day, Decree 61/2018 Art 16)."""
    local = arrived_at.astimezone(local_time_zone())
    opening = office_hours()[0][0]
    day = local.date()
    if is_working_day(day) and local.time() < office_close():
        if local.time() >= opening:
            return local
        return datetime.combine(day, opening, tzinfo=local_time_zone())
    return datetime.combine(next_working_day(day), opening, tzinfo=local_time_zone())


def transfer_due_at(received_at: datetime) -> datetime:
    """When a dossier received at `received_at` must be with the specialist unit: office close the
    same working day, or the next working day when received after 15:00 or on a day off."""
    local = received_at.astimezone(local_time_zone())
    day = local.date()
    if local.time() > TRANSFER_CUTOFF or not is_working_day(day):
        day = next_working_day(day)
    return end_of_day(day)


def extended_due(due: datetime, days: int) -> datetime:
    """`due` moved later by `days` working days, keeping its time of day (a legal extension)."""
    local = due.astimezone(local_time_zone())
    return datetime.combine(add_working_days(local.date(), days), local.time(), tzinfo=local_time_zone())


def apology_last_day(due: datetime) -> date:
    """The last day an apology may be sent: one working day before the deadline (Decree 118/2025, Mẫu 04)."""
    return add_working_days(local_date(due), -1)


def due_soon_limit(now: datetime) -> datetime:
    """Dossiers due at or before this moment are "due within one working day"."""
    return end_of_day(next_working_day(local_date(now)))


def statutory_due(dossier: Dossier, apology: Apology | None, pauses: Iterable[Pause]) -> datetime | None:
    """The deadline the result is judged against.

    Without an apology it is due_current (receipt deadline moved by the pauses). With one, the
    new appointment does not erase lateness (Decision 766/QĐ-TTg metrics): we take the deadline as
    it stood when the apology was issued, still moved by any pause that began afterwards, since
    the citizen's own waiting time never counts against the agency.
    """
    if apology is None:
        return dossier.due_current
    due = apology.due_before
    for pause in pauses:
        if pause.ended_at is not None and pause.started_at >= apology.issued_at:
            due = shift_for_pause(due, pause.started_at, pause.ended_at)
    return due


def timeliness_for(resolved_at: datetime, dossier: Dossier, apology: Apology | None, pauses: Iterable[Pause]) -> str:
    due = statutory_due(dossier, apology, pauses)
    if due is None:
        return ""
    return str(classify(resolved_at, due))


@dataclass
class DeadlineClock:
    """What the deadline clock shows on the dossier pages."""

    due_original: datetime | None
    due_current: datetime | None
    total_days: int | None = None
    used_days: int | None = None
    left_days: int | None = None
    is_paused: bool = False
    paused_since: datetime | None = None
    is_overdue: bool = False
    is_running: bool = False
    timeliness: str = ""
    timeliness_label: str = ""
    rescheduled: bool = False
    # Working days added by legal extensions (not lateness, unlike a reschedule).
    extended_days: int = 0
    pauses: list[Pause] = field(default_factory=list)

    @property
    def overdue_days(self) -> int:
        return -self.left_days if self.left_days is not None and self.left_days < 0 else 0

    @property
    def percent_used(self) -> int:
        if not self.total_days or self.used_days is None:
            return 0
        return max(0, min(100, round(100 * self.used_days / self.total_days)))


def deadline_clock(dossier: Dossier, pauses: Iterable[Pause], *, now: datetime | None = None,
                   rescheduled: bool = False, extensions: Iterable[Extension] = ()) -> DeadlineClock:
    """Working days used and left, and the pauses, for a dossier (no query beyond the calendar)."""
    now = now or timezone.now()
    pauses = list(pauses)
    clock = DeadlineClock(
        due_original=dossier.due_original, due_current=dossier.due_current, pauses=pauses, rescheduled=rescheduled,
        extended_days=sum(extension.days for extension in extensions),
        timeliness=dossier.timeliness,
        timeliness_label=Timeliness(dossier.timeliness).label if dossier.timeliness else "",
    )
    if dossier.received_at is None or dossier.due_current is None:
        return clock
    open_pause = next((pause for pause in pauses if pause.ended_at is None), None)
    # Paused while waiting on the applicant, and still when a stop was asked during that wait.
    clock.is_paused = dossier.status in OPEN_STATES and open_pause is not None
    clock.paused_since = open_pause.started_at if clock.is_paused and open_pause else None
    # A stop requested while a pause was open leaves the pause open: the clock still stands.
    clock.is_running = dossier.status in CLOCK_RUNNING_STATES and open_pause is None
    # Days are counted up to the moment the clock stopped: now, the pause, or the result.
    stopped_at = dossier.resolved_at or (clock.paused_since if clock.is_paused else None) or now
    received_day = local_date(dossier.received_at)
    clock.total_days = max(working_days_between(received_day, local_date(dossier.due_current)), 0)
    clock.left_days = working_days_left(stopped_at, dossier.due_current)
    clock.used_days = max(clock.total_days - max(clock.left_days, 0), 0)
    clock.is_overdue = clock.is_running and now > dossier.due_current
    return clock
