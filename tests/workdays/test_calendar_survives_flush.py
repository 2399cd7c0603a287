"""The official calendar must be there for every test, even after a transactional test flushed it."""

import pytest

from workdays.models import CalendarDay


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_official_calendar_and_then_flushes_it():
    assert CalendarDay.objects.filter(name="Tết Nguyên đán").count() == 10


@pytest.mark.django_db
def test_the_next_test_still_sees_the_official_calendar():
    assert CalendarDay.objects.filter(name="Tết Nguyên đán").count() == 10
