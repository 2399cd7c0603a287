"""Who hears about a petition, written as outbox rows (notifications.services.notification_queue)
in the transaction of the cause; the daily reminder is idempotent per petition, person and day."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from feedback.models import OPEN_PETITION_STATES, Petition
from notifications.models import Notification, NotificationChannel
from notifications.services import notification_queue, templates_for
from workdays.services import add_working_days


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def petition_context(petition: Petition) -> dict:
    """The facts every petition template may use: the code and title, never the secret."""
    return {
        "petition_code": petition.code, "petition_title": petition.title[:200], "agency_name": petition.agency.name,
        "due": _moment(petition.due_at), "status": petition.get_status_display(),
    }


def _to_sender(petition: Petition, event: str, source: str) -> int:
    owner = petition.submitted_by
    language = owner.preferred_language if owner else "vi"
    context = {**petition_context(petition), "recipient_name": petition.sender_name}
    link = reverse("feedback:track")
    templates = templates_for(event)
    written = 0
    for channel, address, present in (
        (NotificationChannel.EMAIL, petition.sender_email, petition.sender_email),
        (NotificationChannel.SMS, petition.sender_phone, petition.sender_phone),
        (NotificationChannel.IN_APP, "", owner),
    ):
        if not present:
            continue
        who = f"user:{owner.pk}" if channel == NotificationChannel.IN_APP else (
            "addr:" + hashlib.sha256(address.encode()).hexdigest()[:16])
        row = notification_queue(
            event=event, channel=channel, dedupe_key=f"{source}:{event}:{channel}:{who}", context=context,
            recipient=owner if channel == NotificationChannel.IN_APP else None, to_address=address,
            language=language, link=link, templates=templates,
        )
        written += row is not None
    return written


def _to_staff(users: list[User], event: str, source: str, context: dict, link: str) -> int:
    templates = templates_for(event)
    written = 0
    for user in users:
        channels = (NotificationChannel.IN_APP, NotificationChannel.EMAIL) if user.email else (NotificationChannel.IN_APP,)
        for channel in channels:
            row = notification_queue(
                event=event, channel=channel, dedupe_key=f"{source}:{event}:{channel}:user:{user.pk}",
                context={**context, "recipient_name": user.full_name}, recipient=user,
                to_address=user.email if channel == NotificationChannel.EMAIL else "",
                language=user.preferred_language, link=link, templates=templates,
            )
            written += row is not None
    return written


def _staff_link(petition: Petition) -> str:
    return reverse("feedback:officer-petition", args=[petition.code])


def _managers(petition: Petition) -> list[User]:
    return list(User.objects.filter(agency_id=petition.agency_id, role__in=(Role.OFFICER, Role.LEADER),
                                    is_active=True).order_by("pk"))


def petition_received(petition: Petition) -> None:
    _to_sender(petition, "petition_received", f"petition:{petition.pk}")
    _to_staff(_managers(petition), "staff_petition_new", f"petition:{petition.pk}", petition_context(petition),
              _staff_link(petition))


def petition_assigned(petition: Petition) -> None:
    source = f"petition:{petition.pk}:assigned:{petition.assigned_to_id}"
    _to_staff([petition.assigned_to], "staff_petition_assigned", source, petition_context(petition),
              _staff_link(petition))


def petition_answered(petition: Petition) -> None:
    _to_sender(petition, "petition_answered", f"petition:{petition.pk}:closed")


def petition_reminders_send(*, now: datetime | None = None) -> int:
    """Beat, every working morning: remind whoever handles each open petition that is due within
    FEEDBACK_REMINDER_WORKING_DAYS working days or overdue (the assignee, else the agency's officers
    and leaders). Idempotent per petition, person and day: a second run the same day writes nothing.
    Returns the number of new outbox rows."""
    now = now or timezone.now()
    reminders = Notification.objects.filter(event="staff_petition_reminder")
    before = reminders.count()
    today = timezone.localdate(now)
    horizon = add_working_days(today, settings.FEEDBACK_REMINDER_WORKING_DAYS)
    limit = timezone.make_aware(datetime.combine(horizon + timedelta(days=1), datetime.min.time()))
    petitions = (Petition.objects.filter(status__in=OPEN_PETITION_STATES, due_at__lt=limit)
                 .select_related("agency", "assigned_to").order_by("due_at"))
    managers_by_agency: dict[int, list[User]] = {}
    for petition in petitions:
        if petition.assigned_to_id:
            handlers = [petition.assigned_to]
        else:
            if petition.agency_id not in managers_by_agency:
                managers_by_agency[petition.agency_id] = _managers(petition)
            handlers = managers_by_agency[petition.agency_id]
        context = {**petition_context(petition), "overdue": petition.due_at < now}
        _to_staff(handlers, "staff_petition_reminder", f"petition-reminder:{petition.pk}:{today:%Y%m%d}",
                  context, _staff_link(petition))
    return reminders.count() - before

