"""Plain-Vietnamese words for what happened to a dossier: timeline lines, status badges, action buttons.

The workflow stores machine names (`received`, `supplement_requested`); people read these.
Labels are lazy so an English session sees the translation.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.models import DossierEvent, Event, InPersonStep, ResultDelivery, Status
from applications.workflow import TRANSITIONS
from portal.lib.money import format_vnd

# The timeline's words are the labels of Event and InPersonStep (applications.models).
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
    Status.SENT_BY_POST: "info",
    Status.RETURNED: "success",
}
# Button text for the back office's actions: the `button` of each workflow rule.
ACTION_LABELS = {action: rule.button for action, rule in TRANSITIONS.items()}
# Actions that end or refuse something are shown as red buttons.
DANGER_ACTIONS = {"refuse", "declare_not_eligible", "stop", "withdraw", "request_stop"}
# Events that move the appointment date.
_NEW_DATE_EVENTS = {Event.APOLOGISED, Event.EXTENDED}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "secondary")


def event_label(event: DossierEvent) -> str:
    if event.action == Event.IN_PERSON_STEP and event.data.get("kind") in InPersonStep.values:
        return str(InPersonStep(event.data["kind"]).label)
    if event.action == Event.SUBMITTED and event.data.get("resubmission"):
        return str(_("Nộp lại hồ sơ sau khi bổ sung, hoàn thiện"))
    if event.action in Event.values:
        return str(Event(event.action).label)
    return event.action


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
    if event.action == Event.RECEIVED and data.get("due"):
        lines.append(str(_("Hẹn trả kết quả: %(due)s")) % {"due": _date(data["due"])})
    if event.action == Event.RECEIVED and data.get("transfer_due") and viewer == "staff":
        lines.append(str(_("Hạn chuyển xử lý: %(due)s")) % {"due": _date(data["transfer_due"])})
    if event.action == Event.TRANSFERRED and data.get("late") and viewer == "staff":
        lines.append(str(_("Chuyển chậm so với hạn chuyển xử lý %(due)s")) % {"due": _date(data["transfer_due"])})
    if event.action == Event.EXTENDED and data.get("days"):
        lines.append(str(_("Gia hạn %(days)s ngày làm việc theo quy định; không tính là trễ hạn.")) % {
            "days": data["days"]})
        if data.get("legal_basis"):
            lines.append(str(_("Căn cứ: %(basis)s")) % {"basis": data["legal_basis"]})
    if event.action in _NEW_DATE_EVENTS and data.get("due_after"):
        lines.append(str(_("Ngày hẹn trả mới: %(due)s")) % {"due": _date(data["due_after"])})
    if event.action == Event.SUPPLEMENTED and data.get("due_after") and data.get("due_after") != data.get("due_before"):
        lines.append(str(_("Hạn trả kết quả được lùi đến: %(due)s")) % {"due": _date(data["due_after"])})
    if event.action == Event.PAYMENT_REQUESTED and data.get("amount"):
        lines.append(str(_("Số tiền: %(amount)s")) % {"amount": format_vnd(data["amount"])})
    if event.action == Event.RESULT_RETURNED and data.get("method"):
        lines.append(str(ResultDelivery(data["method"]).label))
        if data.get("postal_tracking_number"):
            lines.append(str(_("Số hiệu bưu gửi: %(number)s")) % {"number": data["postal_tracking_number"]})
    if event.action in _POSTAL_EVENTS and data.get("tracking_number"):
        lines.append(str(_("Số hiệu bưu gửi: %(number)s")) % {"number": data["tracking_number"]})
    if event.action in _POSTAL_EVENTS and data.get("status_label"):
        lines.append(str(data["status_label"]))
    if event.note and (viewer == "staff" or event.action in _PUBLIC_NOTES):
        lines.append(event.note)
    return lines


_POSTAL_EVENTS = {Event.RESULT_POSTED, Event.POSTAL_PROGRESS, Event.POSTAL_DELIVERED, Event.POSTAL_UNDELIVERED}
# Reasons the law says the citizen must be told (refusal, not eligible, apology, stop).
_PUBLIC_NOTES = {
    Event.REFUSED, Event.NOT_ELIGIBLE, Event.APOLOGISED, Event.EXTENDED, Event.STOPPED, Event.STOP_REQUESTED,
    Event.STOP_DECLINED, Event.WITHDRAWN, Event.APPROVED, Event.IN_PERSON_STEP, Event.POSTAL_UNDELIVERED,
}


def actor_label(event: DossierEvent, *, viewer: str = "citizen") -> str:
    """Who acted: staff see names, citizens see roles (officers' names are not published)."""
    role = str(ROLE_LABELS.get(event.actor_role, event.actor_role))
    if viewer == "staff" and event.actor_id:
        return f"{event.actor.full_name} ({role})"
    return role
