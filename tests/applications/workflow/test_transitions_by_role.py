"""Every transition, allowed and refused, per role: a refusal changes nothing."""

from __future__ import annotations

import pytest

from applications import workflow
from applications.models import Document, DossierEvent, Status
from notifications.models import Notification
from tests.applications.workflow.conftest import call, drive, new_draft

PERSONAS = ["citizen", "other_citizen", "officer", "specialist", "leader", "other_officer", "other_specialist",
            "other_leader"]

# action: (the state it starts from, the state it ends in, the personas allowed to do it)
MATRIX = {
    "withdraw": (Status.SUBMITTED, Status.WITHDRAWN, {"citizen"}),
    "receive": (Status.SUBMITTED, Status.RECEIVED, {"officer"}),
    "request_completion": (Status.SUBMITTED, Status.NEEDS_COMPLETION, {"officer"}),
    "refuse": (Status.SUBMITTED, Status.REFUSED, {"officer"}),
    "transfer": (Status.RECEIVED, Status.PROCESSING, {"officer"}),
    "request_supplement": (Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, {"specialist"}),
    "supplement": (Status.SUPPLEMENT_REQUESTED, Status.PROCESSING, {"citizen", "officer"}),
    "request_payment": (Status.PROCESSING, Status.AWAITING_PAYMENT, {"officer", "specialist"}),
    "submit_for_approval": (Status.PROCESSING, Status.PENDING_APPROVAL, {"specialist"}),
    "send_back": (Status.PENDING_APPROVAL, Status.PROCESSING, {"leader"}),
    "approve": (Status.PENDING_APPROVAL, Status.APPROVED, {"leader"}),
    "declare_not_eligible": (Status.PENDING_APPROVAL, Status.NOT_ELIGIBLE, {"leader"}),
    "apologise": (Status.PROCESSING, Status.PROCESSING, {"officer", "specialist", "leader"}),
    "extend": (Status.PROCESSING, Status.PROCESSING, {"specialist", "leader"}),
    # Any applicant may ask: online, or at the counter where the officer records the request.
    "request_stop": (Status.PROCESSING, Status.STOP_REQUESTED, {"citizen", "officer"}),
    # The competent agency's leader decides (Decree 118/2025 Art 21).
    "stop": (Status.STOP_REQUESTED, Status.STOPPED, {"leader"}),
    "decline_stop": (Status.STOP_REQUESTED, Status.PROCESSING, {"leader"}),
    "return_result": (Status.APPROVED, Status.RETURNED, {"officer"}),
}
CASES = [(action, persona) for action in MATRIX for persona in PERSONAS]


def _snapshot(dossier):
    dossier.refresh_from_db()
    return dossier.status, dossier.version, DossierEvent.objects.filter(dossier=dossier).count(), dossier.due_current


@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_each_transition_is_allowed_only_to_its_roles(action, persona, request, cast, version, commune, citizen):
    start, end, allowed = MATRIX[action]
    if action == "extend":
        version.extension_max_days = 20
        version.save(update_fields=["extension_max_days"])
    dossier = drive(new_draft(version, commune, citizen), start, cast)
    actor = request.getfixturevalue(persona)
    before = _snapshot(dossier)

    if persona in allowed:
        result = call(action, dossier, cast, actor=actor)
        assert result.status == end
        assert result.version == before[1] + 1
        event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
        assert event.actor == actor
        assert event.actor_role == actor.role
        assert (event.from_status, event.to_status) == (start, end)
        assert DossierEvent.objects.filter(dossier=dossier).count() == before[2] + 1
    else:
        with pytest.raises(workflow.WorkflowError) as refused:
            call(action, dossier, cast, actor=actor)
        assert refused.value.status == 403
        assert refused.value.message
        assert _snapshot(dossier) == before


@pytest.mark.parametrize("action", [a for a in MATRIX if a not in ("apologise",)])
def test_each_transition_is_refused_from_a_wrong_state_and_nothing_changes(action, cast, version, commune, citizen):
    start, _end, _allowed = MATRIX[action]
    wrong = Status.RETURNED if start != Status.RETURNED else Status.SUBMITTED
    dossier = drive(new_draft(version, commune, citizen), wrong, cast)
    before = _snapshot(dossier)
    with pytest.raises(workflow.WorkflowError) as refused:
        call(action, dossier, cast)
    assert refused.value.status == 409
    assert "Đã trả kết quả" in refused.value.message
    assert _snapshot(dossier) == before


def test_a_stale_version_is_refused_with_the_reload_message(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
    before = _snapshot(dossier)
    with pytest.raises(workflow.StaleDossier) as stale:
        workflow.dossier_receive(dossier, actor=cast.officer, expected_version=dossier.version - 1)
    assert stale.value.status == 409
    assert stale.value.message == "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang."
    assert _snapshot(dossier) == before


def test_the_citizen_submits_and_an_officer_can_file_on_behalf(cast, version, commune, citizen, officer):
    own = new_draft(version, commune, citizen)
    workflow.dossier_submit(own, actor=citizen)
    assert own.status == Status.SUBMITTED and own.code and own.submitted_at
    assert own.events.get().on_behalf_of == ""

    walk_in = new_draft(version, commune, None)
    walk_in.applicant_name = "Trần Văn Khách"
    walk_in.save()
    workflow.dossier_submit(walk_in, actor=officer)
    event = walk_in.events.get()
    assert event.on_behalf_of == "Trần Văn Khách"
    assert walk_in.channel == "in_person"
    assert walk_in.filed_by == officer


def test_other_people_cannot_submit_a_draft(cast, version, commune, citizen, other_citizen, other_officer, specialist):
    draft = new_draft(version, commune, citizen)
    for intruder in (other_citizen, other_officer, specialist):
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.dossier_submit(draft, actor=intruder)
        assert refused.value.status == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.code is None and draft.version == 0


def test_a_repeated_submit_token_returns_the_same_dossier(cast, version, commune, citizen):
    import uuid

    token = uuid.uuid4()
    draft = new_draft(version, commune, citizen)
    first = workflow.dossier_submit(draft, actor=citizen, submit_token=token)
    again = workflow.dossier_submit(draft, actor=citizen, submit_token=token)
    assert again.code == first.code and again.version == first.version
    assert draft.events.count() == 1


def test_the_code_is_kept_when_a_completed_dossier_is_resubmitted(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.NEEDS_COMPLETION, cast)
    code = dossier.code
    workflow.dossier_submit(dossier, actor=citizen)
    assert dossier.status == Status.SUBMITTED and dossier.code == code
    assert dossier.supplement_requests.get().answered_at is not None


def test_a_second_completion_request_at_receipt_is_refused(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.NEEDS_COMPLETION, cast)
    workflow.dossier_submit(dossier, actor=citizen)
    before = _snapshot(dossier)
    with pytest.raises(workflow.WorkflowError) as refused:
        call("request_completion", dossier, cast)
    assert refused.value.status == 409
    assert _snapshot(dossier) == before


@pytest.mark.parametrize(
    ("action", "start", "overrides"),
    [
        ("refuse", Status.SUBMITTED, {"reason": "  "}),
        ("request_completion", Status.SUBMITTED, {"items": ["", " "]}),
        ("request_supplement", Status.PROCESSING, {"items": []}),
        ("declare_not_eligible", Status.PENDING_APPROVAL, {"reason": ""}),
        ("send_back", Status.PENDING_APPROVAL, {"note": ""}),
        ("apologise", Status.PROCESSING, {"reason": ""}),
        ("request_stop", Status.PROCESSING, {"reason": ""}),
        ("request_payment", Status.PROCESSING, {"amount": 0}),
        # By post goes through a postal order, never a typed tracking number (issue 17).
        ("return_result", Status.APPROVED, {"method": "post"}),
        ("return_result", Status.APPROVED, {"method": "pigeon"}),
    ],
)
def test_missing_reasons_and_invalid_input_are_refused_with_400(action, start, overrides, cast, version, commune,
                                                                citizen):
    dossier = drive(new_draft(version, commune, citizen), start, cast)
    before = _snapshot(dossier)
    with pytest.raises(workflow.WorkflowError) as refused:
        call(action, dossier, cast, **overrides)
    assert refused.value.status == 400
    assert _snapshot(dossier) == before


def test_a_second_supplement_request_is_refused(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.SUPPLEMENT_REQUESTED, cast)
    call("supplement", dossier, cast)
    before = _snapshot(dossier)
    with pytest.raises(workflow.WorkflowError) as refused:
        call("request_supplement", dossier, cast)
    assert refused.value.status == 409
    assert "một lần" in refused.value.message
    assert _snapshot(dossier) == before


def test_transfer_refuses_someone_who_is_not_a_specialist_of_the_agency(cast, version, commune, citizen, leader,
                                                                          other_specialist):
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    before = _snapshot(dossier)
    for wrong in (leader, other_specialist):
        with pytest.raises(workflow.WorkflowError) as refused:
            call("transfer", dossier, cast, specialist=wrong)
        assert refused.value.status == 400
    assert _snapshot(dossier) == before


def test_a_specialist_not_assigned_cannot_process(cast, version, commune, citizen):
    from tests.conftest import make_user

    colleague = make_user("colleague@example.vn", "specialist", commune)
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    with pytest.raises(workflow.WorkflowError) as refused:
        call("submit_for_approval", dossier, cast, actor=colleague)
    assert refused.value.status == 403


def test_payment_returns_to_the_state_it_came_from_and_is_idempotent(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.AWAITING_PAYMENT, cast)
    assert dossier.fee_amount == 8000
    workflow.dossier_payment_confirmed(dossier, reference="PAY-1", channel="sandbox")
    assert dossier.status == Status.RECEIVED
    version_after = dossier.version
    workflow.dossier_payment_confirmed(dossier, reference="PAY-1", channel="sandbox")
    assert dossier.version == version_after
    assert dossier.events.filter(action="payment_confirmed").count() == 1
    event = dossier.events.get(action="payment_confirmed")
    assert event.actor is None and event.actor_role == "system"
    assert dossier.pauses.get().ended_at is not None

    processing = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    call("request_payment", processing, cast)
    workflow.dossier_payment_confirmed(processing, actor=cast.officer, reference="QUAY-1", channel="counter")
    assert processing.status == Status.PROCESSING


def test_a_full_process_result_is_not_returned_at_the_counter_unless_chosen(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.APPROVED, cast)
    with pytest.raises(workflow.WorkflowError) as refused:
        call("return_result", dossier, cast, method="counter")
    assert refused.value.status == 400
    call("return_result", dossier, cast, method="online")
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at is not None


def test_in_person_steps_are_recorded_for_partial_process_only(cast, version, partial_version, commune, citizen):
    partial = drive(new_draft(partial_version, commune, citizen), Status.RECEIVED, cast)
    before_version = partial.version
    workflow.dossier_record_in_person_step(partial, actor=cast.officer, kind="originals_checked",
                                           note="Đã đối chiếu bản chính giấy chứng sinh")
    event = partial.events.latest("pk")
    assert event.action == "in_person_step" and event.data == {"kind": "originals_checked"}
    assert partial.status == Status.RECEIVED and partial.version == before_version

    full = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    with pytest.raises(workflow.WorkflowError):
        workflow.dossier_record_in_person_step(full, actor=cast.officer, kind="originals_checked", note="")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.dossier_record_in_person_step(partial, actor=cast.officer, kind="coffee", note="")
    assert refused.value.status == 400


def test_transitions_leave_their_slips_and_notifications_in_the_same_transaction(cast, version, commune, citizen):
    # The hooks write rows (documents to render, outbox messages) inside each transition's transaction;
    # the real rows are checked, nothing is stubbed.
    dossier = drive(new_draft(version, commune, citizen), Status.RETURNED, cast)

    documents = list(Document.objects.filter(dossier=dossier).order_by("pk").values_list("kind", "source_key"))
    receipt_event = dossier.events.get(action="received")
    result_event = dossier.events.get(action="approved")
    assert documents == [("receipt", f"event:{receipt_event.pk}"), ("result", f"event:{result_event.pk}")]

    def events_for(user) -> list[str]:
        seen: list[str] = []
        for event in Notification.objects.filter(recipient=user).order_by("pk").values_list("event", flat=True):
            if event not in seen:
                seen.append(event)
        return seen

    assert events_for(citizen) == ["submitted", "received", "approved", "result_returned"]
    assert "staff_new_dossier" in events_for(cast.officer)
    assert "staff_assigned" in events_for(cast.specialist)
    assert "staff_approval_requested" in events_for(cast.leader)


def test_the_control_sheet_records_every_hand_over(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.RETURNED, cast)
    rows = list(dossier.control_sheet.all())
    assert [row.step for row in rows] == [
        "Tiếp nhận hồ sơ", "Chuyển xử lý", "Trình phê duyệt", "Phê duyệt, chuyển kết quả", "Trả kết quả",
    ]
    assert all(row.completed_at is not None for row in rows)
    assert {row.result for row in rows} <= {"early", "on_time"}
    assert rows[1].to_user == cast.specialist
