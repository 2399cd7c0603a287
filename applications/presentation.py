"""Plain-Vietnamese words for what happened to a dossier: timeline lines, status badges, action buttons.

The workflow stores machine names (`received`, `supplement_requested`); people read these.
Labels are lazy so an English session sees the translation.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.models import DossierEvent, ResultDelivery, Status
from portal.lib.money import format_vnd

EVENT_LABELS = {
    "submitted": _("Nộp hồ sơ"),
    "withdrawn": _("Rút hồ sơ"),
    "received": _("Hồ sơ được tiếp nhận, có giấy hẹn trả kết quả"),
    "completion_requested": _("Hồ sơ chưa đầy đủ: hướng dẫn bổ sung, hoàn thiện"),
    "refused": _("Từ chối tiếp nhận hồ sơ"),
    "transferred": _("Chuyển hồ sơ đến bộ phận chuyên môn giải quyết"),
    "supplement_requested": _("Yêu cầu bổ sung giấy tờ (tạm dừng tính thời hạn)"),
    "supplemented": _("Đã bổ sung giấy tờ, tiếp tục giải quyết"),
    "payment_requested": _("Yêu cầu nộp phí, lệ phí (tạm dừng tính thời hạn)"),
    "payment_confirmed": _("Đã nộp phí, lệ phí"),
    "submitted_for_approval": _("Trình lãnh đạo phê duyệt"),
    "sent_back": _("Lãnh đạo trả lại để xử lý tiếp"),
    "approved": _("Đã có kết quả giải quyết"),
    "not_eligible": _("Hồ sơ không đủ điều kiện giải quyết"),
    "apologised": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "stop_requested": _("Người nộp đề nghị dừng giải quyết hồ sơ"),
    "stopped": _("Dừng giải quyết hồ sơ"),
    "result_returned": _("Đã trả kết quả"),
    "in_person_step": _("Thực hiện trực tiếp tại cơ quan"),
}
IN_PERSON_LABELS = {
    "originals_checked": _("Đối chiếu bản chính tại Bộ phận Một cửa"),
    "site_check": _("Kiểm tra, xác minh thực tế"),
}
ROLE_LABELS = {
    "citizen": _("Người nộp"),
    "officer": _("Cán bộ Một cửa"),
    "specialist": _("Chuyên viên"),
    "leader": _("Lãnh đạo"),
    "admin": _("Quản trị"),
    "system": _("Hệ thống"),
}
# Bootstrap colour per state: waiting on the citizen (warning), done (success), closed (secondary).
STATUS_BADGES = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "info",
    Status.NEEDS_COMPLETION: "warning",
    Status.REFUSED: "danger",
    Status.WITHDRAWN: "secondary",
    Status.RECEIVED: "primary",
    Status.PROCESSING: "primary",
    Status.SUPPLEMENT_REQUESTED: "warning",
    Status.AWAITING_PAYMENT: "warning",
    Status.PENDING_APPROVAL: "primary",
    Status.STOP_REQUESTED: "warning",
    Status.STOPPED: "secondary",
    Status.APPROVED: "success",
    Status.NOT_ELIGIBLE: "danger",
    Status.RETURNED: "success",
}
# Button text for the back office's actions (the workflow's TRANSITIONS keys).
ACTION_LABELS = {
    "receive": _("Tiếp nhận hồ sơ"),
    "request_completion": _("Yêu cầu bổ sung, hoàn thiện (Mẫu 02)"),
    "refuse": _("Từ chối tiếp nhận (Mẫu 03)"),
    "transfer": _("Chuyển chuyên viên xử lý"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
    "supplement": _("Ghi nhận công dân đã bổ sung"),
    "request_payment": _("Yêu cầu nộp phí, lệ phí"),
    "submit_for_approval": _("Trình lãnh đạo phê duyệt"),
    "send_back": _("Trả lại chuyên viên"),
    "approve": _("Phê duyệt kết quả"),
    "declare_not_eligible": _("Không đủ điều kiện giải quyết"),
    "apologise": _("Xin lỗi, hẹn lại ngày trả (Mẫu 04)"),
    "stop": _("Dừng giải quyết hồ sơ (Mẫu 05)"),
    "return_result": _("Trả kết quả"),
    "record_in_person_step": _("Ghi nhận bước thực hiện trực tiếp"),
    "withdraw": _("Rút hồ sơ"),
    "request_stop": _("Đề nghị dừng giải quyết"),
    "submit": _("Nộp hồ sơ"),
}
# Actions that end or refuse something are shown as red buttons.
DANGER_ACTIONS = {"refuse", "declare_not_eligible", "stop", "withdraw", "request_stop"}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "secondary")


def event_label(event: DossierEvent) -> str:
    if event.action == "in_person_step":
        return str(IN_PERSON_LABELS.get(event.data.get("kind", ""), EVENT_LABELS["in_person_step"]))
    if event.action == "submitted" and event.data.get("resubmission"):
        return str(_("Nộp lại hồ sơ sau khi bổ sung, hoàn thiện"))
    return str(EVENT_LABELS.get(event.action, event.action))


def _date(value: str | None) -> str:
    from datetime import datetime

    if not value:
        return ""
    return date_format(datetime.fromisoformat(value), "d/m/Y H:i")


def event_details(event: DossierEvent, *, viewer: str = "citizen") -> list[str]:
    """The lines under a timeline entry: what to add, the new date, the reason, the tracking number.

    Citizens see what concerns them; internal notes (hand-over notes) are only for staff.
    """
    data = event.data or {}
    lines: list[str] = [str(item) for item in data.get("items", [])]
    if event.action == "received" and data.get("due"):
        lines.append(str(_("Hẹn trả kết quả: %(due)s")) % {"due": _date(data["due"])})
    if event.action == "apologised" and data.get("due_after"):
        lines.append(str(_("Ngày hẹn trả mới: %(due)s")) % {"due": _date(data["due_after"])})
    if event.action == "supplemented" and data.get("due_after") and data.get("due_after") != data.get("due_before"):
        lines.append(str(_("Hạn trả kết quả được lùi đến: %(due)s")) % {"due": _date(data["due_after"])})
    if event.action == "payment_requested" and data.get("amount"):
        lines.append(str(_("Số tiền: %(amount)s")) % {"amount": format_vnd(data["amount"])})
    if event.action == "result_returned" and data.get("method"):
        lines.append(str(ResultDelivery(data["method"]).label))
        if data.get("postal_tracking_number"):
            lines.append(str(_("Số hiệu bưu gửi: %(number)s")) % {"number": data["postal_tracking_number"]})
    if event.note and (viewer == "staff" or event.action in _PUBLIC_NOTES):
        lines.append(event.note)
    return lines


# Reasons the law says the citizen must be told (refusal, not eligible, apology, stop).
_PUBLIC_NOTES = {"refused", "not_eligible", "apologised", "stopped", "stop_requested", "withdrawn", "approved",
                 "in_person_step"}


def actor_label(event: DossierEvent, *, viewer: str = "citizen") -> str:
    """Who acted: staff see names, citizens see roles (officers' names are not published)."""
    role = str(ROLE_LABELS.get(event.actor_role, event.actor_role))
    if viewer == "staff" and event.actor_id:
        return f"{event.actor.full_name} ({role})"
    return role
