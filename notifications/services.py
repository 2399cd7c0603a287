"""The notification outbox: a row per message, written in the same transaction as its cause.

`notification_queue_many` renders the admin-editable templates and writes the rows of one cause
at once (`notification_queue`: a single message); email and SMS rows are published to the
`notifications` queue after commit, a batch of ids per task, in-app rows are delivered by being
written. `notification_deliver` (the task's body) sends one row at most once, retries transient
failures with backoff, and gives up with the reason after MAX_ATTEMPTS. The dedupe_key is unique,
so the same cause never produces a second message on a channel.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
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
from portal.lib.personal_pages import person_pages_changed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600
MAX_BODY_CHARS = 4000
SMS_MAX_CHARS = 480
LANGUAGES = ("vi", "en")
# Email and SMS rows published per task (a commune's officers, a sweep's backlog).
SEND_BATCH_SIZE = 100
# Rows per INSERT: ~16 parameters a row stays far below PostgreSQL's 65,535 (a province's digest may be large).
INSERT_BATCH_SIZE = 1000

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


@dataclass(frozen=True)
class Message:
    """One message to queue: `event`'s wording on `channel` for one recipient (a user for in-app
    rows, an address for email and SMS)."""

    event: str
    channel: str
    dedupe_key: str
    context: dict[str, Any]
    recipient: Any = None
    to_address: str = ""
    language: str = "vi"
    link: str = ""


def notification_queue(
    *, event: str, channel: str, dedupe_key: str, context: dict[str, Any], recipient: Any = None,
    to_address: str = "", language: str = "vi", link: str = "",
    templates: dict[tuple[str, str], NotificationTemplate] | None = None,
) -> Notification | None:
    """Write one outbox row; call inside the transaction of its cause.

    Idempotent by `dedupe_key`. Returns None when there is nowhere to send it (no address) or no
    template for the event and channel (in the language, else in Vietnamese).
    """
    message = Message(event=event, channel=channel, dedupe_key=dedupe_key, context=context, recipient=recipient,
                      to_address=to_address, language=language, link=link)
    rows = notification_queue_many([message], templates={event: templates} if templates is not None else None)
    return rows[0] if rows else None


def notification_queue_many(
    messages: Iterable[Message], *, templates: dict[str, dict[tuple[str, str], NotificationTemplate]] | None = None,
) -> list[Notification]:
    """Write the outbox rows of one cause in a constant number of queries; call inside its transaction.

    A new online dossier tells every one-stop officer of the commune on two channels: one row at a
    time (a savepoint, a SELECT and an INSERT each, then a task per row) made the citizen's submit
    grow with the commune. Here: one SELECT of the rows already written, one INSERT of the others
    (ON CONFLICT DO NOTHING, for a concurrent writer of the same cause), one SELECT of their ids;
    after commit, the new in-app rows' unread counts are forgotten at once and the new email and SMS
    rows go out as one task per SEND_BATCH_SIZE rows. `templates` maps an event to templates_for(event)
    (read here for the events it lacks).

    Idempotent by dedupe_key: a row already written is returned as it is and not published again.
    Returns the row of each message that has somewhere to go and a template that renders, in order.
    """
    templates = dict(templates or {})
    candidates: dict[str, Notification] = {}
    for message in messages:
        row = _build(message, templates)
        if row is not None:
            candidates.setdefault(row.dedupe_key, row)  # the first message of a key wins, as get_or_create's did
    if not candidates:
        return []
    existing = {row.dedupe_key: row for row in Notification.objects.filter(dedupe_key__in=list(candidates))}
    new = [row for key, row in candidates.items() if key not in existing]
    if new:
        Notification.objects.bulk_create(new, batch_size=INSERT_BATCH_SIZE, ignore_conflicts=True)
        # ignore_conflicts leaves the primary keys unset. A row a concurrent transaction committed
        # meanwhile reads back too: its task may then be published twice, which delivery tolerates
        # (the row is locked and sent at most once).
        ids = dict(Notification.objects.filter(dedupe_key__in=[row.dedupe_key for row in new])
                   .values_list("dedupe_key", "pk"))
        new = [row for row in new if row.dedupe_key in ids]
        for row in new:
            row.pk = ids[row.dedupe_key]
            row._state.adding, row._state.db = False, Notification.objects.db
        _publish_on_commit(new)
    return [existing.get(key) or row for key, row in candidates.items() if key in existing or row.pk is not None]


def _build(message: Message, templates: dict[str, dict[tuple[str, str], NotificationTemplate]]) -> Notification | None:
    """The unsaved row of `message`, rendered; None when it has nowhere to go or no usable template."""
    channel = message.channel
    if channel == NotificationChannel.IN_APP and message.recipient is None:
        return None
    if channel != NotificationChannel.IN_APP and not message.to_address:
        return None
    if message.event not in templates:
        templates[message.event] = templates_for(message.event)
    wording = templates[message.event]
    template = wording.get((channel, message.language)) or wording.get((channel, "vi"))
    if template is None:
        return None
    dedupe_key = message.dedupe_key[:200]
    try:
        subject, body = render_template(template, {**message.context, "link": absolute_url(message.link)})
    except TemplateMissing:
        logger.exception("notification template %s is broken; nothing queued for %s", template, dedupe_key)
        return None
    is_in_app = channel == NotificationChannel.IN_APP
    return Notification(
        event=message.event, channel=channel, recipient=message.recipient, to_address=message.to_address,
        language=template.language, context=message.context, subject=subject, body=body, link=message.link,
        dedupe_key=dedupe_key, template_version=template.version,
        state=NotificationState.SENT if is_in_app else NotificationState.PENDING,
        sent_at=timezone.now() if is_in_app else None,
    )


def _publish_on_commit(rows: list[Notification]) -> None:
    """After commit: forget the unread counts of the new in-app rows' recipients (one cache call) and
    publish the new email and SMS rows, SEND_BATCH_SIZE ids per task."""
    from notifications.tasks import notification_send_batch

    readers = sorted({row.recipient_id for row in rows if row.channel == NotificationChannel.IN_APP and row.recipient_id})
    if readers:
        transaction.on_commit(lambda: unread_counts_forget(readers))
    outbox = [row.pk for row in rows if row.channel != NotificationChannel.IN_APP]
    for start in range(0, len(outbox), SEND_BATCH_SIZE):
        dispatch_on_commit(notification_send_batch, outbox[start:start + SEND_BATCH_SIZE])


def notification_send_many(notification_ids: Iterable[int]) -> dict[str, int]:
    """Send the rows of one batch, each on its own as notification_deliver does (its lock, its
    at-most-once check, its retry with backoff); returns how many rows ended in each state."""
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        state = notification_deliver(notification_id=notification_id)
        outcome[state] = outcome.get(state, 0) + 1
    return outcome


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
    from notifications.tasks import notification_send_batch

    now = timezone.now()
    due = Notification.objects.filter(state=NotificationState.PENDING).exclude(channel=NotificationChannel.IN_APP).filter(
        Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=older_than_seconds))
        | Q(next_attempt_at__lte=now)
    )
    ids = list(due.order_by("created_at").values_list("pk", flat=True)[:limit])
    # As many tasks as batches, not rows; returns the rows whose batch reached the broker.
    batches = [ids[start:start + SEND_BATCH_SIZE] for start in range(0, len(ids), SEND_BATCH_SIZE)]
    return sum(len(batch) for batch in batches if publish(notification_send_batch, batch))


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
    unread_counts_forget([user_id])


def unread_counts_forget(user_ids: Iterable[int]) -> None:
    """One cache round trip for every recipient of a batch (a new dossier's officers)."""
    user_ids = list(user_ids)
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])
    person_pages_changed(user_ids)  # the bell on their kept pages


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) in-app notification of `user` read; returns how many changed."""
    unread = inbox_for(user).filter(read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    unread_count_forget(user.pk)
    getattr(user, "cache_read_along", {}).pop(_unread_key(user.pk), None)  # read with the user, now stale
    return changed
