from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from workdays.models import CalendarDay


@pytest.fixture
def calendar_day(db: None) -> Callable[..., CalendarDay]:
    """Create a CalendarDay; defaults to a confirmed holiday so tests only state what matters."""

    def create(
        day: date, kind: str = CalendarDay.Kind.HOLIDAY, *, is_confirmed: bool = True, name: str = "Ngày thử"
    ) -> CalendarDay:
        return CalendarDay.objects.create(date=day, kind=kind, name=name, legal_ref="", is_confirmed=is_confirmed)

    return create
