"""Stopping at the applicant's request (Decree 118/2025 Art 21, Circular 03/2025 Mẫu 05): any applicant
may ask, the competent agency's leader decides, and a declined request puts the dossier back where it was."""

from __future__ import annotations

import pytest

from django.utils import timezone

from applications import workflow
from applications.deadlines import deadline_clock
from applications.models import Document, DocumentKind, DossierEvent, Event, Pause, Status
from applications.queues import queue_dossiers
from notifications.models import Notification
from tests.applications.workflow.conftest import call, drive, new_draft


def _snapshot(dossier):
    dossier.refresh_from_db()
    return dossier.status, dossier.version, dossier.events.count(), Document.objects.filter(dossier=dossier).count()


@pytest.mark.parametrize("start", [
    Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT, Status.PENDING_APPROVAL,
])
def test_a_declined_request_puts_the_dossier_back_where_it_was(start, cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), start, cast)
    paused = Pause.objects.filter(dossier=dossier, ended_at__isnull=True).exists()
    due = dossier.due_current
    call("request_stop", dossier, cast)
    assert dossier.status == Status.STOP_REQUESTED

    workflow.dossier_decline_stop(dossier, actor=cast.leader, expected_version=dossier.version,
                                  reason="Hồ sơ đã thẩm định xong, sắp có kết quả")

    assert dossier.status == start
    event = dossier.events.latest("pk")
    assert (event.action, event.from_status, event.to_status) == (Event.STOP_DECLINED, Status.STOP_REQUESTED, start)
    assert event.note == "Hồ sơ đã thẩm định xong, sắp có kết quả" and event.is_public
    # A pause that was open stays open: the citizen's waiting time still does not count.
    assert Pause.objects.filter(dossier=dossier, ended_at__isnull=True).exists() == paused
    assert dossier.due_current == due
    assert not Document.objects.filter(dossier=dossier, kind=DocumentKind.STOP).exists()


def test_the_citizen_is_told_why_the_request_was_declined(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)

    call("decline_stop", dossier, cast, reason="Kết quả đã được ký")

    notice = Notification.objects.get(recipient=citizen, event="stop_declined", channel="in_app")
    assert dossier.code in notice.body and "Kết quả đã được ký" in notice.body


def test_a_decline_needs_a_reason_and_changes_nothing_without_one(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)
    before = _snapshot(dossier)
    with pytest.raises(workflow.WorkflowError) as refused:
        call("decline_stop", dossier, cast, reason="   ")
    assert refused.value.status == 400
    assert _snapshot(dossier) == before


def test_the_leader_decides_the_officer_may_not_stop_or_decline(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)
    before = _snapshot(dossier)
    for action in ("stop", "decline_stop"):
        with pytest.raises(workflow.WorkflowError) as refused:
            call(action, dossier, cast, actor=cast.officer)
        assert refused.value.status == 403
    assert _snapshot(dossier) == before
    assert set(workflow.dossier_actions_available(dossier, cast.leader)) >= {"stop", "decline_stop"}
    assert not {"stop", "decline_stop"} & set(workflow.dossier_actions_available(dossier, cast.officer))


def test_leaders_hear_about_a_request_since_they_decide(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    call("request_stop", dossier, cast)
    assert Notification.objects.filter(recipient=cast.leader, event="staff_stop_requested").exists()


def test_an_officer_records_a_walk_in_applicants_request_at_the_counter(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)

    workflow.dossier_request_stop(dossier, actor=cast.officer, expected_version=dossier.version,
                                  reason="Đơn đề nghị dừng nộp tại quầy")

    event = dossier.events.latest("pk")
    assert dossier.status == Status.STOP_REQUESTED
    assert event.actor == cast.officer and event.on_behalf_of == dossier.applicant_name != ""
    assert "request_stop" in workflow.dossier_actions_available(
        drive(new_draft(version, commune, citizen), Status.RECEIVED, cast), cast.officer)


def test_a_second_request_after_a_decline_can_be_accepted_with_the_notice(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    call("request_stop", dossier, cast)
    call("decline_stop", dossier, cast)
    call("request_stop", dossier, cast, reason="Tôi vẫn muốn dừng")

    workflow.dossier_stop(dossier, actor=cast.leader, expected_version=dossier.version)

    assert dossier.status == Status.STOPPED
    notice = Document.objects.get(dossier=dossier, kind=DocumentKind.STOP)
    assert notice.issued_by == cast.leader
    assert notice.context.get("reason") == "Tôi vẫn muốn dừng"


def test_a_fee_paid_while_the_request_waits_is_kept_and_a_decline_resumes_processing(cast, version, commune,
                                                                                   citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.AWAITING_PAYMENT, cast)
    call("request_stop", dossier, cast)

    workflow.dossier_payment_confirmed(dossier, reference="GW-1", channel="online")

    assert dossier.status == Status.STOP_REQUESTED
    assert not Pause.objects.filter(dossier=dossier, ended_at__isnull=True).exists()
    assert DossierEvent.objects.filter(dossier=dossier, action=Event.PAYMENT_CONFIRMED).count() == 1
    call("decline_stop", dossier, cast)
    # Asked to pay right after receipt: back to "received", not to waiting for a fee already paid.
    assert dossier.status == Status.RECEIVED


def test_a_request_made_while_waiting_on_the_applicant_keeps_the_clock_paused(cast, version, commune, citizen,
                                                                             officer):
    dossier = drive(new_draft(version, commune, citizen), Status.SUPPLEMENT_REQUESTED, cast)
    call("request_stop", dossier, cast)

    clock = deadline_clock(dossier, dossier.pauses.all())
    assert clock.is_paused and not clock.is_running
    running = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)
    assert deadline_clock(running, running.pauses.all()).is_running
    # Neither is overdue yet; the paused one would never be listed as overdue or due soon.
    later = dossier.due_current + (dossier.due_current - timezone.now()) * 3
    overdue = set(queue_dossiers(officer, "overdue", later).values_list("pk", flat=True))
    assert running.pk in overdue and dossier.pk not in overdue
