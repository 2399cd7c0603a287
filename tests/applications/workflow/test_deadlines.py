"""Legal deadlines through the workflow: due dates per unit, pauses, apologies, classification."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications import workflow
from applications.models import Status
from tests.applications.workflow.conftest import call, drive, new_draft
from tests.factories import make_procedure
from workdays.constants import TimeUnit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def received_at(moment, version, commune, citizen, cast):
    with time_machine.travel(moment, tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    return dossier


@pytest.mark.parametrize(
    ("unit", "value", "cutoff", "receipt", "due"),
    [
        # 5 working days across the Tết 2026 break (12729/VPCP-KGVX).
        (TimeUnit.WORKING_DAYS, 5, None, at(2026, 2, 12, 10), at(2026, 2, 26, 17)),
        # A make-up Saturday counts (Sat 22/08/2026, 12729/VPCP-KGVX).
        (TimeUnit.WORKING_DAYS, 3, None, at(2026, 8, 19, 10), at(2026, 8, 22, 17)),
        # Across the year end: 31/12 → 1/1 holiday, 2/1 swapped off, weekend.
        (TimeUnit.WORKING_DAYS, 2, None, at(2025, 12, 31, 9), at(2026, 1, 6, 17)),
        # Same day before the 15:00 cut-off, and after it (Decree 23/2015 Art 7).
        (TimeUnit.SAME_DAY, 0, time(15, 0), at(2026, 3, 10, 14, 59), at(2026, 3, 10, 17)),
        (TimeUnit.SAME_DAY, 0, time(15, 0), at(2025, 12, 31, 15, 30), at(2026, 1, 5, 17)),
        # Calendar days: 7 days from Mon 09/03/2026 ends Mon 16/03.
        (TimeUnit.DAYS, 7, None, at(2026, 3, 9, 10), at(2026, 3, 16, 17)),
        # Office hours: 16 h from Tue 10:00 → Thu 10:00.
        (TimeUnit.HOURS, 16, None, at(2026, 3, 10, 10), at(2026, 3, 12, 10)),
    ],
    ids=["working-days-tet", "makeup-saturday", "year-end", "same-day-before-cutoff", "same-day-after-cutoff",
         "calendar-days", "hours"],
)
def test_receipt_sets_both_due_dates_from_the_procedure_limit(unit, value, cutoff, receipt, due, cast, commune,
                                                              citizen):
    version = make_procedure(agency=commune, time_value=value, time_unit=unit, cutoff=cutoff)
    dossier = received_at(receipt, version, commune, citizen, cast)
    assert dossier.received_at == receipt
    assert dossier.due_original == due
    assert dossier.due_current == due


def test_a_supplement_pause_moves_the_due_date_by_the_working_days_it_spanned(cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=5)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):  # Monday
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    assert dossier.due_current == at(2026, 3, 16, 17)
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):  # Friday
        call("request_supplement", dossier, cast)
    with time_machine.travel(at(2026, 3, 17, 10), tick=False):  # next Tuesday: Mon + Tue spanned
        call("supplement", dossier, cast)
    assert dossier.due_current == at(2026, 3, 18, 17)
    assert dossier.due_original == at(2026, 3, 16, 17)
    pause = dossier.pauses.get()
    assert (pause.due_before, pause.due_after) == (at(2026, 3, 16, 17), at(2026, 3, 18, 17))
    assert dossier.supplement_requests.get().answered_at == at(2026, 3, 17, 10)


def test_a_payment_pause_moves_the_due_date_too(cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=3)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.AWAITING_PAYMENT, cast)
    assert dossier.due_current == at(2026, 3, 12, 17)
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        workflow.dossier_payment_confirmed(dossier, reference="X", channel="sandbox")
    assert dossier.due_current == at(2026, 3, 16, 17)  # two working days (Tue, Wed) → Thu + 2 = Mon


def test_an_apology_is_refused_after_the_last_allowed_day(cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=3)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    assert dossier.due_current == at(2026, 3, 12, 17)  # Thursday; last apology day Wednesday 11/03
    with time_machine.travel(at(2026, 3, 12, 8), tick=False):
        before = (dossier.version, dossier.due_current, dossier.events.count())
        with pytest.raises(workflow.WorkflowError) as refused:
            call("apologise", dossier, cast, new_due=date(2026, 3, 19))
    assert refused.value.status == 409
    assert "11/03/2026" in refused.value.message
    dossier.refresh_from_db()
    assert (dossier.version, dossier.due_current, dossier.events.count()) == before
    with time_machine.travel(at(2026, 3, 11, 16, 59), tick=False):
        call("apologise", dossier, cast, new_due=date(2026, 3, 19))
    assert dossier.due_current == at(2026, 3, 19, 17)
    assert dossier.due_original == at(2026, 3, 12, 17)


def test_a_second_apology_and_an_earlier_new_date_are_refused(cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=5)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
        with pytest.raises(workflow.WorkflowError) as earlier:
            call("apologise", dossier, cast, new_due=date(2026, 3, 13))
        assert earlier.value.status == 400
        with pytest.raises(workflow.WorkflowError) as weekend:
            call("apologise", dossier, cast, new_due=date(2026, 3, 21))
        assert weekend.value.status == 400
        call("apologise", dossier, cast, new_due=date(2026, 3, 20))
        before = (dossier.version, dossier.due_current)
        with pytest.raises(workflow.WorkflowError) as second:
            call("apologise", dossier, cast, new_due=date(2026, 3, 27))
    assert second.value.status == 409
    dossier.refresh_from_db()
    assert (dossier.version, dossier.due_current) == before


def test_an_apology_does_not_erase_lateness_and_the_class_is_never_rewritten(cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=3)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
        call("apologise", dossier, cast, new_due=date(2026, 3, 19))
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):  # after the legal 12/03, before the new 19/03
        call("submit_for_approval", dossier, cast)
        call("approve", dossier, cast)
    assert dossier.timeliness == "late"
    resolved = dossier.resolved_at
    with time_machine.travel(at(2026, 3, 17, 10), tick=False):
        call("return_result", dossier, cast)
    dossier.refresh_from_db()
    assert dossier.timeliness == "late" and dossier.resolved_at == resolved


@pytest.mark.parametrize(("resolved", "expected"), [(at(2026, 3, 11, 10), "early"), (at(2026, 3, 12, 16), "on_time"),
                                                    (at(2026, 3, 13, 9), "late")])
def test_resolution_is_classed_against_the_due_date(resolved, expected, cast, commune, citizen):
    version = make_procedure(agency=commune, time_value=3)
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.PENDING_APPROVAL, cast)
    with time_machine.travel(resolved, tick=False):
        call("declare_not_eligible", dossier, cast)
    assert dossier.timeliness == expected
    assert dossier.events.latest("pk").data["timeliness"] == expected
