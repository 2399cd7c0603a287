"""shift_for_pause, classify and working_days_left: the deadline clock of a dossier."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from workdays.constants import Timeliness
from workdays.services import classify, shift_for_pause, working_days_left

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)


DUE = at(2026, 2, 26, 17)  # five working days from Thu 12/02/2026 across Tết (12729/VPCP-KGVX)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("paused_from", "resumed_at", "expected"),
    [
        (at(2026, 3, 3, 9), at(2026, 3, 3, 16), at(2026, 3, 9, 17)),  # same day: nothing moves
        (at(2026, 3, 3, 9), at(2026, 3, 5, 9), at(2026, 3, 11, 17)),  # Wed and Thu: two days
        (at(2026, 3, 6, 16), at(2026, 3, 9, 8), at(2026, 3, 10, 17)),  # Fri → Mon: one day
        (at(2026, 3, 6, 16), at(2026, 3, 8, 8), at(2026, 3, 9, 17)),  # resumed on Sunday: none
    ],
)
def test_a_pause_moves_the_due_date_by_the_working_days_it_spanned(
    paused_from: datetime, resumed_at: datetime, expected: datetime
) -> None:
    assert shift_for_pause(at(2026, 3, 9, 17), paused_from, resumed_at) == expected


@pytest.mark.django_db
def test_a_pause_over_tet_counts_only_working_days() -> None:
    # given a dossier due Thu 26/02/2026, paused Thu 12/02 and resumed Tue 24/02
    # when the clock resumes: Fri 13/02, Mon 23/02, Tue 24/02 were paused
    # then the due date moves three working days
    assert shift_for_pause(DUE, at(2026, 2, 12, 10), at(2026, 2, 24, 10)) == at(2026, 3, 3, 17)


@pytest.mark.django_db
def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        shift_for_pause(DUE, at(2026, 2, 24), at(2026, 2, 23))


@pytest.mark.parametrize(
    ("resolved_at", "expected"),
    [
        (at(2026, 2, 13, 10), Timeliness.EARLY),
        (at(2026, 2, 22, 10), Timeliness.EARLY),  # resolved during Tết, still before the due day
        (at(2026, 2, 25, 23, 59, 59), Timeliness.EARLY),
        (at(2026, 2, 26, 0, 0), Timeliness.ON_TIME),
        (at(2026, 2, 26, 17, 0), Timeliness.ON_TIME),  # exactly at the due moment
        (at(2026, 2, 26, 17, 0, 1), Timeliness.LATE),
        (at(2026, 2, 27, 9), Timeliness.LATE),
    ],
)
def test_classify_compares_with_the_due_day_and_moment(resolved_at: datetime, expected: Timeliness) -> None:
    assert classify(resolved_at, DUE) == expected


def test_classify_returns_plain_comparable_strings() -> None:
    assert classify(at(2026, 2, 13), DUE) == "early"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 2, 12, 10), 5),
        (at(2026, 2, 15, 10), 4),  # during Tết: 23–26/02 remain
        (at(2026, 2, 25, 16), 1),
        (at(2026, 2, 26, 9), 0),  # due today
        (at(2026, 2, 26, 17, 30), -1),  # missed this evening
        (at(2026, 2, 27, 10), -1),
        (at(2026, 2, 28, 10), -1),  # weekend adds nothing
        (at(2026, 3, 2, 10), -2),
    ],
)
def test_working_days_left_counts_down_and_goes_negative_when_overdue(now: datetime, expected: int) -> None:
    assert working_days_left(now, DUE) == expected
