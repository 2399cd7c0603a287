"""SMS providers: a small interface, a log provider (default) and a signed HTTP gateway.

Select with settings.SMS_PROVIDER ("log" or "http"); tests may register their own.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings

from portal.lib.emails import PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"
CONNECT_TIMEOUT_SECONDS = 10


class SmsProvider:
    """Send one text message; raise TransientDeliveryError / PermanentDeliveryError on failure."""

    id = "base"

    def send(self, *, to: str, text: str, reference: str) -> str:
        """Returns the provider's message id (or "" when it has none)."""
        raise NotImplementedError


class LogProvider(SmsProvider):
    """Writes messages to the log: for development and deployments without a gateway."""

    id = "log"

    def send(self, *, to: str, text: str, reference: str) -> str:
        # Only the last digits of the number: logs are not a place for personal data.
        logger.info("SMS to ***%s (%s): %s", to[-3:], reference, text)
        return ""


def sign(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the exact request body, hex; the gateway recomputes it to authenticate us."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class HttpProvider(SmsProvider):
    """POSTs {"to", "text", "sender", "reference"} as JSON to SMS_GATEWAY_URL, signed in X-Signature.

    5xx, 429, timeouts and network errors are transient; other 4xx answers are permanent.
    `reference` is also sent as Idempotency-Key so a retried request is not delivered twice.
    """

    id = "http"

    def __init__(self, url: str | None = None, secret: str | None = None, timeout: float = CONNECT_TIMEOUT_SECONDS):
        self.url = url or settings.SMS_GATEWAY_URL
        self.secret = secret if secret is not None else settings.SMS_GATEWAY_SECRET
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> str:
        if not self.url:
            raise PermanentDeliveryError("SMS_GATEWAY_URL is not configured")
        body = json.dumps(
            {"to": to, "text": text, "sender": settings.SMS_SENDER, "reference": reference}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body, self.secret),
            "Idempotency-Key": reference,
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                payload = response.read(65536)
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise TransientDeliveryError(f"gateway answered {exc.code}") from exc
            raise PermanentDeliveryError(f"gateway refused the message: {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            raise TransientDeliveryError(f"gateway unreachable: {exc}") from exc
        try:
            return str(json.loads(payload or b"{}").get("id", ""))
        except (ValueError, AttributeError):
            return ""


PROVIDERS: dict[str, Callable[[], SmsProvider]] = {"log": LogProvider, "http": HttpProvider}


def get_sms_provider() -> SmsProvider:
    try:
        return PROVIDERS[settings.SMS_PROVIDER]()
    except KeyError as exc:
        raise PermanentDeliveryError(f"unknown SMS_PROVIDER {settings.SMS_PROVIDER!r}") from exc
