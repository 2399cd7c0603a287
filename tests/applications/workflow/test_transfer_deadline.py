"""A received dossier goes to the specialist unit the same working day, the next one when received
after 15:00 (Decree 61/2018 Art 17); late transfers show in the queue and on the control sheet."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications import workflow
from applications.models import ControlSheetEntry, Status
from applications.queues import queue_counts, queue_dossiers
from tests.applications.workflow.conftest import call, drive, new_draft

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _received(moment, version, commune, citizen, cast):
    with time_machine.travel(moment, tick=False):
        return drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)


@pytest.mark.parametrize(("receipt", "due"), [
    (at(2026, 3, 10, 14, 59), at(2026, 3, 10, 17)),  # before 15:00: the same day
    (at(2026, 3, 10, 15, 0), at(2026, 3, 10, 17)),   # at 15:00 still the same day
    (at(2026, 3, 10, 15, 1), at(2026, 3, 11, 17)),   # after 15:00: the next working day
    (at(2026, 3, 13, 16, 0), at(2026, 3, 16, 17)),   # Friday afternoon: Monday
    (at(2025, 12, 31, 15, 30), at(2026, 1, 5, 17)),  # New Year, a swapped day off and a weekend in between
])
def test_receipt_sets_the_transfer_deadline(receipt, due, cast, version, commune, citizen):
    dossier = _received(receipt, version, commune, citizen, cast)
    assert dossier.transfer_due == due
    receipt_row = ControlSheetEntry.objects.get(dossier=dossier, step="Tiếp nhận hồ sơ")
    assert receipt_row.due_at == due


def test_a_transfer_after_the_deadline_is_recorded_late_and_one_in_time_is_not(cast, version, commune, citizen):
    late = _received(at(2026, 3, 10, 15, 30), version, commune, citizen, cast)
    prompt = _received(at(2026, 3, 10, 9, 0), version, commune, citizen, cast)

    with time_machine.travel(at(2026, 3, 12, 8, 30), tick=False):
        call("transfer", late, cast)
    with time_machine.travel(at(2026, 3, 10, 16, 0), tick=False):
        call("transfer", prompt, cast)

    assert late.events.latest("pk").data["late"] is True
    assert prompt.events.latest("pk").data["late"] is False
    assert ControlSheetEntry.objects.get(dossier=late, step="Tiếp nhận hồ sơ").result == "late"
    assert ControlSheetEntry.objects.get(dossier=prompt, step="Tiếp nhận hồ sơ").result == "on_time"


def test_the_queue_shows_dossiers_past_their_transfer_deadline(cast, version, commune, citizen, officer, leader,
                                                              client):
    overdue = _received(at(2026, 3, 10, 9, 0), version, commune, citizen, cast)
    in_time = _received(at(2026, 3, 10, 15, 30), version, commune, citizen, cast)
    now = at(2026, 3, 11, 9, 0)

    assert list(queue_dossiers(officer, "transfer_late", now)) == [overdue]
    assert queue_counts(leader, now)["transfer_late"] == 1
    with time_machine.travel(now, tick=False):
        client.force_login(officer)
        html = client.get("/officer/?queue=received").content.decode()
    assert overdue.code in html and in_time.code in html
    assert html.count("Chậm chuyển xử lý:") == 1


def test_a_fee_paid_before_the_transfer_restarts_the_transfer_deadline(cast, version, commune, citizen, officer):
    # Full process with fees: the officer asks for the fee right after receipt; the citizen pays days later.
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.AWAITING_PAYMENT, cast)
    with time_machine.travel(at(2026, 3, 13, 16, 0), tick=False):
        workflow.dossier_payment_confirmed(dossier, reference="GW-7", channel="online")

    assert dossier.status == Status.RECEIVED
    assert dossier.transfer_due == at(2026, 3, 16, 17)
    assert ControlSheetEntry.objects.get(dossier=dossier, step="Tiếp nhận hồ sơ").due_at == at(2026, 3, 16, 17)
    assert dossier not in queue_dossiers(officer, "transfer_late", at(2026, 3, 16, 9, 0))
