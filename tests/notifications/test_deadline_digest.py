"""The daily digest: staff hear what is due within a working day and what is overdue, once a day;
the processing unit is reminded on the last day an apology is allowed."""

from __future__ import annotations

from datetime import datetime

import pytest

from applications.models import Apology, Status
from applications.notifications import deadline_digest_send
from notifications.models import Notification
from tests.factories import make_dossier, make_procedure
from tests.notifications.conftest import HCM

pytestmark = pytest.mark.django_db
MONDAY_MORNING = datetime(2026, 1, 5, 7, 0, tzinfo=HCM)


@pytest.fixture
def queue(commune, citizen, specialist):
    version = make_procedure(agency=commune)

    def dossier(code, due, status=Status.PROCESSING, assigned=specialist):
        return make_dossier(version, commune, citizen, status=status, code=code, assigned_to=assigned,
                            received_at=datetime(2025, 12, 29, 8, 0, tzinfo=HCM), due_current=due)

    return {
        "due_soon": dossier("HS-DUE", datetime(2026, 1, 6, 17, 0, tzinfo=HCM)),
        "overdue": dossier("HS-LATE", datetime(2026, 1, 2, 17, 0, tzinfo=HCM)),
        "later": dossier("HS-LATER", datetime(2026, 1, 9, 17, 0, tzinfo=HCM)),
        "paused": dossier("HS-PAUSED", datetime(2026, 1, 6, 17, 0, tzinfo=HCM), status=Status.SUPPLEMENT_REQUESTED),
    }


def test_officers_and_leaders_get_the_agencys_digest(queue, officer, leader, other_officer):
    deadline_digest_send(now=MONDAY_MORNING)

    digest = Notification.objects.get(event="deadline_digest", channel="in_app", recipient=officer)
    assert "1 hồ sơ đến hạn trong một ngày làm việc, 1 hồ sơ quá hạn" in digest.body
    assert "HS-DUE" in digest.body and "HS-LATE" in digest.body
    assert "HS-LATER" not in digest.body and "HS-PAUSED" not in digest.body
    assert Notification.objects.filter(event="deadline_digest", recipient=leader).exists()
    assert not Notification.objects.filter(recipient=other_officer).exists()


def test_the_assigned_specialist_gets_a_digest_of_their_own_dossiers(queue, specialist):
    deadline_digest_send(now=MONDAY_MORNING)

    assert Notification.objects.filter(event="deadline_digest", recipient=specialist, channel="in_app").count() == 1


def test_running_the_digest_twice_a_day_sends_it_once(queue, officer):
    first = deadline_digest_send(now=MONDAY_MORNING)
    second = deadline_digest_send(now=MONDAY_MORNING.replace(hour=9))

    assert first > 0
    assert Notification.objects.filter(event="deadline_digest", recipient=officer).count() == 2  # in-app + email
    assert Notification.objects.count() == first
    assert second == first  # the same rows found again, nothing new written


def test_the_processing_unit_is_reminded_on_the_last_day_an_apology_is_allowed(queue, specialist):
    deadline_digest_send(now=MONDAY_MORNING)

    reminders = Notification.objects.filter(event="apology_reminder", channel="in_app")
    assert [row.context["dossier_code"] for row in reminders] == ["HS-DUE"]
    assert reminders[0].recipient == specialist


def test_no_reminder_once_the_apology_was_sent(queue, specialist, leader):
    due = queue["due_soon"].due_current
    Apology.objects.create(dossier=queue["due_soon"], reason="Chờ xác minh", due_before=due, due_after=due,
                           issued_by=leader, issued_at=MONDAY_MORNING)

    deadline_digest_send(now=MONDAY_MORNING)

    assert not Notification.objects.filter(event="apology_reminder").exists()
