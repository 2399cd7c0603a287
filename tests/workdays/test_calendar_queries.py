"""The calendar is read once per call, never once per day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pytest_django import DjangoAssertNumQueries

from workdays.services import add_working_days, due_at, working_days_between

pytestmark = pytest.mark.django_db


def test_adding_sixty_working_days_over_tet_takes_at_most_two_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(2):
        assert add_working_days(date(2025, 12, 15), 60) == date(2026, 3, 17)


def test_counting_a_whole_year_takes_one_query(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        working_days_between(date(2025, 1, 1), date(2025, 12, 31))


def test_a_deadline_takes_one_query(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        due_at(datetime(2026, 2, 12, 16, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), 40, "hours")
