"""Properties of working-day arithmetic over the loaded official calendar."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workdays.services import add_working_days, is_working_day, working_days_between


# The database is only read, so sharing the function-scoped db fixture between examples is safe.
@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=date(2024, 10, 1), max_value=date(2027, 3, 31)), count=st.integers(1, 80))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start: date, count: int) -> None:
    end = add_working_days(start, count)

    assert is_working_day(end)
    assert working_days_between(start, end) == count
