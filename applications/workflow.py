"""The dossier state machine: the only code that assigns `Dossier.status` (the one-stop-shop
lifecycle of Decree 118/2025/NĐ-CP).

Every transition is one service function. Each one, inside one transaction:

1. locks the dossier row (SELECT … FOR UPDATE), so two officers acting at the same moment are
   serialised and the second one finds the version moved on (StaleDossier);
2. checks who may act (role, the agency scope of staff, the owner for citizens), the expected
   version, and the state it starts from, raising WorkflowError (nothing has changed then);
3. changes the dossier, increments `version`, and writes one immutable DossierEvent (plus
   control-sheet rows on hand-overs, pauses, supplement requests, the apology);
4. asks for the official slip (`applications.documents.document_request`) and the
   notifications (`applications.notifications.dossier_notify`); both only write rows in this
   transaction and dispatch after commit, so a rolled-back transition sends nothing.

The rules (who, from which states, to which state) are data in TRANSITIONS, which is also what
the back office reads to show only the actions allowed now.

Decisions recorded here:
- Fees at receipt: `dossier_receive` does not move a dossier to awaiting_payment by itself.
  Whether a fee is due, and how much, needs a person: statutory exemptions (an on-time birth
  registration is free), per-page fees and caps are known only once the papers are seen. The
  back office prompts the officer with the quoted amount for full-process dossiers with fees,
  and `dossier_request_payment` then pauses the clock until the gateway confirms.
- Apology and lateness: the new appointment becomes `due_current`, but the result is classed
  against the deadline as it stood before the apology (still moved by later pauses), so a
  rescheduled dossier delivered after its legal deadline stays "late" (Decision 766/QĐ-TTg counts it late).
- An apology may be sent only while the clock runs (CLOCK_RUNNING_STATES), at the latest on the
  working day before `due_current`, and only once.
- A legal extension for verification (`dossier_extend`) is not an apology: it is recorded with its
  reason within the procedure's bound before the time limit runs out, moves `due_current`, and the
  result is judged against the extended deadline.
- A stop request (Decree 118/2025 Art 21) is decided by the agency's leader: stopped (Mẫu 05), or
  declined with a reason, which puts the dossier back in the state the request was made from.
- A completion request at receipt (Mẫu 02) is given once: the law asks for one written
  guidance listing every defect; a resubmission that is still deficient is refused (Mẫu 03).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import staff_agency_ids
from accounts.models import Role
from applications.codes import dossier_code_next
from applications.deadlines import (
    apology_last_day,
    due_at_receipt,
    end_of_day,
    extended_due,
    local_date,
    receipt_moment,
    timeliness_for,
    transfer_due_at,
)
from applications.documents import document_request, document_signing_preflight
from applications.models import (
    CLOCK_RUNNING_STATES,
    STOPPABLE_STATES,
    Apology,
    Channel,
    ControlSheetEntry,
    DocumentKind,
    Dossier,
    DossierEvent,
    Event,
    Extension,
    InPersonStep,
    Pause,
    PauseReason,
    ResultDelivery,
    SlipMailing,
    Status,
    SupplementRequest,
    SupplementStage,
)
from applications.notifications import dossier_notify
from applications.rows import dossier_lock, dossier_sync
from applications.status_hooks import status_changed
from applications.tracking_book import tracking_book_number_next
from procedures.models import ServiceLevel
from procedures.services import procedure_popularity_increment
from workdays.services import classify, is_working_day, shift_for_pause

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

__all__ = [
    "TRANSITIONS",
    "StaleDossier",
    "WorkflowError",
    "dossier_actions_available",
    "dossier_apologise",
    "dossier_approve",
    "dossier_decline_stop",
    "dossier_declare_not_eligible",
    "dossier_extend",
    "dossier_payment_confirmed",
    "dossier_receive",
    "dossier_record_in_person_step",
    "dossier_refuse",
    "dossier_request_completion",
    "dossier_request_payment",
    "dossier_request_stop",
    "dossier_postal_delivered",
    "dossier_postal_progress",
    "dossier_postal_undelivered",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_send_by_post",
    "dossier_send_back",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_for_approval",
    "dossier_supplement",
    "dossier_transfer",
    "dossier_withdraw",
]


class WorkflowError(Exception):
    """A refused transition. `message` is shown to the user; `status` is the HTTP status to answer:
    403 (role or agency), 409 (wrong state, stale page, already done), 400 (invalid input)."""

    status = 409

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class StaleDossier(WorkflowError):
    def __init__(self) -> None:
        super().__init__(_("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang."), status=409)


# "owner" is not a role: it means the citizen who owns this dossier.
OWNER = "owner"
ONE_STOP_SHOP = "Bộ phận Một cửa"


# --- Guards: the rules beyond "which state, which role" -------------------------------------------
#
# Each returns why the action is not possible on this dossier now, or "" when it is. The services
# call them under the row lock (through _begin) and the back office calls the same functions to
# decide which buttons to show, so the two can never disagree.

Guard = Callable[[Dossier, datetime], str]


def completion_guard(dossier: Dossier, now: datetime) -> str:
    """Mẫu 02 at the counter is given once: one written guidance listing every defect."""
    if SupplementRequest.objects.filter(dossier=dossier, stage=SupplementStage.AT_RECEIPT).exists():
        return _("Hồ sơ đã được hướng dẫn bổ sung một lần. Nếu vẫn chưa đầy đủ, hãy từ chối tiếp nhận.")
    return ""


def supplement_guard(dossier: Dossier, now: datetime) -> str:
    """A supplement during processing may be requested only once."""
    if SupplementRequest.objects.filter(dossier=dossier, stage=SupplementStage.PROCESSING).exists():
        return _("Hồ sơ đã được yêu cầu bổ sung một lần; pháp luật chỉ cho phép yêu cầu bổ sung một lần.")
    return ""


def apology_guard(dossier: Dossier, now: datetime) -> str:
    """Once, and no later than one working day before the current due date."""
    if Apology.objects.filter(dossier=dossier).exists():
        return _("Hồ sơ đã được hẹn lại ngày trả kết quả một lần; pháp luật chỉ cho phép hẹn lại một lần.")
    if dossier.due_current is None:
        return _("Hồ sơ chưa có ngày hẹn trả kết quả.")
    last_day = apology_last_day(dossier.due_current)
    if local_date(now) > last_day:
        return _("Đã quá thời hạn gửi thư xin lỗi: chậm nhất là ngày %(day)s (trước hạn trả 01 ngày làm việc).") % {
            "day": last_day.strftime("%d/%m/%Y")}
    return ""


def extension_days_left(dossier: Dossier) -> int:
    """Working days of legal extension the procedure still allows this dossier."""
    used = dossier.extensions.aggregate(total=Sum("days"))["total"] or 0
    return max(dossier.procedure_version.extension_max_days - used, 0)


def extension_guard(dossier: Dossier, now: datetime) -> str:
    """Only where the legal basis provides one, within its bound, and before the time limit has
    run out: after that only an apology (which does not erase lateness) remains."""
    if dossier.procedure_version.extension_max_days == 0:
        return _("Thủ tục này không có quy định gia hạn thời gian giải quyết để xác minh.")
    if Apology.objects.filter(dossier=dossier).exists():
        return _("Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả; không thể gia hạn thêm.")
    if dossier.due_current is None or now > dossier.due_current:
        return _("Đã quá hạn giải quyết: không thể gia hạn, chỉ có thể xin lỗi và hẹn lại ngày trả kết quả.")
    if extension_days_left(dossier) == 0:
        return _("Hồ sơ đã được gia hạn hết thời gian tối đa theo quy định.")
    return ""


def in_person_guard(dossier: Dossier, now: datetime) -> str:
    if dossier.procedure_version.service_level == ServiceLevel.FULL:
        return _("Thủ tục toàn trình không có bước công dân phải thực hiện trực tiếp.")
    return ""


def post_guard(dossier: Dossier, now: datetime) -> str:
    """Only where the applicant registered for delivery by public post (Decree 118/2025 Art 22)."""
    if dossier.result_delivery != ResultDelivery.POST:
        return _("Người nộp không đăng ký nhận kết quả qua bưu chính công ích.")
    return ""


@dataclass(frozen=True)
class Rule:
    event: Event  # the DossierEvent.action and the notification route
    from_states: tuple[str, ...]
    to_state: str | None  # None: the state does not change (or is decided at run time)
    roles: tuple[str, ...]
    label: StrOrPromise  # translatable: "tiếp nhận hồ sơ", for messages: "Không thể {label} …"
    button: StrOrPromise  # translatable: the back office's button, "Tiếp nhận hồ sơ"
    # Specialists may act only on dossiers assigned to them.
    assigned_only: bool = False
    guard: Guard | None = None


TRANSITIONS: dict[str, Rule] = {
    "submit": Rule(Event.SUBMITTED, (Status.DRAFT, Status.NEEDS_COMPLETION), Status.SUBMITTED,
                   (OWNER, Role.OFFICER), gettext_lazy("nộp hồ sơ"), gettext_lazy("Nộp hồ sơ")),
    "withdraw": Rule(Event.WITHDRAWN, (Status.SUBMITTED, Status.NEEDS_COMPLETION), Status.WITHDRAWN,
                     (OWNER,), gettext_lazy("rút hồ sơ"), gettext_lazy("Rút hồ sơ")),
    "receive": Rule(Event.RECEIVED, (Status.SUBMITTED,), Status.RECEIVED, (Role.OFFICER,),
                    gettext_lazy("tiếp nhận hồ sơ"), gettext_lazy("Tiếp nhận hồ sơ")),
    "request_completion": Rule(Event.COMPLETION_REQUESTED, (Status.SUBMITTED,), Status.NEEDS_COMPLETION,
                               (Role.OFFICER,), gettext_lazy("yêu cầu bổ sung, hoàn thiện hồ sơ"),
                               gettext_lazy("Yêu cầu bổ sung, hoàn thiện (Mẫu 02)"), guard=completion_guard),
    "refuse": Rule(Event.REFUSED, (Status.SUBMITTED,), Status.REFUSED, (Role.OFFICER,),
                   gettext_lazy("từ chối tiếp nhận hồ sơ"), gettext_lazy("Từ chối tiếp nhận (Mẫu 03)")),
    "transfer": Rule(Event.TRANSFERRED, (Status.RECEIVED,), Status.PROCESSING, (Role.OFFICER,),
                     gettext_lazy("chuyển hồ sơ cho chuyên viên"), gettext_lazy("Chuyển chuyên viên xử lý")),
    "request_supplement": Rule(Event.SUPPLEMENT_REQUESTED, (Status.PROCESSING,), Status.SUPPLEMENT_REQUESTED,
                               (Role.SPECIALIST,), gettext_lazy("yêu cầu bổ sung hồ sơ"), gettext_lazy("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
                               assigned_only=True, guard=supplement_guard),
    "supplement": Rule(Event.SUPPLEMENTED, (Status.SUPPLEMENT_REQUESTED,), Status.PROCESSING,
                       (OWNER, Role.OFFICER), gettext_lazy("bổ sung hồ sơ"), gettext_lazy("Ghi nhận công dân đã bổ sung")),
    "request_payment": Rule(Event.PAYMENT_REQUESTED, (Status.RECEIVED, Status.PROCESSING), Status.AWAITING_PAYMENT,
                            (Role.OFFICER, Role.SPECIALIST), gettext_lazy("yêu cầu nộp phí, lệ phí"),
                            gettext_lazy("Yêu cầu nộp phí, lệ phí"), assigned_only=True),
    "confirm_payment": Rule(Event.PAYMENT_CONFIRMED, (Status.AWAITING_PAYMENT,), None, (Role.OFFICER,),
                            gettext_lazy("xác nhận đã nộp phí, lệ phí"), gettext_lazy("Xác nhận đã nộp phí, lệ phí")),
    "submit_for_approval": Rule(Event.SUBMITTED_FOR_APPROVAL, (Status.PROCESSING,), Status.PENDING_APPROVAL,
                                (Role.SPECIALIST,), gettext_lazy("trình lãnh đạo phê duyệt"), gettext_lazy("Trình lãnh đạo phê duyệt"),
                                assigned_only=True),
    "send_back": Rule(Event.SENT_BACK, (Status.PENDING_APPROVAL,), Status.PROCESSING, (Role.LEADER,),
                      gettext_lazy("trả lại chuyên viên"), gettext_lazy("Trả lại chuyên viên")),
    "approve": Rule(Event.APPROVED, (Status.PENDING_APPROVAL,), Status.APPROVED, (Role.LEADER,),
                    gettext_lazy("phê duyệt kết quả"), gettext_lazy("Phê duyệt kết quả")),
    "declare_not_eligible": Rule(Event.NOT_ELIGIBLE, (Status.PENDING_APPROVAL,), Status.NOT_ELIGIBLE, (Role.LEADER,),
                                 gettext_lazy("kết luận không đủ điều kiện giải quyết"), gettext_lazy("Không đủ điều kiện giải quyết")),
    "extend": Rule(Event.EXTENDED, (Status.PROCESSING, Status.PENDING_APPROVAL), None, (Role.SPECIALIST, Role.LEADER),
                   gettext_lazy("gia hạn thời gian giải quyết để xác minh"), gettext_lazy("Gia hạn theo quy định để xác minh"),
                   assigned_only=True, guard=extension_guard),
    "apologise": Rule(Event.APOLOGISED, CLOCK_RUNNING_STATES, None, (Role.OFFICER, Role.SPECIALIST, Role.LEADER),
                      gettext_lazy("gửi thư xin lỗi và hẹn lại ngày trả kết quả"), gettext_lazy("Xin lỗi, hẹn lại ngày trả (Mẫu 04)"),
                      guard=apology_guard),
    # Any applicant may ask (Decree 118/2025 Art 21): online, or in writing at the counter, where
    # the officer records it on the applicant's behalf.
    "request_stop": Rule(Event.STOP_REQUESTED, STOPPABLE_STATES, Status.STOP_REQUESTED, (OWNER, Role.OFFICER),
                         gettext_lazy("đề nghị dừng giải quyết hồ sơ"), gettext_lazy("Ghi nhận đề nghị dừng giải quyết")),
    # The competent agency's leader decides: stop (Mẫu 05) or decline with a reason.
    "stop": Rule(Event.STOPPED, (Status.STOP_REQUESTED,), Status.STOPPED, (Role.LEADER,),
                 gettext_lazy("dừng giải quyết hồ sơ"), gettext_lazy("Đồng ý dừng giải quyết hồ sơ (Mẫu 05)")),
    "decline_stop": Rule(Event.STOP_DECLINED, (Status.STOP_REQUESTED,), None, (Role.LEADER,),
                         gettext_lazy("từ chối đề nghị dừng giải quyết hồ sơ"), gettext_lazy("Không chấp thuận đề nghị dừng")),
    "return_result": Rule(Event.RESULT_RETURNED, (Status.APPROVED, Status.NOT_ELIGIBLE), Status.RETURNED,
                          (Role.OFFICER,), gettext_lazy("trả kết quả"), gettext_lazy("Trả kết quả")),
    # Result by public post (Decree 42/2022 Art 11 k1a): the officer hands it to the operator; the
    # operator's reports (no person acts: roles are empty, so no button shows them) then decide.
    "send_by_post": Rule(Event.RESULT_POSTED, (Status.APPROVED, Status.NOT_ELIGIBLE), Status.SENT_BY_POST,
                         (Role.OFFICER,), gettext_lazy("gửi kết quả qua bưu chính công ích"),
                         gettext_lazy("Gửi kết quả qua bưu chính công ích"), guard=post_guard),
    "postal_progress": Rule(Event.POSTAL_PROGRESS, (Status.SENT_BY_POST,), None, (),
                            gettext_lazy("cập nhật hành trình bưu gửi"), gettext_lazy("Cập nhật hành trình bưu gửi")),
    "postal_delivered": Rule(Event.POSTAL_DELIVERED, (Status.SENT_BY_POST,), Status.RETURNED, (),
                             gettext_lazy("ghi nhận bưu điện đã phát"), gettext_lazy("Ghi nhận bưu điện đã phát")),
    "postal_undelivered": Rule(Event.POSTAL_UNDELIVERED, (Status.SENT_BY_POST,), None, (),
                               gettext_lazy("ghi nhận bưu điện không phát được"),
                               gettext_lazy("Ghi nhận bưu điện không phát được")),
    "record_in_person_step": Rule(
        Event.IN_PERSON_STEP,
        (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.PENDING_APPROVAL, Status.AWAITING_PAYMENT,
         Status.SUPPLEMENT_REQUESTED),
        None, (Role.OFFICER, Role.SPECIALIST), gettext_lazy("ghi nhận bước thực hiện trực tiếp"),
        gettext_lazy("Ghi nhận bước thực hiện trực tiếp"), guard=in_person_guard,
    ),
}


# --- Checks ------------------------------------------------------------------------------------


def _authorise(rule: Rule, dossier: Dossier, actor: User | None) -> None:
    if actor is None or not actor.is_authenticated:
        raise WorkflowError(_("Bạn cần đăng nhập để thực hiện thao tác này."), status=403)
    if OWNER in rule.roles and actor.role == Role.CITIZEN and dossier.owner_id == actor.pk:
        return
    if OWNER in rule.roles and actor.role == Role.CITIZEN:
        raise WorkflowError(_("Bạn không phải là chủ hồ sơ này."), status=403)
    if actor.role not in rule.roles:
        raise WorkflowError(_("Vai trò của bạn không được %(label)s.") % {"label": rule.label}, status=403)
    if dossier.agency_id not in staff_agency_ids(actor):
        raise WorkflowError(_("Hồ sơ không thuộc phạm vi cơ quan của bạn."), status=403)
    if rule.assigned_only and actor.role == Role.SPECIALIST and dossier.assigned_to_id != actor.pk:
        raise WorkflowError(_("Hồ sơ này không được giao cho bạn xử lý."), status=403)


def _check_state(rule: Rule, dossier: Dossier) -> None:
    if dossier.status not in rule.from_states:
        raise WorkflowError(
            _("Không thể %(label)s khi hồ sơ đang ở trạng thái «%(status)s».")
            % {"label": rule.label, "status": Status(dossier.status).label}
        )


def _begin(action: str, dossier: Dossier, actor: User | None, expected_version: int | None,
           now: datetime | None = None) -> tuple[Rule, Dossier]:
    """Lock, then check who, which version, which state and the rule's guard, in that order
    (must run in atomic())."""
    rule = TRANSITIONS[action]
    locked = dossier_lock(dossier)
    _authorise(rule, locked, actor)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleDossier()
    _check_state(rule, locked)
    refusal = rule.guard(locked, now or timezone.now()) if rule.guard else ""
    if refusal:
        raise WorkflowError(refusal)
    return rule, locked


def _required_text(value: str | None, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise WorkflowError(message, status=400)
    return text


def _required_items(items: Iterable[str] | None) -> list[str]:
    cleaned = [str(item).strip() for item in (items or []) if str(item).strip()]
    if not cleaned:
        raise WorkflowError(_("Vui lòng liệt kê đầy đủ các nội dung cần bổ sung, hoàn thiện."), status=400)
    return cleaned


# --- Recording ---------------------------------------------------------------------------------


def _record(
    locked: Dossier, rule: Rule, actor: User | None, now: datetime, *, to_state: str | None = None, note: str = "",
    data: dict | None = None, is_public: bool = True, on_behalf_of: str = "", bump_version: bool = True,
) -> DossierEvent:
    from_state = locked.status
    target = to_state or rule.to_state
    if target:
        locked.status = target
    if bump_version:
        locked.version += 1
    locked.save()
    event = DossierEvent.objects.create(
        dossier=locked, action=rule.event, actor=actor, actor_role=_actor_role(locked, actor), at=now,
        on_behalf_of=on_behalf_of, from_status=from_state, to_status=locked.status, note=note, data=data or {},
        is_public=is_public,
    )
    if from_state != locked.status:
        status_changed(locked, event)
    return event


def _signable(dossier: Dossier, kind: str, actor: User) -> None:
    """The result must be signable before the dossier moves: an expired or revoked certificate
    refuses the approval and the dossier stays where it was."""
    reason = document_signing_preflight(dossier, kind, issued_by=actor)
    if reason:
        raise WorkflowError(reason, status=409)


def _actor_role(dossier: Dossier, actor: User | None) -> str:
    if actor is None:
        return "system"
    return actor.role


def _finish(original: Dossier, locked: Dossier, event: DossierEvent, *, document_kind: str | None = None,
            notify: bool = True, issued_by: User | None = None) -> Dossier:
    """Ask for the slip and the notifications, then copy the new state onto the caller's object."""
    if document_kind:
        document_request(locked, document_kind, source_key=f"event:{event.pk}", issued_by=issued_by or event.actor)
    if notify:
        dossier_notify(locked, event.action, event)
    dossier_sync(original, locked)
    return locked


def _person(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _hand_over(locked: Dossier, *, step: str, from_party: str, from_user: User | None, to_party: str,
               to_user: User | None, now: datetime, completed: bool = False, note: str = "",
               due: datetime | None = None) -> None:
    """Close the open control-sheet row (early / on time / late against its due) and open the next,
    due at `due` (default: the dossier's current due date)."""
    for row in ControlSheetEntry.objects.filter(dossier=locked, completed_at__isnull=True):
        row.completed_at = now
        row.result = str(classify(now, row.due_at)) if row.due_at else ""
        row.save(update_fields=["completed_at", "result"])
    ControlSheetEntry.objects.create(
        dossier=locked, step=step, from_party=from_party, from_user=from_user, to_party=to_party, to_user=to_user,
        handed_at=now, due_at=due or locked.due_current, note=note[:500],
        completed_at=now if completed else None,
        result=str(classify(now, locked.due_current)) if completed and locked.due_current else "",
    )


def _close_control_sheet(locked: Dossier, now: datetime) -> None:
    for row in ControlSheetEntry.objects.filter(dossier=locked, completed_at__isnull=True):
        row.completed_at = now
        row.result = str(classify(now, row.due_at)) if row.due_at else ""
        row.save(update_fields=["completed_at", "result"])


def _due_now(locked: Dossier) -> datetime:
    """due_current of a dossier the caller's rule found past receipt, where it is always set."""
    if locked.due_current is None:
        raise WorkflowError(_("Hồ sơ chưa được tiếp nhận nên chưa có ngày hẹn trả kết quả."), status=409)
    return locked.due_current


def _pause_open(locked: Dossier, reason: str, now: datetime) -> Pause:
    return Pause.objects.create(dossier=locked, reason=reason, started_at=now, due_before=locked.due_current)


def _pause_close(locked: Dossier, now: datetime) -> Pause | None:
    """End the open pause and move due_current later by the working days it spanned."""
    pause = Pause.objects.filter(dossier=locked, ended_at__isnull=True).first()
    if pause is None:
        return None
    if locked.due_current is not None:
        locked.due_current = shift_for_pause(locked.due_current, pause.started_at, now)
    pause.ended_at = now
    pause.due_after = locked.due_current
    pause.save(update_fields=["ended_at", "due_after"])
    return pause


def _resolve(locked: Dossier, now: datetime) -> None:
    """Set the resolution moment and the timeliness class, once: neither is ever rewritten."""
    if locked.resolved_at is None:
        locked.resolved_at = now
    if not locked.timeliness:
        apology = Apology.objects.filter(dossier=locked).first()
        locked.timeliness = timeliness_for(locked.resolved_at, locked, apology, Pause.objects.filter(dossier=locked))


# --- Filing -------------------------------------------------------------------------------------


def dossier_submit(dossier: Dossier, *, actor: User, submit_token=None) -> Dossier:
    """draft | needs_completion → submitted, by the owner or by an officer of the dossier's agency
    filing on the citizen's behalf (channel becomes in person unless it came by post).

    The code is given at the first submission and never changes. Idempotent for a repeated
    `submit_token` (a double click returns the dossier as it is).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = dossier_lock(dossier)
            if submit_token is not None and locked.submit_token is not None and str(locked.submit_token) == str(
                submit_token
            ) and locked.status != Status.DRAFT:
                dossier_sync(dossier, locked)
                return locked
            rule, locked = _begin("submit", locked, actor, None)
            on_behalf_of = ""
            if actor.role == Role.OFFICER:
                on_behalf_of = locked.applicant_name or locked.subject_name or _person(locked.owner)
                if locked.channel not in (Channel.POST, Channel.NATIONAL):
                    locked.channel = Channel.IN_PERSON
            resubmission = locked.status == Status.NEEDS_COMPLETION
            if locked.code is None:
                locked.code = dossier_code_next(locked.agency, local_date(now))
                # The home page lists the most-used procedures: count each dossier once, when first filed.
                procedure_popularity_increment(procedure_id=locked.procedure_version.procedure_id)
            if locked.submitted_at is None:
                locked.submitted_at = now
            if locked.filed_by_id is None or not resubmission:
                locked.filed_by = actor
            if submit_token is not None:
                locked.submit_token = submit_token
            if resubmission:
                SupplementRequest.objects.filter(
                    dossier=locked, stage=SupplementStage.AT_RECEIPT, answered_at__isnull=True
                ).update(answered_at=now)
            event = _record(locked, rule, actor, now, on_behalf_of=on_behalf_of,
                            data={"resubmission": resubmission, "channel": locked.channel})
            return _finish(dossier, locked, event)
    except IntegrityError as exc:
        # The only unique field we set is the submit token: it was used for another dossier.
        raise WorkflowError(_("Yêu cầu nộp hồ sơ này đã được xử lý."), status=409) from exc


@transaction.atomic
def dossier_withdraw(dossier: Dossier, *, actor: User, expected_version: int, note: str = "") -> Dossier:
    """submitted | needs_completion → withdrawn, by the owner, before the dossier is received."""
    now = timezone.now()
    rule, locked = _begin("withdraw", dossier, actor, expected_version)
    event = _record(locked, rule, actor, now, note=note.strip())
    return _finish(dossier, locked, event)


# --- Receipt (Bộ phận Một cửa) --------------------------------------------------------------------


@transaction.atomic
def dossier_receive(dossier: Dossier, *, actor: User, expected_version: int, note: str = "") -> Dossier:
    """submitted → received: the receipt and appointment slip (Mẫu 01) and the legal deadline.

    The clock starts now (an online dossier's official receipt time is the officer's acceptance,
    Decree 118/2025 Art 17); due_original = due_current = the procedure version's limit from now.
    A dossier that came by post is received when its envelope arrived (`post_arrived_at`, moved to
    the next working day when it came after hours or on a day off), and Mẫu 01 is queued to be
    mailed back to the applicant (SlipMailing).
    """
    now = timezone.now()
    rule, locked = _begin("receive", dossier, actor, expected_version)
    by_post = locked.channel == Channel.POST
    if by_post and locked.post_arrived_at is None:
        raise WorkflowError(_("Hồ sơ nhận qua bưu chính cần ngày giờ nhận bưu gửi trước khi tiếp nhận."),
                            status=400)
    received = receipt_moment(locked.post_arrived_at) if by_post and locked.post_arrived_at is not None else now
    locked.received_at = received
    # The number in the agency's yearly tracking book, taken under the counter's row lock; kept
    # if the dossier somehow comes back to be received again, since a printed number never changes.
    if locked.book_number is None:
        locked.book_year, locked.book_number = tracking_book_number_next(locked.agency_id, received)
    locked.due_original = locked.due_current = due_at_receipt(locked.procedure_version, received)
    locked.transfer_due = transfer_due_at(received)
    data = {"due": locked.due_current.isoformat(), "transfer_due": locked.transfer_due.isoformat()}
    if by_post:
        data |= {"post_arrived_at": timezone.localtime(locked.post_arrived_at).isoformat(),
                 "received_at": timezone.localtime(received).isoformat()}
    event = _record(locked, rule, actor, now, note=note.strip(), data=data)
    # The one-stop shop holds the dossier until it is transferred: that row is due at the transfer deadline.
    _hand_over(locked, step="Tiếp nhận hồ sơ", from_party=f"Người nộp hồ sơ: {locked.applicant_name}".strip(),
               from_user=locked.owner, to_party=f"{ONE_STOP_SHOP}: {_person(actor)}", to_user=actor, now=now,
               due=locked.transfer_due)
    if by_post:
        # Mẫu 01 goes back the way the dossier came: an ordinary letter to the applicant's address.
        SlipMailing.objects.get_or_create(
            dossier=locked, document_kind=DocumentKind.RECEIPT,
            defaults={"recipient_name": locked.applicant_name,
                      "address": (locked.delivery_address or locked.applicant_address)[:255]})
    return _finish(dossier, locked, event, document_kind=DocumentKind.RECEIPT)


@transaction.atomic
def dossier_request_completion(dossier: Dossier, *, actor: User, expected_version: int, items: list[str],
                               note: str = "") -> Dossier:
    """submitted → needs_completion: one written guidance listing every defect at once (Mẫu 02)."""
    now = timezone.now()
    rule, locked = _begin("request_completion", dossier, actor, expected_version, now)
    cleaned = _required_items(items)
    request = SupplementRequest.objects.create(
        dossier=locked, stage=SupplementStage.AT_RECEIPT, items=cleaned, requested_by=actor, requested_at=now
    )
    event = _record(locked, rule, actor, now, note=note.strip(),
                    data={"items": cleaned, "supplement_request": request.pk})
    return _finish(dossier, locked, event, document_kind=DocumentKind.SUPPLEMENT)


@transaction.atomic
def dossier_refuse(dossier: Dossier, *, actor: User, expected_version: int, reason: str) -> Dossier:
    """submitted → refused, with the specific reasons (Mẫu 03). The code is never reused."""
    now = timezone.now()
    rule, locked = _begin("refuse", dossier, actor, expected_version)
    reason = _required_text(reason, _("Vui lòng nêu rõ lý do từ chối tiếp nhận hồ sơ."))
    event = _record(locked, rule, actor, now, note=reason, data={"reason": reason})
    return _finish(dossier, locked, event, document_kind=DocumentKind.REFUSAL)


@transaction.atomic
def dossier_transfer(dossier: Dossier, *, actor: User, expected_version: int, specialist: User) -> Dossier:
    """received → processing: hand the dossier to a specialist of the agency (control sheet row).

    The receipt row of the control sheet is judged against the transfer deadline (same working
    day, the next one after 15:00); a late transfer is recorded on the event too.
    """
    now = timezone.now()
    rule, locked = _begin("transfer", dossier, actor, expected_version)
    if specialist is None or specialist.role != Role.SPECIALIST or locked.agency_id not in staff_agency_ids(specialist):
        raise WorkflowError(_("Vui lòng chọn một chuyên viên của cơ quan giải quyết hồ sơ."), status=400)
    locked.assigned_to = specialist
    late = locked.transfer_due is not None and now > locked.transfer_due
    event = _record(locked, rule, actor, now, data={
        "specialist": specialist.pk, "specialist_name": specialist.full_name,
        "transfer_due": locked.transfer_due.isoformat() if locked.transfer_due else None, "late": late,
    })
    _hand_over(locked, step="Chuyển xử lý", from_party=f"{ONE_STOP_SHOP}: {_person(actor)}", from_user=actor,
               to_party=f"Chuyên viên: {_person(specialist)}", to_user=specialist, now=now)
    return _finish(dossier, locked, event)


# --- Processing ---------------------------------------------------------------------------------


@transaction.atomic
def dossier_request_supplement(dossier: Dossier, *, actor: User, expected_version: int, items: list[str]) -> Dossier:
    """processing → supplement_requested, only once per dossier (Mẫu 02); the clock pauses."""
    now = timezone.now()
    rule, locked = _begin("request_supplement", dossier, actor, expected_version, now)
    cleaned = _required_items(items)
    request = SupplementRequest.objects.create(
        dossier=locked, stage=SupplementStage.PROCESSING, items=cleaned, requested_by=actor, requested_at=now
    )
    _pause_open(locked, PauseReason.SUPPLEMENT, now)
    event = _record(locked, rule, actor, now, data={"items": cleaned, "supplement_request": request.pk})
    return _finish(dossier, locked, event, document_kind=DocumentKind.SUPPLEMENT)


@transaction.atomic
def dossier_supplement(dossier: Dossier, *, actor: User, expected_version: int, note: str = "") -> Dossier:
    """supplement_requested → processing, by the owner (or an officer on their behalf).

    The pause ends: due_current moves later by the working days it spanned (the old and new
    due moments stay on the Pause row, NgayHenTraTruoc / NgayHenTraMoi).
    """
    now = timezone.now()
    rule, locked = _begin("supplement", dossier, actor, expected_version)
    due_before = locked.due_current
    _pause_close(locked, now)
    SupplementRequest.objects.filter(
        dossier=locked, stage=SupplementStage.PROCESSING, answered_at__isnull=True
    ).update(answered_at=now, answer_note=note.strip())
    on_behalf_of = "" if actor.role == Role.CITIZEN else (locked.applicant_name or _person(locked.owner))
    event = _record(locked, rule, actor, now, note=note.strip(), on_behalf_of=on_behalf_of, data={
        "due_before": due_before.isoformat() if due_before else None,
        "due_after": locked.due_current.isoformat() if locked.due_current else None,
    })
    return _finish(dossier, locked, event)


def dossier_payment_request_allowed(dossier: Dossier, *, actor: User, expected_version: int) -> Dossier:
    """Lock the dossier and run the request-payment checks (role, agency, assignment, version, state)
    without changing anything, so a caller can write its own rows (a fee assessment) only once they
    pass. Must run inside the caller's transaction.atomic() (the lock lasts until it ends); raises
    WorkflowError."""
    _rule, locked = _begin("request_payment", dossier, actor, expected_version)
    return locked


@transaction.atomic
def dossier_request_payment(dossier: Dossier, *, actor: User, expected_version: int, amount: int,
                            note: str = "") -> Dossier:
    """received | processing → awaiting_payment: the fee to pay; the clock pauses until it is paid."""
    now = timezone.now()
    rule, locked = _begin("request_payment", dossier, actor, expected_version)
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0:
        raise WorkflowError(_("Số tiền phải nộp phải lớn hơn 0 đồng."), status=400)
    locked.fee_amount = amount
    locked.fee_note = note.strip()[:500]
    _pause_open(locked, PauseReason.PAYMENT, now)
    event = _record(locked, rule, actor, now, note=note.strip(), data={"amount": amount, "return_to": locked.status})
    return _finish(dossier, locked, event)


def dossier_payment_confirmed(dossier: Dossier, *, actor: User | None = None, reference: str, channel: str) -> Dossier:
    """awaiting_payment → the state the payment was asked from (received or processing).

    Called by the payments app: `actor` None is the gateway, an officer for a counter payment.
    Idempotent: a dossier no longer awaiting payment is returned unchanged. The pause ends and
    due_current moves later by the working days it spanned.

    A payment that arrives while a stop request made during "awaiting payment" waits for the
    leader is recorded too (the pause ends, the state stays): should the leader decline, the
    dossier then goes back to processing, not to waiting for a fee already paid.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = dossier_lock(dossier)
        paid_while_stop_requested = (
            locked.status == Status.STOP_REQUESTED
            and Pause.objects.filter(dossier=locked, ended_at__isnull=True, reason=PauseReason.PAYMENT).exists()
        )
        if locked.status != Status.AWAITING_PAYMENT and not paid_while_stop_requested:
            dossier_sync(dossier, locked)
            return locked
        rule = TRANSITIONS["confirm_payment"]
        if actor is not None:
            _authorise(rule, locked, actor)
        back_to = _state_before_payment(locked)
        _pause_close(locked, now)
        if back_to == Status.RECEIVED and not paid_while_stop_requested and locked.transfer_due is not None:
            # Paid before the transfer (full process with fees): the hand-over is due counting from
            # the payment, as the dossier could not move on before it.
            ControlSheetEntry.objects.filter(dossier=locked, completed_at__isnull=True,
                                             due_at=locked.transfer_due).update(due_at=transfer_due_at(now))
            locked.transfer_due = transfer_due_at(now)
        event = _record(locked, rule, actor, now, to_state=locked.status if paid_while_stop_requested else back_to,
                        data={"reference": reference, "channel": channel, "amount": locked.fee_amount})
        return _finish(dossier, locked, event)


def _state_before_payment(locked: Dossier) -> str:
    requested = (
        DossierEvent.objects.filter(dossier=locked, action=Event.PAYMENT_REQUESTED).order_by("-at", "-pk").first()
    )
    return requested.from_status if requested and requested.from_status else Status.PROCESSING


@transaction.atomic
def dossier_submit_for_approval(dossier: Dossier, *, actor: User, expected_version: int, note: str = "") -> Dossier:
    """processing → pending_approval, by the assigned specialist (hand-over to the leader)."""
    now = timezone.now()
    rule, locked = _begin("submit_for_approval", dossier, actor, expected_version)
    event = _record(locked, rule, actor, now, note=note.strip(), is_public=False)
    _hand_over(locked, step="Trình phê duyệt", from_party=f"Chuyên viên: {_person(actor)}", from_user=actor,
               to_party="Lãnh đạo phê duyệt", to_user=None, now=now, note=note.strip())
    return _finish(dossier, locked, event)


@transaction.atomic
def dossier_send_back(dossier: Dossier, *, actor: User, expected_version: int, note: str) -> Dossier:
    """pending_approval → processing: the leader returns the draft result to the specialist."""
    now = timezone.now()
    rule, locked = _begin("send_back", dossier, actor, expected_version)
    note = _required_text(note, _("Vui lòng ghi rõ nội dung cần chuyên viên xử lý lại."))
    event = _record(locked, rule, actor, now, note=note, is_public=False)
    _hand_over(locked, step="Trả lại chuyên viên", from_party=f"Lãnh đạo: {_person(actor)}", from_user=actor,
               to_party=f"Chuyên viên: {_person(locked.assigned_to)}", to_user=locked.assigned_to, now=now, note=note)
    return _finish(dossier, locked, event)


@transaction.atomic
def dossier_approve(dossier: Dossier, *, actor: User, expected_version: int, result_summary: str = "") -> Dossier:
    """pending_approval → approved: the result is ready (e-result, Decree 118 Art 22); timeliness set once."""
    now = timezone.now()
    _signable(dossier, DocumentKind.RESULT, actor)
    rule, locked = _begin("approve", dossier, actor, expected_version)
    if result_summary.strip():
        locked.result_summary = result_summary.strip()
    _resolve(locked, now)
    event = _record(locked, rule, actor, now, note=result_summary.strip(), data={"timeliness": locked.timeliness})
    _hand_over(locked, step="Phê duyệt, chuyển kết quả", from_party=f"Lãnh đạo: {_person(actor)}", from_user=actor,
               to_party=ONE_STOP_SHOP, to_user=None, now=now)
    return _finish(dossier, locked, event, document_kind=DocumentKind.RESULT)


@transaction.atomic
def dossier_declare_not_eligible(dossier: Dossier, *, actor: User, expected_version: int, reason: str) -> Dossier:
    """pending_approval → not_eligible, with the reasons (written notice); timeliness set once."""
    now = timezone.now()
    _signable(dossier, DocumentKind.NOT_ELIGIBLE, actor)
    rule, locked = _begin("declare_not_eligible", dossier, actor, expected_version)
    reason = _required_text(reason, _("Vui lòng nêu rõ lý do hồ sơ không đủ điều kiện giải quyết."))
    locked.result_summary = reason
    _resolve(locked, now)
    event = _record(locked, rule, actor, now, note=reason, data={"reason": reason, "timeliness": locked.timeliness})
    _hand_over(locked, step="Kết luận không đủ điều kiện", from_party=f"Lãnh đạo: {_person(actor)}", from_user=actor,
               to_party=ONE_STOP_SHOP, to_user=None, now=now, note=reason)
    return _finish(dossier, locked, event, document_kind=DocumentKind.NOT_ELIGIBLE)


@transaction.atomic
def dossier_apologise(dossier: Dossier, *, actor: User, expected_version: int, reason: str,
                      new_due: datetime | date) -> Dossier:
    """Apology with a new appointment (Mẫu 04): once, and no later than one working day before
    due_current. due_current becomes the new appointment; due_original and the lateness judgement
    are untouched (see the module docstring). A date means office close on that day."""
    now = timezone.now()
    rule, locked = _begin("apologise", dossier, actor, expected_version, now)
    reason = _required_text(reason, _("Vui lòng nêu rõ lý do chậm trả kết quả."))
    if new_due is None:
        raise WorkflowError(_("Vui lòng chọn ngày hẹn trả kết quả mới."), status=400)
    due = new_due if isinstance(new_due, datetime) else end_of_day(new_due)
    if timezone.is_naive(due):
        due = timezone.make_aware(due)
    due_before = _due_now(locked)
    if due <= due_before:
        raise WorkflowError(_("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."), status=400)
    if not is_working_day(local_date(due)):
        raise WorkflowError(_("Ngày hẹn mới phải là ngày làm việc."), status=400)
    Apology.objects.create(dossier=locked, reason=reason, due_before=due_before, due_after=due,
                           issued_by=actor, issued_at=now)
    locked.due_current = due
    event = _record(locked, rule, actor, now, note=reason,
                    data={"reason": reason, "due_before": due_before.isoformat(), "due_after": due.isoformat()})
    return _finish(dossier, locked, event, document_kind=DocumentKind.APOLOGY)


# --- Stop and return ----------------------------------------------------------------------------


@transaction.atomic
def dossier_extend(dossier: Dossier, *, actor: User, expected_version: int, days: int, reason: str) -> Dossier:
    """A legal extension for verification (thẩm tra, xác minh): due_current moves later by `days`
    working days, within the bound the procedure's legal basis sets, before the time limit runs out.

    Not an apology: the result is judged against the extended deadline (the lateness judgement
    follows due_current), and the open control-sheet row follows it too.
    """
    now = timezone.now()
    rule, locked = _begin("extend", dossier, actor, expected_version, now)
    reason = _required_text(reason, _("Vui lòng nêu rõ lý do và nội dung cần xác minh."))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    left = extension_days_left(locked)
    if days <= 0:
        raise WorkflowError(_("Số ngày gia hạn phải lớn hơn 0."), status=400)
    if days > left:
        raise WorkflowError(
            _("Số ngày gia hạn vượt quá thời hạn tối đa theo quy định: còn được gia hạn %(left)s ngày làm việc.")
            % {"left": left}, status=400)
    version = locked.procedure_version
    due_before = _due_now(locked)
    due_after = locked.due_current = extended_due(due_before, days)
    Extension.objects.create(dossier=locked, days=days, reason=reason, legal_basis=version.extension_basis,
                             due_before=due_before, due_after=due_after, granted_by=actor, granted_at=now)
    ControlSheetEntry.objects.filter(dossier=locked, completed_at__isnull=True, due_at=due_before).update(
        due_at=due_after)
    event = _record(locked, rule, actor, now, note=reason, data={
        "days": days, "reason": reason, "legal_basis": version.extension_basis,
        "due_before": due_before.isoformat(), "due_after": due_after.isoformat(),
    })
    return _finish(dossier, locked, event)


# --- Stop at the applicant's request (Decree 118/2025 Art 21, Circular 03/2025 Art 7) ---------------


@transaction.atomic
def dossier_request_stop(dossier: Dossier, *, actor: User, expected_version: int, reason: str) -> Dossier:
    """open states → stop_requested: by the owner online, or by an officer recording a walk-in
    applicant's written request at the counter. The leader then decides (stop or decline)."""
    now = timezone.now()
    rule, locked = _begin("request_stop", dossier, actor, expected_version, now)
    reason = _required_text(reason, _("Vui lòng nêu lý do đề nghị dừng giải quyết hồ sơ."))
    on_behalf_of = "" if actor.role == Role.CITIZEN else (locked.applicant_name or _person(locked.owner))
    event = _record(locked, rule, actor, now, note=reason, data={"reason": reason}, on_behalf_of=on_behalf_of)
    return _finish(dossier, locked, event)


@transaction.atomic
def dossier_stop(dossier: Dossier, *, actor: User, expected_version: int, note: str = "") -> Dossier:
    """stop_requested → stopped, decided by the leader (notice, Mẫu 05); an open pause and the
    control sheet are closed."""
    now = timezone.now()
    rule, locked = _begin("stop", dossier, actor, expected_version, now)
    pause = Pause.objects.filter(dossier=locked, ended_at__isnull=True).first()
    if pause is not None:
        # The dossier will not resume, so the deadline is left where it was.
        pause.ended_at = now
        pause.due_after = locked.due_current
        pause.save(update_fields=["ended_at", "due_after"])
    _close_control_sheet(locked, now)
    event = _record(locked, rule, actor, now, note=note.strip())
    return _finish(dossier, locked, event, document_kind=DocumentKind.STOP)


@transaction.atomic
def dossier_decline_stop(dossier: Dossier, *, actor: User, expected_version: int, reason: str) -> Dossier:
    """stop_requested → the state the request was made from, when the leader declines, with the
    reason the applicant is told. A pause that was open stays open (the clock stays paused)."""
    now = timezone.now()
    rule, locked = _begin("decline_stop", dossier, actor, expected_version, now)
    reason = _required_text(reason, _("Vui lòng nêu rõ lý do không chấp thuận đề nghị dừng."))
    back_to = _state_before_stop(locked)
    event = _record(locked, rule, actor, now, to_state=back_to, note=reason, data={"reason": reason})
    return _finish(dossier, locked, event)


def _state_before_stop(locked: Dossier) -> str:
    requested = (
        DossierEvent.objects.filter(dossier=locked, action=Event.STOP_REQUESTED).order_by("-at", "-pk").first()
    )
    back_to = requested.from_status if requested and requested.from_status in STOPPABLE_STATES else Status.PROCESSING
    if back_to == Status.AWAITING_PAYMENT and not Pause.objects.filter(dossier=locked, ended_at__isnull=True).exists():
        # Paid while the request was pending (dossier_payment_confirmed closed the pause).
        back_to = _state_before_payment(locked)
    return back_to


# --- Return ----------------------------------------------------------------------------------------


@transaction.atomic
def dossier_return_result(dossier: Dossier, *, actor: User, expected_version: int, method: str) -> Dossier:
    """approved | not_eligible → returned: at the counter or online.

    A full-process dossier is never returned at the counter unless the citizen chose it. A result by
    public post is not "returned" here: it goes through a postal order (dossier_send_by_post) and is
    returned when the operator reports delivery. (A tracking number typed at return used to mark
    it returned at once; dossiers returned that way keep their number.)
    """
    now = timezone.now()
    rule, locked = _begin("return_result", dossier, actor, expected_version)
    if method not in ResultDelivery.values:
        raise WorkflowError(_("Vui lòng chọn hình thức trả kết quả."), status=400)
    if method == ResultDelivery.POST:
        raise WorkflowError(_("Kết quả gửi qua bưu chính công ích phải được tạo yêu cầu gửi bưu chính (mục "
                              "“Gửi kết quả qua bưu chính”); hồ sơ chỉ được trả khi bưu điện báo đã phát."),
                            status=400)
    full_process = locked.procedure_version.service_level == ServiceLevel.FULL
    if full_process and method == ResultDelivery.COUNTER and locked.result_delivery != ResultDelivery.COUNTER:
        raise WorkflowError(
            _("Thủ tục toàn trình trả kết quả trực tuyến hoặc qua bưu chính công ích; "
              "công dân không đăng ký nhận tại Bộ phận Một cửa."), status=400)
    locked.result_delivery = method
    locked.returned_at = now
    event = _record(locked, rule, actor, now, data={"method": method})
    _hand_over(locked, step="Trả kết quả", from_party=f"{ONE_STOP_SHOP}: {_person(actor)}", from_user=actor,
               to_party=f"Người nộp hồ sơ: {locked.applicant_name}".strip(), to_user=locked.owner, now=now,
               completed=True)
    return _finish(dossier, locked, event)


# --- Result by public post ---------------------------------------------------------------------------
#
# The postal order (the outbox row that calls the operator) belongs to the `postal` app, which
# writes it in the same transaction as dossier_send_by_post. The operator's reports come back
# through the three system services below (actor None): each is idempotent, so a replayed callback
# or a poll that repeats a callback changes nothing.


@transaction.atomic
def dossier_send_by_post(dossier: Dossier, *, actor: User, expected_version: int, recipient: str,
                         reference: str) -> Dossier:
    """approved | not_eligible → sent_by_post: the result leaves the one-stop shop for public post.

    Not "returned": the dossier is returned when the operator reports delivery
    (dossier_postal_delivered). The control sheet's last row stays open until then.
    """
    now = timezone.now()
    rule, locked = _begin("send_by_post", dossier, actor, expected_version, now)
    event = _record(locked, rule, actor, now, data={"reference": reference})
    _hand_over(locked, step="Gửi kết quả qua bưu chính", from_party=f"{ONE_STOP_SHOP}: {_person(actor)}",
               from_user=actor, to_party=f"Bưu chính công ích → {recipient}".strip(), to_user=None, now=now)
    return _finish(dossier, locked, event)


def _begin_system(action: str, dossier: Dossier) -> tuple[Rule, Dossier] | tuple[None, Dossier]:
    """Lock; (None, locked) when the dossier is no longer in a state the rule starts from (a late
    or replayed report): the caller then returns without recording anything."""
    rule = TRANSITIONS[action]
    locked = dossier_lock(dossier)
    if locked.status not in rule.from_states:
        return None, locked
    return rule, locked


@transaction.atomic
def dossier_postal_progress(dossier: Dossier, *, status_label: str, at: datetime, tracking_number: str = "",
                            note: str = "") -> Dossier:
    """A step of the parcel's journey (accepted, in transit) on the timeline the citizen reads.
    No state change, no version change (an officer's open form stays valid), no notification."""
    rule, locked = _begin_system("postal_progress", dossier)
    if rule is None:
        dossier_sync(dossier, locked)
        return locked
    if tracking_number and locked.postal_tracking_number != tracking_number:
        locked.postal_tracking_number = tracking_number
    event = _record(locked, rule, None, at, note=note.strip(), bump_version=False,
                    data={"status_label": status_label, "tracking_number": tracking_number})
    return _finish(dossier, locked, event, notify=False)


@transaction.atomic
def dossier_postal_delivered(dossier: Dossier, *, delivered_at: datetime, tracking_number: str = "") -> Dossier:
    """sent_by_post → returned at the operator's delivery time: that moment is when the result
    reached the applicant, so it closes the control sheet and is the dossier's `returned_at`.

    It is also the moment judged for timeliness (Decree 42/2022 Art 11: the result is returned when
    public post delivers it): the class set at approval was provisional for a result by post and is
    replaced once, here; the event keeps both."""
    rule, locked = _begin_system("postal_delivered", dossier)
    if rule is None:
        dossier_sync(dossier, locked)
        return locked
    locked.returned_at = delivered_at
    if tracking_number:
        locked.postal_tracking_number = tracking_number
    at_resolution = locked.timeliness
    apology = Apology.objects.filter(dossier=locked).first()
    locked.timeliness = (timeliness_for(delivered_at, locked, apology, Pause.objects.filter(dossier=locked))
                         or at_resolution)
    _close_control_sheet(locked, delivered_at)
    event = _record(locked, rule, None, delivered_at,
                    data={"method": ResultDelivery.POST, "tracking_number": locked.postal_tracking_number,
                          "timeliness": locked.timeliness, "timeliness_at_resolution": at_resolution})
    return _finish(dossier, locked, event)


@transaction.atomic
def dossier_postal_undelivered(dossier: Dossier, *, reason: str, at: datetime) -> Dossier:
    """sent_by_post → back to approved | not_eligible (the officer's "to return" queue), with the
    operator's reason: the result comes back to the one-stop shop and the applicant is told to
    collect it there, so the delivery method becomes the counter."""
    rule, locked = _begin_system("postal_undelivered", dossier)
    if rule is None:
        dossier_sync(dossier, locked)
        return locked
    posted = DossierEvent.objects.filter(dossier=locked, action=Event.RESULT_POSTED).order_by("-at", "-pk").first()
    back_to = posted.from_status if posted and posted.from_status else Status.APPROVED
    locked.result_delivery = ResultDelivery.COUNTER
    reason = (reason or "").strip() or _("Bưu điện không phát được bưu gửi.")
    _close_control_sheet(locked, at)
    event = _record(locked, rule, None, at, to_state=back_to, note=reason, data={"reason": reason})
    _hand_over(locked, step="Bưu điện chuyển hoàn kết quả", from_party="Bưu chính công ích", from_user=None,
               to_party=ONE_STOP_SHOP, to_user=None, now=at, note=reason)
    return _finish(dossier, locked, event)


@transaction.atomic
def dossier_record_in_person_step(dossier: Dossier, *, actor: User, kind: str, note: str) -> Dossier:
    """Partial-process only: an in-person step (originals checked at the counter, an on-site check).

    An event, no status change, and no version change (an open form elsewhere stays valid).
    """
    now = timezone.now()
    rule, locked = _begin("record_in_person_step", dossier, actor, None, now)
    if kind not in InPersonStep.values:
        raise WorkflowError(_("Bước thực hiện trực tiếp không hợp lệ."), status=400)
    event = _record(locked, rule, actor, now, note=(note or "").strip(), data={"kind": kind}, bump_version=False)
    return _finish(dossier, locked, event, notify=False)


# --- What may be done now ---------------------------------------------------------------------------


def dossier_actions_available(dossier: Dossier, user: User, *, now: datetime | None = None) -> list[str]:
    """The transitions `user` may start on `dossier` now (the back office shows these as buttons).

    The same checks as the services (state, role and scope, the rule's guard); the services run
    them again under the row lock, so this only hides what would be refused.
    """
    now = now or timezone.now()
    available = []
    for action, rule in TRANSITIONS.items():
        if action == "confirm_payment" or dossier.status not in rule.from_states:
            continue
        try:
            _authorise(rule, dossier, user)
        except WorkflowError:
            continue
        if rule.guard and rule.guard(dossier, now):
            continue
        available.append(action)
    return available
