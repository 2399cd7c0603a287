"""is_working_day, next_working_day, add_working_days and working_days_between."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from workdays.models import CalendarDay
from workdays.services import add_working_days, is_working_day, next_working_day, working_days_between

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), True),  # Monday
        (date(2026, 3, 6), True),  # Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 1, 1), False),  # holiday
        (date(2026, 1, 2), False),  # swapped day off
        (date(2026, 1, 10), True),  # make-up Saturday
        (date(2026, 4, 27), False),  # compensatory day off
    ],
)
def test_it_tells_working_days_from_days_off(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 3)),  # strictly after, even from a working day
        (date(2026, 3, 6), date(2026, 3, 9)),  # Friday → Monday
        (date(2025, 12, 31), date(2026, 1, 5)),  # across the year end: 01/01, 02/01, weekend
        (date(2026, 2, 13), date(2026, 2, 23)),  # across Tết 2026
        (date(2025, 1, 24), date(2025, 2, 3)),  # across Tết 2025
        (date(2026, 1, 9), date(2026, 1, 10)),  # Friday → make-up Saturday
    ],
)
def test_next_working_day_skips_days_off(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2026, 3, 2), 1, date(2026, 3, 3)),
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday, day 1 is Monday
        (date(2026, 2, 12), 5, date(2026, 2, 26)),  # across Tết 2026 (12729/VPCP-KGVX)
        (date(2025, 1, 23), 3, date(2025, 2, 4)),  # Fri 24/01, then Mon 03/02, Tue 04/02
        (date(2025, 12, 30), 2, date(2026, 1, 5)),  # Wed 31/12, then Mon 05/01
        (date(2026, 1, 8), 2, date(2026, 1, 10)),  # Fri 09/01, make-up Sat 10/01
        (date(2026, 8, 19), 3, date(2026, 8, 22)),  # make-up Sat 22/08 (12729/VPCP-KGVX)
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # over the Quốc khánh break
    ],
)
def test_add_working_days_counts_from_the_first_working_day_after(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 2, 26), -1, date(2026, 2, 25)),
        (date(2026, 2, 23), -1, date(2026, 2, 13)),  # back over Tết
        (date(2026, 1, 5), -2, date(2025, 12, 30)),  # back over the year end
    ],
)
def test_add_working_days_counts_backwards_for_negative_counts(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), 0),
        (date(2026, 3, 2), date(2026, 3, 9), 5),  # (Mon, next Mon]
        (date(2026, 2, 12), date(2026, 2, 26), 5),
        (date(2025, 12, 31), date(2026, 1, 10), 6),  # 05–09/01 and make-up Sat 10/01
        (date(2026, 2, 26), date(2026, 2, 12), -5),
        (date(2025, 1, 1), date(2025, 12, 31), 250),
    ],
)
def test_working_days_between_counts_after_start_up_to_end(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_an_unconfirmed_proposal_is_ignored_until_confirmed(calendar_day: Callable[..., CalendarDay]) -> None:
    # given a proposed day off on Monday 02/03/2026
    proposal = calendar_day(date(2026, 3, 2), is_confirmed=False)

    # then nothing changes yet
    assert is_working_day(date(2026, 3, 2))
    assert add_working_days(date(2026, 2, 27), 1) == date(2026, 3, 2)

    # when an admin confirms it
    proposal.is_confirmed = True
    proposal.save()

    # then it is a day off
    assert not is_working_day(date(2026, 3, 2))
    assert add_working_days(date(2026, 2, 27), 1) == date(2026, 3, 3)


def test_an_unconfirmed_make_up_saturday_is_not_a_working_day(calendar_day: Callable[..., CalendarDay]) -> None:
    calendar_day(date(2026, 3, 7), CalendarDay.Kind.MAKEUP_WORKDAY, is_confirmed=False)

    assert not is_working_day(date(2026, 3, 7))
