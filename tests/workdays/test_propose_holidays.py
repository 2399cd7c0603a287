"""The propose_holidays command drafts a year's statutory days off as unconfirmed rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from workdays.models import CalendarDay
from workdays.proposals import statutory_days_off
from workdays.services import is_working_day

EXPECTED_2027 = {
    date(2027, 1, 1): "holiday",  # Friday
    date(2027, 2, 5): "holiday",  # 29 Chạp, Friday (lunar date at UTC+7)
    date(2027, 2, 6): "holiday",  # mùng 1 Tết, Saturday (lunar date at UTC+7)
    date(2027, 2, 7): "holiday",
    date(2027, 2, 8): "holiday",
    date(2027, 2, 9): "holiday",
    date(2027, 2, 10): "compensatory_off",  # for Saturday 06/02
    date(2027, 2, 11): "compensatory_off",  # for Sunday 07/02
    date(2027, 4, 16): "holiday",  # Giỗ Tổ, Friday (lunar date at UTC+7)
    date(2027, 4, 30): "holiday",
    date(2027, 5, 1): "holiday",  # Saturday
    date(2027, 5, 3): "compensatory_off",  # Monday (Labor Code 2019 Art 111 k3)
    date(2027, 9, 2): "holiday",  # Thursday
    date(2027, 9, 3): "holiday",  # the adjacent day, as in 2021 when 2/9 was also a Thursday
}


def _propose(year: str) -> str:
    out = StringIO()
    call_command("propose_holidays", year, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_proposes_the_2027_holidays_from_the_lunar_calendar() -> None:
    output = _propose("2027")

    rows = CalendarDay.objects.filter(date__year=2027)
    assert {row.date: row.kind for row in rows} == EXPECTED_2027
    assert not rows.filter(is_confirmed=True).exists()
    assert rows.get(date=date(2027, 2, 6)).name == "Tết Nguyên đán (mùng 1)"
    assert rows.get(date=date(2027, 4, 16)).name.startswith("Giỗ Tổ Hùng Vương")
    assert "Đã đề xuất 14 ngày cho năm 2027" in output
    assert "Thứ Bảy 06/02/2027" in output


@pytest.mark.django_db
def test_a_second_run_changes_nothing() -> None:
    _propose("2027")
    before = list(CalendarDay.objects.filter(date__year=2027).values_list("date", "kind", "name", "updated"))

    output = _propose("2027")

    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", "kind", "name", "updated")) == before
    assert "Đã đề xuất 0 ngày cho năm 2027; bỏ qua 14 ngày đã có." in output


@pytest.mark.django_db
def test_it_never_overwrites_an_existing_row(calendar_day: Callable[..., CalendarDay]) -> None:
    # given an admin already entered 03/09/2027 by hand
    official = calendar_day(date(2027, 9, 3), CalendarDay.Kind.SWAPPED_OFF, name="Nhập tay")

    _propose("2027")

    official.refresh_from_db()
    assert (official.kind, official.name, official.is_confirmed) == ("swapped_off", "Nhập tay", True)


@pytest.mark.django_db
def test_proposed_days_do_not_change_computations() -> None:
    _propose("2027")

    assert is_working_day(date(2027, 2, 8))
    assert is_working_day(date(2027, 5, 3))


@pytest.mark.django_db
def test_it_rejects_a_year_outside_the_lunar_tables() -> None:
    with pytest.raises(CommandError):
        _propose("2200")


@pytest.mark.parametrize(
    ("year", "tet", "hung_kings"),
    [
        (2025, date(2025, 1, 29), date(2025, 4, 7)),
        (2026, date(2026, 2, 17), date(2026, 4, 26)),
        (2027, date(2027, 2, 6), date(2027, 4, 16)),
        (2028, date(2028, 1, 26), None),
    ],
)
def test_lunar_dates_match_the_domain_table(year: int, tet: date, hung_kings: date | None) -> None:
    names = {day.date: day.name for day in statutory_days_off(year)}

    assert names[tet] == "Tết Nguyên đán (mùng 1)"
    if hung_kings is not None:
        assert names[hung_kings].startswith("Giỗ Tổ Hùng Vương")


def test_the_2026_proposal_matches_the_official_statutory_days() -> None:
    days = {day.date: day.kind for day in statutory_days_off(2026)}

    assert [day for day, kind in days.items() if day.month == 2] == [date(2026, 2, day) for day in range(16, 21)]
    assert days[date(2026, 4, 27)] == CalendarDay.Kind.COMPENSATORY_OFF  # Giỗ Tổ on Sunday
    assert {date(2026, 9, 1), date(2026, 9, 2)} <= days.keys()
