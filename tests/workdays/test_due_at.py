"""due_at: deadlines for each time unit, office hours and the 15:00 cut-off (Decree 23/2015 Art 7)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from pytest_django import Settings

from django.core.exceptions import ImproperlyConfigured

from workdays.constants import TimeUnit
from workdays.services import due_at

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)


def test_worked_example_five_working_days_across_tet_2026() -> None:
    # Thu 12/02 10:00: day 1 Fri 13/02, Tết 14–22/02, days 2–5 Mon 23 – Thu 26/02.
    assert due_at(at(2026, 2, 12, 10), 5, TimeUnit.WORKING_DAYS) == at(2026, 2, 26, 17)


def test_worked_example_forty_working_hours_ends_at_the_same_hour() -> None:
    assert due_at(at(2026, 2, 12, 16), 40, TimeUnit.HOURS) == at(2026, 2, 26, 16)


def test_worked_example_same_day_after_the_cutoff_moves_over_new_year() -> None:
    # Wed 31/12/2025 15:30 (a Wednesday, whatever the weekday a source prints): 01/01 holiday,
    # 02/01 swapped day off, 03–04/01 weekend.
    assert due_at(at(2025, 12, 31, 15, 30), 0, TimeUnit.SAME_DAY) == at(2026, 1, 5, 17)


def test_worked_example_three_working_days_end_on_a_make_up_saturday() -> None:
    assert due_at(at(2026, 8, 19, 9), 3, TimeUnit.WORKING_DAYS) == at(2026, 8, 22, 17)


@pytest.mark.parametrize(
    ("received", "cutoff", "expected"),
    [
        (at(2025, 12, 31, 14, 59), None, at(2025, 12, 31, 17)),
        (at(2025, 12, 31, 15, 0), None, at(2025, 12, 31, 17)),  # "after 15:00" excludes 15:00
        (at(2025, 12, 31, 15, 0, 1), None, at(2026, 1, 5, 17)),
        (at(2026, 3, 4, 15, 30), time(16, 0), at(2026, 3, 4, 17)),  # the procedure's own cut-off
        (at(2026, 3, 4, 11, 0), time(10, 0), at(2026, 3, 5, 17)),
        (at(2026, 3, 7, 9, 0), None, at(2026, 3, 9, 17)),  # Saturday → Monday
        (at(2026, 1, 10, 9, 0), None, at(2026, 1, 10, 17)),  # make-up Saturday is open
    ],
)
def test_same_day_is_due_at_close_of_the_receipt_or_next_working_day(
    received: datetime, cutoff: time | None, expected: datetime
) -> None:
    assert due_at(received, 0, TimeUnit.SAME_DAY, cutoff) == expected


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2026, 3, 2, 6, 0), at(2026, 3, 5, 17)),  # before opening still counts that day
        (at(2026, 3, 2, 16, 59), at(2026, 3, 5, 17)),
        (at(2026, 3, 2, 17, 0), at(2026, 3, 6, 17)),  # at closing: received next working day
        (at(2026, 3, 6, 18, 0), at(2026, 3, 12, 17)),  # Friday evening: received Monday
        (at(2026, 3, 8, 10, 0), at(2026, 3, 12, 17)),  # Sunday: received Monday
        (at(2025, 12, 30, 10, 0), at(2026, 1, 6, 17)),  # across the year end: 31/12, 05/01, 06/01
        (at(2025, 1, 24, 10, 0), at(2025, 2, 5, 17)),  # across Tết 2025
    ],
)
def test_working_days_count_from_the_day_after_the_effective_receipt(received: datetime, expected: datetime) -> None:
    assert due_at(received, 3, TimeUnit.WORKING_DAYS) == expected


def test_a_cutoff_also_applies_to_working_day_limits() -> None:
    assert due_at(at(2026, 3, 2, 15, 30), 3, TimeUnit.WORKING_DAYS, time(15, 0)) == at(2026, 3, 6, 17)


@pytest.mark.parametrize(
    ("received", "value", "expected"),
    [
        (at(2026, 3, 2, 10), 7, at(2026, 3, 9, 17)),  # lands on a working day
        (at(2026, 3, 2, 10), 5, at(2026, 3, 9, 17)),  # lands on Saturday → Monday
        (at(2026, 2, 11, 10), 5, at(2026, 2, 23, 17)),  # lands on Tết → first day after
        (at(2026, 2, 28, 10), 2, at(2026, 3, 4, 17)),  # received Saturday counts from Monday
    ],
)
def test_calendar_days_move_a_last_day_off_to_the_next_working_day(
    received: datetime, value: int, expected: datetime
) -> None:
    assert due_at(received, value, TimeUnit.DAYS) == expected


@pytest.mark.parametrize(
    ("received", "value", "expected"),
    [
        (at(2026, 3, 2, 9, 30), 2, at(2026, 3, 2, 11, 30)),  # ends exactly at lunch
        (at(2026, 3, 2, 10, 30), 2, at(2026, 3, 2, 14, 0)),  # lunch is skipped
        (at(2026, 3, 2, 12, 0), 1, at(2026, 3, 2, 14, 0)),  # received during lunch
        (at(2026, 3, 2, 6, 0), 8, at(2026, 3, 2, 17, 0)),  # before opening
        (at(2026, 3, 2, 16, 0), 2, at(2026, 3, 3, 8, 30)),  # evening skipped
        (at(2026, 3, 6, 17, 30), 1, at(2026, 3, 9, 8, 30)),  # after close on Friday
        (at(2026, 1, 9, 16, 0), 2, at(2026, 1, 10, 8, 30)),  # make-up Saturday counts
    ],
)
def test_hours_count_only_office_time(received: datetime, value: int, expected: datetime) -> None:
    assert due_at(received, value, TimeUnit.HOURS) == expected


def test_it_uses_vietnam_time_whatever_the_timezone_of_the_input() -> None:
    # 03:00 UTC is 10:00 in Hà Nội; 09:00 UTC (16:00) would be the same day, 10:30 UTC is after close.
    assert due_at(datetime(2026, 2, 12, 3, tzinfo=UTC), 5, "working_days") == at(2026, 2, 26, 17)
    assert due_at(datetime(2026, 3, 2, 10, 30, tzinfo=UTC), 0, "same_day") == at(2026, 3, 3, 17)


def test_it_follows_configured_office_hours(settings: Settings) -> None:
    settings.WORKDAY_OFFICE_HOURS = [(time(7, 0), time(11, 30)), (time(13, 30), time(16, 30))]
    settings.WORKDAY_OFFICE_CLOSE = time(16, 30)

    assert due_at(at(2026, 3, 2, 11, 0), 1, TimeUnit.HOURS) == at(2026, 3, 2, 14, 0)
    assert due_at(at(2026, 3, 2, 10, 0), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 3, 16, 30)


def test_it_refuses_office_hours_that_disagree_with_the_closing_time(settings: Settings) -> None:
    settings.WORKDAY_OFFICE_HOURS = [(time(7, 0), time(11, 30)), (time(13, 30), time(16, 30))]

    with pytest.raises(ImproperlyConfigured):
        due_at(at(2026, 3, 2, 10), 1, TimeUnit.HOURS)


@pytest.mark.parametrize(
    ("received", "value", "unit"),
    [
        (datetime(2026, 3, 2, 10), 1, "working_days"),  # naive
        (at(2026, 3, 2, 10), -1, "working_days"),
        (at(2026, 3, 2, 10), 1, "weeks"),
    ],
)
def test_it_rejects_invalid_arguments(received: datetime, value: int, unit: str) -> None:
    with pytest.raises(ValueError):
        due_at(received, value, unit)
