"""Generate a proposal of a year's statutory days off from the lunar calendar.

Pure date arithmetic, no database: `calendar_days_propose` in services.py stores the result
as unconfirmed rows. A proposal is only a starting point. The Prime Minister fixes the exact
Tết and National Day days every year (Labor Code 2019 Art 112 k3) and the Government Office
announces swaps for civil servants, so an admin must compare the proposal with the official
notice, then complete, correct and confirm it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lunar_vn import SUPPORTED_YEAR_RANGE, convert_lunar_to_solar, solar_to_lunar

from workdays.models import CalendarDay

HOLIDAY_REF = "Bộ luật Lao động 2019, Điều 112 (đề xuất)"
COMPENSATORY_REF = "Bộ luật Lao động 2019, Điều 111 khoản 3 (đề xuất)"

# 2/9 plus one adjacent day (Art 112 k1). The PM picks the day that joins the holiday to
# a weekend; these are the precedents since the 2-day rule began in 2021, keyed by the
# weekday of 2/9 (Mon=0): 2021 Thu→3/9, 2022 Fri→1/9, 2023 Sat→1/9, 2024 Mon→3/9,
# 2025 Tue→1/9, 2026 Wed→1/9. For a Sunday 2/9 either side gives the same days off
# once the compensatory day is added; we propose Mon 3/9.
_NATIONAL_DAY_ADJACENT_OFFSET = {0: 1, 1: -1, 2: -1, 3: 1, 4: -1, 5: -1, 6: 1}


@dataclass(frozen=True)
class ProposedDay:
    date: date
    kind: CalendarDay.Kind
    name: str
    legal_ref: str


def statutory_days_off(year: int) -> list[ProposedDay]:
    """The 11 statutory holidays of `year` plus the compensatory days they cause, by date.

    Raises ValueError outside the years lunar-vn supports.
    """
    low, high = SUPPORTED_YEAR_RANGE
    if not low <= year <= high:
        raise ValueError(f"Year {year} is outside the supported range {low}–{high}.")
    holidays = _statutory_holidays(year)
    return sorted(holidays + _compensatory_days(holidays), key=lambda day: day.date)


def _holiday(day: date, name: str) -> ProposedDay:
    return ProposedDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name, legal_ref=HOLIDAY_REF)


def _statutory_holidays(year: int) -> list[ProposedDay]:
    # lunar-vn computes at UTC+7 (Hồ Ngọc Đức's algorithm); a Chinese (UTC+8) calendar
    # library would occasionally put Tết a day off.
    lunar_new_year = convert_lunar_to_solar(1, 1, year)
    hung_kings = convert_lunar_to_solar(10, 3, year)
    national_day = date(year, 9, 2)
    adjacent = national_day + timedelta(days=_NATIONAL_DAY_ADJACENT_OFFSET[national_day.weekday()])
    return [
        _holiday(date(year, 1, 1), "Tết Dương lịch"),
        *_tet(lunar_new_year),
        _holiday(hung_kings, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        _holiday(date(year, 4, 30), "Ngày Chiến thắng (30/4)"),
        _holiday(date(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"),
        _holiday(national_day, "Quốc khánh (2/9)"),
        _holiday(adjacent, f"Quốc khánh (ngày liền kề, {adjacent:%d/%m})"),
    ]


def _tet(lunar_new_year: date) -> list[ProposedDay]:
    # The usual pattern: the last day of the lunar year (29 or 30 Chạp) and mùng 1–4.
    # In practice the PM often shifts the 5 days to build a 9-day break (2025: 26–30 Chạp
    # were chosen), so this is the proposal most likely to need correcting.
    last_day = lunar_new_year - timedelta(days=1)
    days = [_holiday(last_day, f"Tết Nguyên đán ({solar_to_lunar(last_day).day} tháng Chạp)")]
    for offset in range(4):
        days.append(_holiday(lunar_new_year + timedelta(days=offset), f"Tết Nguyên đán (mùng {offset + 1})"))
    return days


def _compensatory_days(holidays: list[ProposedDay]) -> list[ProposedDay]:
    # Labor Code Art 111 k3: a holiday that falls on a weekly rest day (Sat/Sun for civil
    # servants) gives a day off on the next working day. Walking holidays in date order makes
    # a weekend inside the Tết block push its compensatory days past the end of the block.
    holiday_dates = {holiday.date for holiday in holidays}
    taken: set[date] = set()
    result: list[ProposedDay] = []
    for holiday in sorted(holidays, key=lambda day: day.date):
        if holiday.date.weekday() < 5:
            continue
        candidate = holiday.date + timedelta(days=1)
        while candidate.weekday() >= 5 or candidate in holiday_dates or candidate in taken:
            candidate += timedelta(days=1)
        taken.add(candidate)
        result.append(
            ProposedDay(
                date=candidate,
                kind=CalendarDay.Kind.COMPENSATORY_OFF,
                name=f"Nghỉ bù {holiday.name}",
                legal_ref=COMPENSATORY_REF,
            )
        )
    return result
