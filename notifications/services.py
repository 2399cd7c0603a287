"""The notification outbox: a row per message, written in the same transaction as its cause.

`notification_queue` renders the admin-editable template and writes the row; email and SMS rows
are published to the `notifications` queue after commit, in-app rows are delivered by being
written. `notification_deliver` (the task's body) sends one row at most once, retries transient
failures with backoff, and gives up with the reason after MAX_ATTEMPTS. The dedupe_key is unique,
so the same cause never produces a second message on a channel.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone

from notifications.defaults import default_templates
from notifications.models import Notification, NotificationChannel, NotificationState, NotificationTemplate
from notifications.providers import get_sms_provider
from portal.lib.dispatch import dispatch_on_commit, publish
from portal.lib.emails import PermanentDeliveryError, send_email

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600
MAX_BODY_CHARS = 4000
SMS_MAX_CHARS = 480
LANGUAGES = ("vi", "en")

# Plain-text rendering: subjects, emails and SMS are not HTML (the inbox escapes on display).
_engine = Engine(autoescape=False, builtins=["portal.templatetags.portal_extras"])


class TemplateMissing(Exception):
    pass


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    """A template compiled once per process: one change of a dossier renders the same event's wording
    for every recipient (a new online dossier: the applicant and each one-stop officer, per channel).
    Keyed by the text itself, so an admin's edit is a new entry, never a stale one."""
    return _engine.from_string(source)


def templates_for(event: str) -> dict[tuple[str, str], NotificationTemplate]:
    """Every template of `event`, by (channel, language), in one query; the built-in wording stands
    in for rows that do not exist. A row an admin switched off (is_active=False) stays off."""
    rows = {(row.channel, row.language): row for row in NotificationTemplate.objects.filter(event=event)}
    for default_event, channel, language, subject, body in default_templates():
        if default_event == event and (channel, language) not in rows:
            rows[(channel, language)] = NotificationTemplate(
                event=event, channel=channel, language=language, subject=subject, body=body, version=0,
            )
    return {key: row for key, row in rows.items() if row.is_active}


def render_template(template: NotificationTemplate, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of `template` with `context`; a broken admin edit raises TemplateMissing."""
    data = {"portal_name": settings.PORTAL_NAME, "site_url": settings.SITE_URL, **context}
    try:
        # autoescape on the Context too: Template.render() takes it from the Context it is given,
        # not from the Engine, and a plain Context() escapes (`"` would arrive as `&quot;`).
        subject = (
            _compiled(template.subject).render(Context(data, autoescape=False)) if template.subject else ""
        )
        body = _compiled(template.body).render(Context(data, autoescape=False))
    except (TemplateSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise TemplateMissing(f"template {template} does not render: {exc}") from exc
    subject = " ".join(subject.split())[:255]
    body = body.strip()
    limit = SMS_MAX_CHARS if template.channel == NotificationChannel.SMS else MAX_BODY_CHARS
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    return subject, body


def notification_queue(
    *, event: str, channel: str, dedupe_key: str, context: dict[str, Any], recipient: Any = None,
    to_address: str = "", language: str = "vi", link: str = "",
    templates: dict[tuple[str, str], NotificationTemplate] | None = None,
) -> Notification | None:
    """Write one outbox row; call inside the transaction of its cause.

    Idempotent by `dedupe_key`. Returns None when there is nowhere to send it (no address) or no
    template for the event and channel (in the language, else in Vietnamese).
    """
    if channel == NotificationChannel.IN_APP and recipient is None:
        return None
    if channel != NotificationChannel.IN_APP and not to_address:
        return None
    templates = templates if templates is not None else templates_for(event)
    template = templates.get((channel, language)) or templates.get((channel, "vi"))
    if template is None:
        return None
    try:
        subject, body = render_template(template, {**context, "link": absolute_url(link)})
    except TemplateMissing:
        logger.exception("notification template %s is broken; nothing queued for %s", template, dedupe_key)
        return None
    is_in_app = channel == NotificationChannel.IN_APP
    now = timezone.now()
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key[:200],
        defaults={
            "event": event, "channel": channel, "recipient": recipient, "to_address": to_address,
            "language": template.language, "context": context, "subject": subject, "body": body, "link": link,
            "template_version": template.version,
            "state": NotificationState.SENT if is_in_app else NotificationState.PENDING,
            "sent_at": now if is_in_app else None,
        },
    )
    if created and is_in_app:
        recipient_id = recipient.pk
        transaction.on_commit(lambda: unread_count_forget(recipient_id))
    elif created:
        from notifications.tasks import notification_send

        dispatch_on_commit(notification_send, notification.pk)
    return notification


def absolute_url(link: str) -> str:
    """Emails and SMS need the full address; the in-app inbox keeps the site-relative path."""
    return settings.SITE_URL + link if link.startswith("/") else link


def backoff_seconds(attempts: int) -> int:
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def _deliver(notification: Notification) -> None:
    if notification.channel == NotificationChannel.EMAIL:
        link = absolute_url(notification.link)
        text = notification.body + (f"\n\n{link}" if link and link not in notification.body else "")
        send_email(to=notification.to_address, subject=notification.subject, text=text,
                   reference=notification.dedupe_key)
    elif notification.channel == NotificationChannel.SMS:
        get_sms_provider().send(to=notification.to_address, text=notification.body, reference=notification.dedupe_key)
    else:
        raise PermanentDeliveryError(f"channel {notification.channel!r} is not sent through the outbox")


def notification_deliver(*, notification_id: int) -> str:
    """Send one pending notification. Idempotent: a sent or failed row is never sent again, and a
    row being sent by another worker (locked) is skipped. Returns the state afterwards."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update(skip_locked=True).filter(pk=notification_id).first()
        if notification is None:
            return "locked"
        if notification.state != NotificationState.PENDING:
            return notification.state
        now = timezone.now()
        if notification.next_attempt_at and notification.next_attempt_at > now:
            return "waiting"
        notification.attempts += 1
        try:
            _deliver(notification)
        except PermanentDeliveryError as exc:
            _mark(notification, NotificationState.FAILED, str(exc))
        except Exception as exc:  # TransientDeliveryError, and unknown errors: retried, boundedly
            if notification.attempts >= MAX_ATTEMPTS:
                _mark(notification, NotificationState.FAILED, f"{exc} (gave up after {notification.attempts} attempts)")
            else:
                delay = backoff_seconds(notification.attempts)
                notification.next_attempt_at = now + timedelta(seconds=delay)
                _mark(notification, NotificationState.PENDING, str(exc))
                from notifications.tasks import notification_send

                dispatch_on_commit(notification_send, notification.pk, countdown=delay)
        else:
            notification.sent_at = now
            _mark(notification, NotificationState.SENT, "")
        return notification.state


def _mark(notification: Notification, state: str, error: str) -> None:
    notification.state = state
    notification.last_error = error[:2000]
    notification.save(update_fields=["state", "last_error", "attempts", "next_attempt_at", "sent_at"])
    if state == NotificationState.FAILED:
        logger.warning("notification %s failed: %s", notification.pk, error)


def outbox_sweep_run(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """Publish again the rows whose task was lost (broker down) or whose retry time has come."""
    from notifications.tasks import notification_send

    now = timezone.now()
    due = Notification.objects.filter(state=NotificationState.PENDING).exclude(channel=NotificationChannel.IN_APP).filter(
        Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=older_than_seconds))
        | Q(next_attempt_at__lte=now)
    )
    ids = list(due.order_by("created_at").values_list("pk", flat=True)[:limit])
    published = sum(1 for pk in ids if publish(notification_send, pk))
    return published


# --- In-app inbox ---------------------------------------------------------------------------------


def inbox_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP)


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: Any) -> int:
    """The bell's number; cached so that pages do not pay a query each time (and usually read in the
    same round trip as the signed-in user, accounts.backends.USER_READ_ALONG)."""
    key = _unread_key(user.pk)
    count = getattr(user, "cache_read_along", {}).get(key)
    if count is None:
        count = cache.get(key)
    if count is None:
        count = inbox_for(user).filter(read_at__isnull=True).count()
        cache.set(key, count, 300)
    return count


def unread_count_forget(user_id: int) -> None:
    cache.delete(_unread_key(user_id))


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) in-app notification of `user` read; returns how many changed."""
    unread = inbox_for(user).filter(read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    unread_count_forget(user.pk)
    getattr(user, "cache_read_along", {}).pop(_unread_key(user.pk), None)  # read with the user, now stale
    return changed
