"""Sending one email, and telling a passing SMTP hiccup from a message that can never be delivered.

Callers (the notification outbox) retry `TransientDeliveryError` with backoff and give up at once
on `PermanentDeliveryError`. Links go in the body; files are never attached (attachments
bounce at size limits and copy personal documents into mailboxes we cannot erase).
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


class DeliveryError(Exception):
    """A message could not be delivered."""


class TransientDeliveryError(DeliveryError):
    """Worth retrying later: the server was unreachable, busy or answered 4xx."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help: the address or the message was rejected (5xx)."""


def send_email(*, to: str, subject: str, text: str, html: str | None = None, reference: str = "") -> None:
    """Send one message through Django's email backend (SMTP in production), with a timeout.

    Raises TransientDeliveryError or PermanentDeliveryError; returns None once the server accepted it.
    """
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250], body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers={"X-Portal-Reference": reference} if reference else None,
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", 10)),
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise TransientDeliveryError(f"recipient deferred: {codes}") from exc
        raise PermanentDeliveryError(f"recipient refused: {codes}") from exc
    except smtplib.SMTPResponseException as exc:
        error = TransientDeliveryError if 400 <= exc.smtp_code < 500 else PermanentDeliveryError
        raise error(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(f"{type(exc).__name__}: {exc}") from exc
