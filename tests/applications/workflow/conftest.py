"""Builders that drive dossiers through the real workflow services (so events and codes are real)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from applications import workflow
from applications.deadlines import local_date
from applications.models import Dossier, ResultDelivery, Status
from procedures.models import ServiceLevel
from tests.factories import make_dossier, make_procedure
from workdays.services import add_working_days


@dataclass
class Cast:
    citizen: User
    officer: User
    specialist: User
    leader: User


@pytest.fixture
def cast(citizen, officer, specialist, leader) -> Cast:
    return Cast(citizen, officer, specialist, leader)


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune, time_value=3)


@pytest.fixture
def partial_version(commune):
    return make_procedure(agency=commune, time_value=3, service_level=ServiceLevel.PARTIAL)


def new_draft(version, agency, owner) -> Dossier:
    return make_dossier(version, agency, owner, status=Status.DRAFT)


def drive(dossier: Dossier, target: str, cast: Cast) -> Dossier:
    """Move `dossier` (a draft) to `target` through the services, the shortest legal way."""
    paths = {
        Status.SUBMITTED: [],
        Status.NEEDS_COMPLETION: ["request_completion"],
        Status.REFUSED: ["refuse"],
        Status.WITHDRAWN: ["withdraw"],
        Status.RECEIVED: ["receive"],
        Status.AWAITING_PAYMENT: ["receive", "request_payment"],
        Status.PROCESSING: ["receive", "transfer"],
        Status.SUPPLEMENT_REQUESTED: ["receive", "transfer", "request_supplement"],
        Status.PENDING_APPROVAL: ["receive", "transfer", "submit_for_approval"],
        Status.APPROVED: ["receive", "transfer", "submit_for_approval", "approve"],
        Status.NOT_ELIGIBLE: ["receive", "transfer", "submit_for_approval", "declare_not_eligible"],
        Status.RETURNED: ["receive", "transfer", "submit_for_approval", "approve", "return_result"],
        Status.STOP_REQUESTED: ["receive", "transfer", "request_stop"],
        Status.STOPPED: ["receive", "transfer", "request_stop", "stop"],
    }
    workflow.dossier_submit(dossier, actor=dossier.owner or cast.officer)
    for step in paths[target]:
        call(step, dossier, cast)
    assert dossier.status == target
    return dossier


def call(action: str, dossier: Dossier, cast: Cast, actor: User | None = None, **overrides) -> Dossier:
    """Run one transition with sensible arguments; `actor` defaults to the role that may do it."""
    v = dossier.version
    defaults = {
        "withdraw": (cast.citizen, workflow.dossier_withdraw, {"expected_version": v}),
        "receive": (cast.officer, workflow.dossier_receive, {"expected_version": v}),
        "request_completion": (cast.officer, workflow.dossier_request_completion,
                               {"expected_version": v, "items": ["Thiếu giấy chứng sinh"]}),
        "refuse": (cast.officer, workflow.dossier_refuse, {"expected_version": v, "reason": "Không thuộc thẩm quyền"}),
        "transfer": (cast.officer, workflow.dossier_transfer, {"expected_version": v, "specialist": cast.specialist}),
        "request_supplement": (cast.specialist, workflow.dossier_request_supplement,
                               {"expected_version": v, "items": ["Bản sao sổ hộ khẩu"]}),
        "supplement": (cast.citizen, workflow.dossier_supplement, {"expected_version": v, "note": "Đã bổ sung"}),
        "request_payment": (cast.officer, workflow.dossier_request_payment, {"expected_version": v, "amount": 8000}),
        "submit_for_approval": (cast.specialist, workflow.dossier_submit_for_approval, {"expected_version": v}),
        "send_back": (cast.leader, workflow.dossier_send_back, {"expected_version": v, "note": "Kiểm tra lại"}),
        "approve": (cast.leader, workflow.dossier_approve, {"expected_version": v, "result_summary": "Đồng ý"}),
        "declare_not_eligible": (cast.leader, workflow.dossier_declare_not_eligible,
                                 {"expected_version": v, "reason": "Không đủ điều kiện"}),
        "apologise": (cast.specialist, workflow.dossier_apologise, {"expected_version": v, "reason": "Cần xác minh"}),
        "request_stop": (cast.citizen, workflow.dossier_request_stop, {"expected_version": v, "reason": "Không cần nữa"}),
        "stop": (cast.leader, workflow.dossier_stop, {"expected_version": v}),
        "decline_stop": (cast.leader, workflow.dossier_decline_stop, {"expected_version": v, "reason": "Đã xác minh xong"}),
        "extend": (cast.specialist, workflow.dossier_extend, {"expected_version": v, "days": 2, "reason": "Cần xác minh"}),
        "return_result": (cast.officer, workflow.dossier_return_result,
                          {"expected_version": v, "method": ResultDelivery.ONLINE}),
    }
    default_actor, service, kwargs = defaults[action]
    if action == "apologise" and "new_due" not in overrides:
        kwargs["new_due"] = add_working_days(local_date(dossier.due_current), 2)
    kwargs.update(overrides)
    return service(dossier, actor=actor or default_actor, **kwargs)


