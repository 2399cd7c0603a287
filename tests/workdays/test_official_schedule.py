"""The data migration loads the official 2025 and 2026 schedules (12729/VPCP-KGVX, 8726/VPCP-KGVX)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workdays.models import CalendarDay
from workdays.services import is_working_day

pytestmark = pytest.mark.django_db


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def test_it_loads_every_weekday_off_and_make_up_day_of_2025() -> None:
    rows = CalendarDay.objects.filter(date__year=2025)

    assert rows.count() == 13
    assert all(row.is_confirmed and row.legal_ref == "Thông báo 8726/VPCP-KGVX" for row in rows)
    assert set(rows.filter(kind="makeup_workday").values_list("date", flat=True)) == {date(2025, 4, 26)}
    assert set(rows.filter(kind="swapped_off").values_list("date", flat=True)) == {date(2025, 5, 2)}


def test_it_loads_every_weekday_off_and_make_up_day_of_2026() -> None:
    rows = CalendarDay.objects.filter(date__year=2026)

    assert rows.count() == 16
    assert all(row.is_confirmed and row.legal_ref == "Thông báo 12729/VPCP-KGVX" for row in rows)
    assert set(rows.filter(kind="makeup_workday").values_list("date", flat=True)) == {
        date(2026, 1, 10),
        date(2026, 8, 22),
    }
    assert set(rows.filter(kind="swapped_off").values_list("date", flat=True)) == {date(2026, 1, 2), date(2026, 8, 31)}
    assert rows.get(date=date(2026, 4, 27)).kind == "compensatory_off"
    assert rows.get(date=date(2026, 2, 16)).name == "Tết Nguyên đán"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2025, 1, 25), date(2025, 2, 2)),  # Tết Ất Tỵ, 9 days
        (date(2025, 4, 30), date(2025, 5, 4)),  # 30/4–1/5 with the 02/05 swap
        (date(2025, 8, 30), date(2025, 9, 2)),  # Quốc khánh, 4 days
        (date(2026, 1, 1), date(2026, 1, 4)),  # Tết Dương lịch with the 02/01 swap
        (date(2026, 2, 14), date(2026, 2, 22)),  # Tết Bính Ngọ, 9 days
        (date(2026, 4, 25), date(2026, 4, 27)),  # Giỗ Tổ on Sunday, Monday compensatory
        (date(2026, 4, 30), date(2026, 5, 3)),
        (date(2026, 8, 29), date(2026, 9, 2)),  # Quốc khánh with the 31/08 swap
    ],
)
def test_every_day_of_each_official_break_is_a_day_off(first: date, last: date) -> None:
    assert [day for day in _days(first, last) if is_working_day(day)] == []
    assert is_working_day(first - timedelta(days=1))
    assert is_working_day(last + timedelta(days=1))


@pytest.mark.parametrize("day", [date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)])
def test_make_up_saturdays_are_working_days(day: date) -> None:
    assert day.weekday() == 5
    assert is_working_day(day)
