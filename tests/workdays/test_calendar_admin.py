"""The CalendarDay admin: list, filters and the confirm action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from workdays.models import CalendarDay

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:workdays_calendarday_changelist"


def test_the_list_shows_the_official_schedule(admin_client: Client) -> None:
    response = admin_client.get(reverse(CHANGELIST), {"year": "2026"})

    assert response.status_code == 200
    assert "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)" in response.content.decode()
    assert response.context["cl"].result_count == 16


def test_it_filters_by_kind_and_confirmation(admin_client: Client, calendar_day: Callable[..., CalendarDay]) -> None:
    calendar_day(date(2027, 4, 16), is_confirmed=False)

    response = admin_client.get(reverse(CHANGELIST), {"kind": "holiday", "is_confirmed__exact": "0"})

    assert response.status_code == 200
    assert [row.date for row in response.context["cl"].result_list] == [date(2027, 4, 16)]


def test_the_confirm_action_confirms_only_the_selected_days(
    admin_client: Client, calendar_day: Callable[..., CalendarDay]
) -> None:
    # given two proposals
    selected = calendar_day(date(2027, 4, 16), is_confirmed=False)
    other = calendar_day(date(2027, 4, 30), is_confirmed=False)

    # when an admin confirms one of them
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "confirm_selected", "_selected_action": [selected.pk]}, follow=True
    )

    # then only that one is confirmed
    assert response.status_code == 200
    assert "Đã xác nhận 1 ngày." in response.content.decode()
    selected.refresh_from_db()
    other.refresh_from_db()
    assert selected.is_confirmed
    assert selected.updated > selected.created
    assert not other.is_confirmed


def test_a_make_up_day_must_fall_on_a_weekend() -> None:
    day = CalendarDay(date=date(2027, 3, 3), kind=CalendarDay.Kind.MAKEUP_WORKDAY, name="Làm bù")

    with pytest.raises(ValidationError) as error:
        day.full_clean()

    assert "date" in error.value.message_dict
