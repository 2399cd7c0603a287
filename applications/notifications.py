"""Who hears about what happens to a dossier, on which channel, in which language.

`dossier_notify` is called by every workflow transition inside its transaction; it only writes
outbox rows (notifications.services.notification_queue_many), which are sent after commit. The daily
`deadline_digest_send` tells staff what is due soon or overdue and reminds the processing unit
on the last day an apology is still allowed (Mẫu 04: no later than one working day before the deadline).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.deadlines import apology_last_day, clock_running, due_soon_limit, local_date
from applications.models import Channel, Dossier, DossierEvent, Event, ResultDelivery
from notifications.models import NotificationChannel
from notifications.services import Message, absolute_url, notification_queue_many, templates_for
from portal.lib.signed_links import signed_link_token

CITIZEN = "citizen"
OFFICERS = "officers"
ASSIGNEE = "assignee"
LEADERS = "leaders"
HANDLERS = "handlers"  # the assigned specialist, else the agency's officers

# workflow event → [(audience, template event)]
ROUTES: dict[str, list[tuple[str, str]]] = {
    Event.SUBMITTED: [(CITIZEN, "submitted"), (OFFICERS, "staff_new_dossier")],
    Event.WITHDRAWN: [(CITIZEN, "withdrawn")],
    Event.RECEIVED: [(CITIZEN, "received")],
    Event.COMPLETION_REQUESTED: [(CITIZEN, "completion_requested")],
    Event.REFUSED: [(CITIZEN, "refused")],
    Event.TRANSFERRED: [(ASSIGNEE, "staff_assigned")],
    Event.SUPPLEMENT_REQUESTED: [(CITIZEN, "supplement_requested")],
    Event.SUPPLEMENTED: [(HANDLERS, "staff_supplemented")],
    Event.PAYMENT_REQUESTED: [(CITIZEN, "payment_requested")],
    Event.PAYMENT_CONFIRMED: [(CITIZEN, "payment_confirmed"), (HANDLERS, "staff_payment_confirmed")],
    Event.SUBMITTED_FOR_APPROVAL: [(LEADERS, "staff_approval_requested")],
    Event.SENT_BACK: [(ASSIGNEE, "staff_sent_back")],
    Event.APPROVED: [(CITIZEN, "approved")],
    Event.NOT_ELIGIBLE: [(CITIZEN, "not_eligible")],
    Event.EXTENDED: [(CITIZEN, "extended")],
    Event.APOLOGISED: [(CITIZEN, "apologised")],
    # The leader decides on a stop request; the citizen hears the decision either way.
    Event.STOP_REQUESTED: [(LEADERS, "staff_stop_requested")],
    Event.STOP_DECLINED: [(CITIZEN, "stop_declined")],
    Event.STOPPED: [(CITIZEN, "stopped")],
    Event.RESULT_RETURNED: [(CITIZEN, "result_returned")],
    Event.RESULT_POSTED: [(CITIZEN, "result_posted")],
    Event.POSTAL_DELIVERED: [(CITIZEN, "postal_delivered")],
    Event.POSTAL_UNDELIVERED: [(CITIZEN, "postal_undelivered"), (OFFICERS, "staff_postal_undelivered")],
    # Not workflow events: a quarantined file found infected by the rescan and removed (applications.malware).
    "attachment_infected": [(CITIZEN, "attachment_infected"), (HANDLERS, "staff_attachment_infected")],
    "attachment_infected_draft": [(CITIZEN, "attachment_infected")],
}
# The routes above that are notices about a file, not lifecycle events of the dossier.
FILE_NOTICES = frozenset({"attachment_infected", "attachment_infected_draft"})
STAFF_TEMPLATE_EVENTS = ("deadline_digest", "apology_reminder")
# The events that hand the result over: their message carries the satisfaction rating link.
RESULT_HANDED_OVER = (Event.RESULT_RETURNED, Event.POSTAL_DELIVERED)
RATING_LINK_PURPOSE = "rating"
# Every template event the portal sends; the seed migration covers each of them.
TEMPLATE_EVENTS = sorted({template for routes in ROUTES.values() for _a, template in routes} | set(STAFF_TEMPLATE_EVENTS))


@dataclass(frozen=True)
class Recipient:
    user: User | None
    name: str
    email: str
    phone: str
    language: str
    channels: tuple[str, ...]


def _first_url(names: Iterable[str], *args: Any) -> str:
    """A site-relative path (the outbox makes it absolute for emails and SMS)."""
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/"


def citizen_link(dossier: Dossier) -> str:
    return _first_url(["applications:dossier"], dossier.code) if dossier.code else "/"


def staff_link(dossier: Dossier) -> str:
    return _first_url(["applications:officer-dossier"], dossier.code) if dossier.code else _first_url(
        ["applications:officer-home"])


def rating_link(dossier: Dossier) -> str:
    """The signed link to the satisfaction rating page (the feedback app's "feedback:rate"), which
    opens without signing in; "" when that page is not installed."""
    if not dossier.code:
        return ""
    path = _first_url(["feedback:rate"], signed_link_token(RATING_LINK_PURPOSE, dossier.code))
    return absolute_url(path) if path != "/" else ""


def _citizen(dossier: Dossier) -> list[Recipient]:
    owner = dossier.owner
    email = dossier.applicant_email or (owner.email if owner else "") or ""
    phone = dossier.applicant_phone or (owner.phone if owner else "") or ""
    language = owner.preferred_language if owner else "vi"
    channels = tuple(
        channel for channel, present in (
            (NotificationChannel.EMAIL, email), (NotificationChannel.SMS, phone), (NotificationChannel.IN_APP, owner),
        ) if present
    )
    return [Recipient(owner, dossier.applicant_name or (owner.full_name if owner else ""), email, phone, language,
                      channels)]


RECIPIENT_FIELDS = ("pk", "full_name", "email", "preferred_language")


def _staff(users: Iterable[User]) -> list[Recipient]:
    return [
        Recipient(user, user.full_name, user.email or "", "", user.preferred_language,
                  (NotificationChannel.IN_APP, NotificationChannel.EMAIL) if user.email else (NotificationChannel.IN_APP,))
        for user in users
    ]


def agency_staff(dossier: Dossier, *roles: str) -> QuerySet[User]:
    # What a Recipient reads (_staff), not the whole account row, for each of a commune's officers.
    return (User.objects.filter(agency_id=dossier.agency_id, role__in=roles, is_active=True)
            .only(*RECIPIENT_FIELDS).order_by("pk"))


def _audience(dossier: Dossier, audience: str, event: str) -> list[Recipient]:
    if audience == CITIZEN:
        return _citizen(dossier)
    if audience == OFFICERS:
        # Only online dossiers land unannounced in the queue; at the counter the officer is there.
        if event == Event.SUBMITTED and dossier.channel not in (Channel.ONLINE, Channel.NATIONAL):
            return []
        return _staff(agency_staff(dossier, Role.OFFICER))
    if audience == LEADERS:
        return _staff(agency_staff(dossier, Role.LEADER))
    if audience == ASSIGNEE:
        return _staff([dossier.assigned_to] if dossier.assigned_to_id else [])
    if audience == HANDLERS:
        return _staff([dossier.assigned_to] if dossier.assigned_to_id else agency_staff(dossier, Role.OFFICER))
    return []


def _moment(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def dossier_context(dossier: Dossier, dossier_event: DossierEvent | None, extra: dict[str, Any]) -> dict[str, Any]:
    """The facts every template may use (JSON-safe; no ID numbers)."""
    data = dict(dossier_event.data or {}) if dossier_event else {}
    note = dossier_event.note if dossier_event else ""
    online_result = dossier.result_delivery == ResultDelivery.ONLINE
    context = {
        "dossier_code": dossier.code or "",
        "procedure_name": dossier.procedure_version.name,
        "agency_name": dossier.agency.name,
        "applicant_name": dossier.applicant_name,
        "status": dossier.get_status_display(),
        "received_at": _moment(dossier.received_at),
        "appointment": _moment(dossier.due_current),
        "items": [str(item) for item in data.get("items", [])][:30],
        "reason": str(data.get("reason") or note)[:1000],
        "note": note[:1000],
        "amount": data.get("amount") or dossier.fee_amount or 0,
        "new_date": _moment(data.get("due_after") or dossier.due_current),
        "return_method": data.get("method", ""),
        "tracking_number": dossier.postal_tracking_number,
        "result_delivery_note": (
            "Bạn có thể tải kết quả điện tử trên cổng." if online_result
            else "Mời bạn nhận kết quả theo hình thức đã đăng ký."
        ),
        "result_delivery_note_en": (
            "You can download the e-result on the portal." if online_result
            else "Please collect it as you chose when filing."
        ),
    }
    context.update(extra)
    return context


def _recipient_key(recipient: Recipient, channel: str) -> str:
    if recipient.user is not None:
        return f"user:{recipient.user.pk}"
    address = recipient.email if channel == NotificationChannel.EMAIL else recipient.phone
    return "addr:" + hashlib.sha256(address.encode()).hexdigest()[:16]


def dossier_notify(dossier: Dossier, event: str, dossier_event: DossierEvent | None = None, **extra: Any) -> None:
    """Queue the notifications for `event` (e.g. "received"); call inside the transaction of its cause.

    Idempotent per cause: the dedupe key is the DossierEvent (or `key=` for causes without one),
    the template event, the channel and the recipient.
    """
    routes = ROUTES.get(event)
    if not routes:
        return
    source = extra.pop("key", None) or (f"event:{dossier_event.pk}" if dossier_event else f"{event}:{dossier.pk}:{dossier.version}")
    context = dossier_context(dossier, dossier_event, extra)
    if event in RESULT_HANDED_OVER:
        context["rating_link"] = rating_link(dossier)
    messages: list[Message] = []
    for audience, template_event in routes:
        recipients = _audience(dossier, audience, event)
        if not recipients:
            continue
        link = citizen_link(dossier) if audience == CITIZEN else staff_link(dossier)
        for recipient in recipients:
            messages += _messages_for(recipient, template_event, f"{source}:{template_event}",
                                      {**context, "recipient_name": recipient.name}, link)
    # Every audience's rows in one batch: a new online dossier costs the same queries whatever the
    # number of one-stop officers it announces itself to.
    notification_queue_many(messages)


def _messages_for(recipient: Recipient, template_event: str, source: str, context: dict[str, Any],
                  link: str) -> list[Message]:
    return [
        Message(
            event=template_event, channel=channel, dedupe_key=f"{source}:{channel}:{_recipient_key(recipient, channel)}",
            context=context, recipient=recipient.user,
            to_address={NotificationChannel.EMAIL: recipient.email, NotificationChannel.SMS: recipient.phone}.get(channel, ""),
            language=recipient.language, link=link,
        )
        for channel in recipient.channels
    ]


# --- Daily deadline digest -------------------------------------------------------------------------


def _row(dossier: Dossier) -> dict[str, str]:
    return {"code": dossier.code or "", "procedure": dossier.procedure_version.name, "due": _moment(dossier.due_current)}


def deadline_digest_send(*, now: Any = None) -> int:
    """Tell staff what is due within one working day and what is overdue; remind the processing
    unit on the last day an apology may be sent. Idempotent per day. Returns rows written."""
    now = now or timezone.now()
    today = local_date(now)
    dossiers = list(
        Dossier.objects.filter(clock_running(), due_current__isnull=False, due_current__lte=due_soon_limit(now))
        .select_related("procedure_version", "agency", "assigned_to")
        .order_by("agency_id", "due_current")
    )
    written = 0
    by_agency: dict[int, list[Dossier]] = defaultdict(list)
    for dossier in dossiers:
        by_agency[dossier.agency_id].append(dossier)
    digest_templates = templates_for("deadline_digest")
    for group in by_agency.values():
        written += _digest_for_agency(group, now, today, digest_templates)
    written += _apology_reminders(now, today)
    return written


def _digest_for_agency(group: list[Dossier], now: Any, today: Any, templates: dict) -> int:
    agency = group[0].agency
    context = {
        "agency_name": agency.name, "today": f"{today:%d/%m/%Y}",
        "due_soon": [_row(d) for d in group if d.due_current >= now][:50],
        "overdue": [_row(d) for d in group if d.due_current < now][:50],
    }
    managers = _staff(User.objects.filter(agency_id=agency.pk, role__in=(Role.OFFICER, Role.LEADER), is_active=True)
                      .only(*RECIPIENT_FIELDS))
    messages: list[Message] = []
    for recipient in managers:
        messages += _digest_messages(recipient, f"digest:{today:%Y%m%d}", context)
    # Specialists hear about their own dossiers only.
    assigned: dict[int, list[Dossier]] = defaultdict(list)
    for dossier in group:
        if dossier.assigned_to_id and dossier.assigned_to.role == Role.SPECIALIST:
            assigned[dossier.assigned_to_id].append(dossier)
    for dossiers in assigned.values():
        own = {**context, "due_soon": [_row(d) for d in dossiers if d.due_current >= now],
               "overdue": [_row(d) for d in dossiers if d.due_current < now]}
        messages += _digest_messages(_staff([dossiers[0].assigned_to])[0], f"digest:{today:%Y%m%d}", own)
    return len(notification_queue_many(messages, templates={"deadline_digest": templates}))


def _digest_messages(recipient: Recipient, source: str, context: dict) -> list[Message]:
    link = _first_url(["applications:officer-home"])
    return [
        Message(
            event="deadline_digest", channel=channel, context={**context, "recipient_name": recipient.name},
            dedupe_key=f"{source}:{channel}:user:{recipient.user.pk}", recipient=recipient.user,
            to_address=recipient.email if channel == NotificationChannel.EMAIL else "",
            language=recipient.language, link=link,
        )
        for channel in recipient.channels
    ]


def _apology_reminders(now: Any, today: Any) -> int:
    """Open dossiers whose last apology day is today and that have not apologised yet."""
    candidates = (
        Dossier.objects.filter(clock_running(), due_current__gt=now, apology__isnull=True)
        .filter(due_current__lte=now + timedelta(days=15))
        .select_related("procedure_version", "agency", "assigned_to")
    )
    messages: list[Message] = []
    for dossier in candidates:
        if apology_last_day(dossier.due_current) != today:
            continue
        handlers = [dossier.assigned_to] if dossier.assigned_to_id else list(agency_staff(dossier, Role.SPECIALIST, Role.LEADER))
        context = dossier_context(dossier, None, {})
        link = staff_link(dossier)
        messages += [
            Message(
                event="apology_reminder", channel=channel, context={**context, "recipient_name": recipient.name},
                dedupe_key=f"apology-reminder:{dossier.pk}:{today:%Y%m%d}:{channel}:user:{recipient.user.pk}",
                recipient=recipient.user, to_address=recipient.email if channel == NotificationChannel.EMAIL else "",
                language=recipient.language, link=link,
            )
            for recipient in _staff(handlers) for channel in recipient.channels
        ]
    return len(notification_queue_many(messages))
