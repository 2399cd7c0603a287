"""A legal extension for verification (e.g. marital-status confirmation: 3 working days, up to 23 with
verification): recorded with its reason, within the procedure's bound, before the time limit runs out;
it moves the due date without making the dossier late, unlike an apology."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications import workflow
from applications.deadlines import deadline_clock
from applications.models import ControlSheetEntry, Event, Extension, Status
from applications.queues import queue_dossiers
from notifications.models import Notification
from tests.applications.workflow.conftest import call, drive, new_draft
from tests.factories import make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def marital(commune):
    version = make_procedure(agency=commune, time_value=3, name="Cấp Giấy xác nhận tình trạng hôn nhân")
    version.extension_max_days = 20
    version.extension_basis = "Điều 22 Nghị định 123/2015/NĐ-CP"
    version.save(update_fields=["extension_max_days", "extension_basis"])
    return version


def _processing(moment, version, commune, citizen, cast):
    with time_machine.travel(moment, tick=False):
        return drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)


def test_an_extension_moves_the_due_date_and_the_result_is_not_late(cast, marital, commune, citizen, officer):
    # Received Tue 10/03/2026: due Fri 13/03 17:00.
    dossier = _processing(at(2026, 3, 10), marital, commune, citizen, cast)
    assert dossier.due_current == at(2026, 3, 13, 17)

    with time_machine.travel(at(2026, 3, 12, 9), tick=False):
        workflow.dossier_extend(dossier, actor=cast.specialist, expected_version=dossier.version, days=5,
                                reason="Xác minh tình trạng hôn nhân tại nơi cư trú trước đây")

    assert dossier.due_original == at(2026, 3, 13, 17)
    assert dossier.due_current == at(2026, 3, 20, 17)
    extension = Extension.objects.get(dossier=dossier)
    assert (extension.days, extension.legal_basis) == (5, "Điều 22 Nghị định 123/2015/NĐ-CP")
    event = dossier.events.latest("pk")
    assert event.action == Event.EXTENDED and event.is_public and event.data["due_after"] == "2026-03-20T17:00:00+07:00"
    # The specialist's control-sheet row follows the new deadline.
    assert ControlSheetEntry.objects.get(dossier=dossier, completed_at__isnull=True).due_at == at(2026, 3, 20, 17)
    assert Notification.objects.filter(recipient=citizen, event="extended").exists()

    # After the original deadline the dossier is neither overdue in the queue nor on the clock.
    monday = at(2026, 3, 16, 9)
    assert dossier not in queue_dossiers(officer, "overdue", monday)
    clock = deadline_clock(dossier, [], now=monday, extensions=[extension])
    assert not clock.is_overdue and clock.extended_days == 5

    with time_machine.travel(at(2026, 3, 18, 10), tick=False):
        call("submit_for_approval", dossier, cast)
        call("approve", dossier, cast)
    assert dossier.timeliness == "early"


def test_an_apology_instead_leaves_the_dossier_late(cast, marital, commune, citizen):
    dossier = _processing(at(2026, 3, 10), marital, commune, citizen, cast)
    with time_machine.travel(at(2026, 3, 12, 9), tick=False):
        call("apologise", dossier, cast, new_due=at(2026, 3, 20).date())
    with time_machine.travel(at(2026, 3, 18, 10), tick=False):
        call("submit_for_approval", dossier, cast)
        call("approve", dossier, cast)
    assert dossier.timeliness == "late"


def test_the_extension_stays_within_the_legal_bound(cast, marital, commune, citizen):
    dossier = _processing(at(2026, 3, 10), marital, commune, citizen, cast)
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        with pytest.raises(workflow.WorkflowError) as refused:
            call("extend", dossier, cast, days=21)
        assert refused.value.status == 400 and "20 ngày" in refused.value.message
        call("extend", dossier, cast, days=15)
        with pytest.raises(workflow.WorkflowError) as refused:
            call("extend", dossier, cast, days=6)
        assert "5 ngày" in refused.value.message
        call("extend", dossier, cast, days=5)
        assert "extend" not in workflow.dossier_actions_available(dossier, cast.specialist)
    assert Extension.objects.filter(dossier=dossier).count() == 2


@pytest.mark.parametrize("case", ["no-legal-basis", "past-the-deadline", "after-an-apology", "no-reason"])
def test_an_extension_is_refused_and_changes_nothing(case, cast, marital, commune, citizen, version):
    dossier = _processing(at(2026, 3, 10), version if case == "no-legal-basis" else marital, commune, citizen, cast)
    moment = at(2026, 3, 16, 9) if case == "past-the-deadline" else at(2026, 3, 11, 9)
    with time_machine.travel(moment, tick=False):
        if case == "after-an-apology":
            call("apologise", dossier, cast, new_due=at(2026, 3, 20).date())
        before = (dossier.version, dossier.due_current, dossier.events.count())
        if case != "no-reason":
            assert "extend" not in workflow.dossier_actions_available(dossier, cast.specialist)
        with pytest.raises(workflow.WorkflowError) as refused:
            call("extend", dossier, cast, reason="" if case == "no-reason" else "Xác minh")
    assert refused.value.message
    dossier.refresh_from_db()
    assert (dossier.version, dossier.due_current, dossier.events.count()) == before
    assert not Extension.objects.exists()
