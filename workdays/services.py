"""Working-day arithmetic over the admin-maintained calendar (Labor Code 2019 Arts 111–112
and the Government Office's yearly schedules).

Every public function loads the confirmed calendar rows it needs once, as whole years in a
single query, and then works in memory; it never queries per day. Day boundaries are taken in
Vietnam time (settings.WORKDAY_TIME_ZONE, default Asia/Ho_Chi_Minh) whatever the timezone of
the datetimes passed in, and returned datetimes are in that timezone.

Counting is day-based (Civil Code 2015 Arts 144–148: a period starts the day after its event):
a receipt outside office hours, or on a day off, counts as received at the next working day's
opening; day 1 of a period is the first working day after the (effective) receipt day; the
period ends at office close on its last day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from workdays.constants import (
    DEFAULT_OFFICE_CLOSE,
    DEFAULT_OFFICE_HOURS,
    DEFAULT_SAME_DAY_CUTOFF,
    DEFAULT_TIME_ZONE,
    Timeliness,
    TimeUnit,
)
from workdays.models import CalendarDay
from workdays.proposals import ProposedDay, statutory_days_off

__all__ = [
    "add_working_days",
    "calendar_days_confirm",
    "calendar_days_propose",
    "classify",
    "due_at",
    "is_working_day",
    "local_time_zone",
    "next_working_day",
    "office_close",
    "office_hours",
    "shift_for_pause",
    "working_days_between",
    "working_days_left",
]

# A Vietnamese break is at most 9 days, so a month of slack covers any window estimate.
_WINDOW_SLACK = timedelta(days=31)


# --- Configuration -----------------------------------------------------------------------


def local_time_zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "WORKDAY_TIME_ZONE", DEFAULT_TIME_ZONE))


def office_hours() -> tuple[tuple[time, time], ...]:
    """The office's opening intervals, validated against WORKDAY_OFFICE_CLOSE.

    Raises ImproperlyConfigured when intervals overlap, are unsorted, or do not end at the
    configured closing time (two settings disagreeing would silently give two deadlines).
    """
    intervals = tuple((start, end) for start, end in getattr(settings, "WORKDAY_OFFICE_HOURS", DEFAULT_OFFICE_HOURS))
    close = office_close()
    if not intervals:
        raise ImproperlyConfigured("WORKDAY_OFFICE_HOURS must list at least one (start, end) interval.")
    previous_end = time.min
    for start, end in intervals:
        if not previous_end <= start < end:
            raise ImproperlyConfigured("WORKDAY_OFFICE_HOURS intervals must be sorted and must not overlap.")
        previous_end = end
    if previous_end != close:
        raise ImproperlyConfigured(
            f"WORKDAY_OFFICE_HOURS ends at {previous_end:%H:%M} but WORKDAY_OFFICE_CLOSE is {close:%H:%M}."
        )
    return intervals


def office_close() -> time:
    close: time = getattr(settings, "WORKDAY_OFFICE_CLOSE", DEFAULT_OFFICE_CLOSE)
    return close


# --- Calendar loaded once per call -----------------------------------------------------------


class _Calendar:
    """Confirmed calendar exceptions for a span of whole years, held in memory.

    Whole years are loaded because they are tiny (about 15 rows each) and it makes widening
    rare: a computation that runs past the loaded span reloads the union in one more query.
    """

    def __init__(self) -> None:
        self._off: set[date] = set()
        self._makeup: set[date] = set()
        self._years: tuple[int, int] | None = None

    def cover(self, first: date, last: date) -> _Calendar:
        low, high = min(first, last).year, max(first, last).year
        if self._years is not None:
            if self._years[0] <= low and high <= self._years[1]:
                return self
            low, high = min(low, self._years[0]), max(high, self._years[1])
        rows = CalendarDay.objects.filter(
            is_confirmed=True, date__gte=date(low, 1, 1), date__lte=date(high, 12, 31)
        ).values_list("date", "kind")
        self._off, self._makeup = set(), set()
        for day, kind in rows:
            if kind == CalendarDay.Kind.MAKEUP_WORKDAY:
                self._makeup.add(day)
            elif kind in CalendarDay.OFF_KINDS:
                self._off.add(day)
        self._years = (low, high)
        return self

    def is_working_day(self, day: date) -> bool:
        self.cover(day, day)
        if day in self._off:
            return False
        # A make-up Saturday is a working day for civil servants (the Government Office
        # announces it with the swapped day off, e.g. Sat 10/01/2026 in 12729/VPCP-KGVX).
        return day.weekday() < 5 or day in self._makeup

    def next_working_day(self, day: date) -> date:
        candidate = day + timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += timedelta(days=1)
        return candidate

    def add_working_days(self, day: date, count: int) -> date:
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=offset))
        )


def _calendar_for(first: date, last: date) -> _Calendar:
    return _Calendar().cover(first, last)


def _window_end(day: date, working_days: int) -> date:
    # Five working days take seven calendar days; doubling plus a month of slack means the
    # first query almost always covers the whole computation.
    return day + timedelta(days=2 * working_days) + _WINDOW_SLACK


# --- Dates ---------------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    """True on Mon–Fri and on confirmed make-up days, unless a confirmed day off says otherwise."""
    return _calendar_for(d, d).is_working_day(d)


def next_working_day(d: date) -> date:
    """The first working day strictly after `d`."""
    return _calendar_for(d, d + _WINDOW_SLACK).next_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d`: day 1 is the first working day strictly after `d`.

    `d` itself never counts, whether or not it is a working day. n == 0 returns `d`
    unchanged; a negative n counts backwards (-1 is the last working day before `d`), which
    is how "no later than 1 working day before the deadline" is found.
    """
    end = _window_end(d, abs(n)) if n >= 0 else d - timedelta(days=2 * abs(n)) - _WINDOW_SLACK
    return _calendar_for(d, end).add_working_days(d, n)


def working_days_between(start: date, end: date) -> int:
    """The number of working days in (start, end]: after `start`, up to and including `end`.

    It is the inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n
    for n >= 0. Negative when end < start.
    """
    return _calendar_for(start, end).working_days_between(start, end)


# --- Deadlines -----------------------------------------------------------------------------


def _local(moment: datetime, argument: str) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"{argument} must be timezone-aware.")
    return moment.astimezone(local_time_zone())


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=local_time_zone())


def _counting_start(calendar: _Calendar, received: datetime, cutoff: time | None) -> datetime:
    """The moment the clock starts: the receipt itself, or the next working day's opening.

    A receipt exactly at the cut-off is still in time ("after 15:00" is the rule); a receipt
    at the closing time is not, because no office time is left that day.
    """
    close = office_close()
    in_office_day = calendar.is_working_day(received.date()) and received.time() < close
    if in_office_day and (cutoff is None or received.time() <= cutoff):
        return received
    return _at(calendar.next_working_day(received.date()), office_hours()[0][0])


def _add_working_hours(calendar: _Calendar, start: datetime, hours: int) -> datetime:
    # Only office time counts: lunch breaks, evenings and days off are skipped. A period
    # that ends exactly at the end of an interval ends there (11:30), not at the next opening.
    remaining = timedelta(hours=hours)
    intervals = office_hours()
    day, clock = start.date(), start.time()
    while True:
        if calendar.is_working_day(day):
            for opening, closing in intervals:
                begin = max(opening, clock)
                if begin >= closing:
                    continue
                available = _at(day, closing) - _at(day, begin)
                if remaining <= available:
                    return _at(day, begin) + remaining
                remaining -= available
        day, clock = calendar.next_working_day(day), time.min


def due_at(received_at: datetime, value: int, unit: str, cutoff: time | None = None) -> datetime:
    """The deadline of a procedure whose limit is `value` `unit`s, for a dossier received at `received_at`.

    - same_day: office close of the receipt day; of the next working day when received after
      `cutoff` (default settings.WORKDAY_SAME_DAY_CUTOFF, 15:00, Decree 23/2015 Art 7). `value`
      is ignored.
    - working_days: office close on working day `value`, day 1 being the first working day
      after the effective receipt day.
    - days (calendar days, Civil Code Arts 144–148): office close on the effective receipt day
      + `value`, moved to the next working day when that is a day off.
    - hours: `value` hours of office time (settings.WORKDAY_OFFICE_HOURS) from the effective
      receipt moment, e.g. 40 h from Thu 16:00 ends at 16:00 five working days later.

    For every unit a receipt on a day off, at or after office close, or after `cutoff` when one
    is given, counts from the next working day's opening. `received_at` must be aware; the
    result is in Vietnam time. Raises ValueError for a naive datetime, an unknown unit or a
    negative value.
    """
    time_unit = TimeUnit(unit)
    if value < 0:
        raise ValueError("A time limit cannot be negative.")
    received = _local(received_at, "received_at")
    if time_unit == TimeUnit.SAME_DAY and cutoff is None:
        cutoff = getattr(settings, "WORKDAY_SAME_DAY_CUTOFF", DEFAULT_SAME_DAY_CUTOFF)
    # Only sizes the first calendar query (8 office hours a day is typical); the loop widens it if needed.
    span = value if time_unit != TimeUnit.HOURS else value // 8 + 1
    calendar = _calendar_for(received.date(), _window_end(received.date(), span))
    start = _counting_start(calendar, received, cutoff)
    close = office_close()

    if time_unit == TimeUnit.SAME_DAY:
        return _at(start.date(), close)
    if time_unit == TimeUnit.WORKING_DAYS:
        return _at(calendar.add_working_days(start.date(), value), close)
    if time_unit == TimeUnit.DAYS:
        last_day = start.date() + timedelta(days=value)
        if not calendar.is_working_day(last_day):
            last_day = calendar.next_working_day(last_day)
        return _at(last_day, close)
    return _add_working_hours(calendar, start, value)


def shift_for_pause(due: datetime, paused_from: datetime, resumed_at: datetime) -> datetime:
    """The due moment after a paused clock (supplement request), keeping its time of day.

    The rule: the due date moves later by the number of working days in
    (pause day, resume day], i.e. working days whose start the pause spanned. A pause and a
    resume on the same day move nothing; paused Friday and resumed Monday moves one working
    day. The old due moment must be kept by the caller (NgayHenTraTruoc / NgayHenTraMoi,
    the national sync fields). Raises ValueError if `resumed_at` is before `paused_from`.
    """
    paused = _local(paused_from, "paused_from")
    resumed = _local(resumed_at, "resumed_at")
    if resumed < paused:
        raise ValueError("resumed_at must not be before paused_from.")
    old_due = _local(due, "due")
    calendar = _calendar_for(min(paused.date(), old_due.date()), _window_end(max(resumed.date(), old_due.date()), 0))
    paused_days = calendar.working_days_between(paused.date(), resumed.date())
    if paused_days == 0:
        return due
    return _at(calendar.add_working_days(old_due.date(), paused_days), old_due.time())


def classify(resolved_at: datetime, due: datetime) -> Timeliness:
    """Early, on time or late (Decision 766/QĐ-TTg indicators); pure, no calendar needed.

    - late: resolved after the due moment (exactly at it is on time);
    - on_time: resolved on the due day, at or before the due moment;
    - early: resolved on a day before the due day (the day of the week does not matter).
    Timeliness members are str, so the result compares equal to "early"/"on_time"/"late".
    """
    resolved, deadline = _local(resolved_at, "resolved_at"), _local(due, "due")
    if resolved > deadline:
        return Timeliness.LATE
    if resolved.date() < deadline.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def working_days_left(now: datetime, due: datetime) -> int:
    """Whole working days left for the deadline clock; 0 means due today, negative means overdue.

    Not yet due: working days in (today, due day], so 1 means "due on the next working day".
    Overdue: minus the working days in (due day, today], but at least -1, so a dossier that
    missed its 17:00 deadline shows -1 the same evening rather than 0.
    """
    current, deadline = _local(now, "now"), _local(due, "due")
    calendar = _calendar_for(min(current.date(), deadline.date()), max(current.date(), deadline.date()))
    if current <= deadline:
        return calendar.working_days_between(current.date(), deadline.date())
    return -max(1, calendar.working_days_between(deadline.date(), current.date()))


# --- Calendar administration -----------------------------------------------------------------


def calendar_days_confirm(*, calendar_days: QuerySet[CalendarDay]) -> int:
    """Confirm proposed rows so that computations start using them; returns how many changed.

    Idempotent: already confirmed rows are left alone. `updated` is set by hand because
    QuerySet.update() bypasses auto_now.
    """
    return calendar_days.filter(is_confirmed=False).update(is_confirmed=True, updated=timezone.now())


@transaction.atomic
def calendar_days_propose(*, year: int) -> tuple[list[ProposedDay], list[ProposedDay]]:
    """Store the statutory days off of `year` as unconfirmed proposals.

    Returns (created, skipped). Idempotent and conservative: a date that already has a row,
    confirmed or not, is skipped and never overwritten, because an admin's entry (or an
    official schedule) always beats the formula. Raises ValueError for an unsupported year.
    """
    proposal = statutory_days_off(year)
    existing = set(CalendarDay.objects.filter(date__in=[day.date for day in proposal]).values_list("date", flat=True))
    created = [day for day in proposal if day.date not in existing]
    skipped = [day for day in proposal if day.date in existing]
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day.date, kind=day.kind, name=day.name, legal_ref=day.legal_ref, is_confirmed=False)
            for day in created
        ],
        # A concurrent run or admin edit between our read and this insert must not fail the
        # command nor overwrite the other row.
        ignore_conflicts=True,
    )
    return created, skipped
