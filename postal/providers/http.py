"""The public postal operator's order API (JSON over HTTPS), as the portal speaks it.

- Place: ``POST {api}/orders`` with ``Authorization: Bearer <key>``, ``Idempotency-Key: <reference>``
  and ``{"client_ref", "recipient": {"name", "phone", "address"}, "sender": {"name", "address"},
  "weight_grams", "content", "callback_url"}``; ``201`` (new) or ``200`` (that reference already
  placed) with ``{"order_id", "tracking_number", "status"}``; ``4xx`` with ``{"error"}`` refuses it.
- Track: ``GET {api}/orders/<order_id>`` → ``{"order_id", "client_ref", "tracking_number", "status",
  "events": [{"status", "at", "note"}]}``.
- Callback: the operator POSTs ``{"order_id", "client_ref", "tracking_number", "status", "at",
  "note"}`` to our callback URL with ``X-Postal-Signature: sha256=<hex HMAC-SHA256(secret, body)>``
  and expects ``200 {"received": true}``.

Operator statuses: accepted, in_transit, delivered, failed, returned_to_sender; times are ISO 8601
with an offset.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from postal.providers.base import (
    CallbackReply,
    OrderAccepted,
    OrderRequest,
    PostalError,
    PostalProvider,
    PostalRejected,
    TrackingUpdate,
)

STATUSES = ("accepted", "in_transit", "delivered", "failed", "returned_to_sender")
SIGNATURE_HEADER = "X-Postal-Signature"


def callback_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PostalCredentials:
    api_url: str
    api_key: str
    callback_secret: str
    timeout: float = 10.0


class HttpPostalProvider(PostalProvider):
    id = "vnpost"
    name = "Bưu chính công ích (VNPost)"

    def __init__(self, credentials: PostalCredentials) -> None:
        self.credentials = credentials

    @classmethod
    def from_settings(cls) -> HttpPostalProvider:
        if not settings.POSTAL_API_URL or not settings.POSTAL_API_KEY or not settings.POSTAL_CALLBACK_SECRET:
            raise ImproperlyConfigured("POSTAL_API_URL, POSTAL_API_KEY and POSTAL_CALLBACK_SECRET are required.")
        return cls(PostalCredentials(
            api_url=settings.POSTAL_API_URL, api_key=settings.POSTAL_API_KEY,
            callback_secret=settings.POSTAL_CALLBACK_SECRET, timeout=settings.POSTAL_API_TIMEOUT,
        ))

    # --- HTTP ----------------------------------------------------------------------------------

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None,
              idempotency_key: str = "") -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.credentials.api_key}", "Accept": "application/json"}
        data = None
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(self.credentials.api_url.rstrip("/") + path, data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.credentials.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read(65536)
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read(65536)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            raise PostalError(f"postal operator unreachable: {error}") from error
        try:
            body = json.loads(raw.decode() or "{}")
        except (UnicodeDecodeError, ValueError) as error:
            raise PostalError(f"postal operator answered {status} with a body that is not JSON") from error
        if not isinstance(body, dict):
            raise PostalError(f"postal operator answered {status} with unexpected JSON")
        return status, body

    # --- Protocol ------------------------------------------------------------------------------

    def create_order(self, order: OrderRequest) -> OrderAccepted:
        status, body = self._call("POST", "/orders", {
            "client_ref": order.reference,
            "recipient": {"name": order.recipient_name, "phone": order.recipient_phone, "address": order.address},
            "sender": {"name": order.sender_name, "address": order.sender_address},
            "weight_grams": order.weight_grams, "content": order.content, "callback_url": order.callback_url,
        }, idempotency_key=order.reference)
        if status in (400, 404, 409, 422):
            raise PostalRejected(str(body.get("error") or f"HTTP {status}")[:500])
        if status not in (200, 201):
            raise PostalError(f"postal operator answered HTTP {status}")
        order_id, tracking = body.get("order_id"), body.get("tracking_number")
        if not isinstance(order_id, str) or not order_id or not isinstance(tracking, str) or not tracking:
            raise PostalError("postal operator accepted without an order id and tracking number")
        if body.get("client_ref") not in (None, order.reference):
            raise PostalError("postal operator answered for another reference")
        return OrderAccepted(order_id=order_id[:40], tracking_number=tracking[:40])

    def track(self, order_id: str) -> list[TrackingUpdate]:
        status, body = self._call("GET", f"/orders/{urllib.request.quote(order_id, safe='')}")
        if status != 200:
            raise PostalError(f"postal operator answered HTTP {status} to a tracking query")
        events = body.get("events")
        if not isinstance(events, list):
            raise PostalError("postal operator's tracking answer has no events")
        return [self._update({**body, **event}) for event in events if isinstance(event, dict)]

    def parse_callback(self, body: bytes, headers: dict[str, str]) -> TrackingUpdate | None:
        received = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower()) or ""
        expected = callback_signature(self.credentials.callback_secret, body)
        if not hmac.compare_digest(expected.encode(), received.strip().lower().encode()):
            return None
        try:
            message = json.loads(body.decode())
        except (UnicodeDecodeError, ValueError) as error:
            raise PostalError("callback body is not JSON") from error
        if not isinstance(message, dict):
            raise PostalError("callback body is not a JSON object")
        return self._update(message)

    def callback_reply(self, *, accepted: bool) -> CallbackReply:
        if accepted:
            return CallbackReply(json.dumps({"received": True}))
        return CallbackReply(json.dumps({"received": False, "error": "invalid signature"}), status=403)

    @staticmethod
    def _update(message: dict[str, Any]) -> TrackingUpdate:
        status = message.get("status")
        if status not in STATUSES:
            raise PostalError(f"unknown postal status {status!r}")
        try:
            at = datetime.fromisoformat(str(message.get("at")))
        except ValueError as error:
            raise PostalError("postal status without a valid time") from error
        if at.tzinfo is None:
            raise PostalError("postal status time without an offset")
        return TrackingUpdate(
            order_id=str(message.get("order_id") or "")[:40], reference=str(message.get("client_ref") or "")[:40],
            tracking_number=str(message.get("tracking_number") or "")[:40], status=status, at=at,
            note=str(message.get("note") or "")[:500], raw=message,
        )
