"""The operator side of the public-post order API, written independently of the portal's client
(so the two check each other): accept an order once per client reference, answer tracking queries,
and report each step to the merchant's callback URL, signed with HMAC-SHA256 over the body.

Credentials come from the SANDBOX_POSTAL_* settings the portal's sandbox provider uses too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.models import SandboxParcel

logger = logging.getLogger(__name__)

REPORTS = ("in_transit", "delivered", "failed", "returned_to_sender")
FINAL = ("delivered", "failed", "returned_to_sender")


def _now_iso() -> str:
    return timezone.localtime(timezone.now()).isoformat(timespec="seconds")


def parcel_json(parcel: SandboxParcel) -> dict[str, Any]:
    return {"order_id": parcel.order_id, "client_ref": parcel.client_ref, "tracking_number": parcel.tracking_number,
            "status": parcel.status, "events": parcel.events}


def order_accept(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON) for an order request: 201 new, 200 the same reference again, 422 refused."""
    client_ref = body.get("client_ref")
    recipient = body.get("recipient")
    if not isinstance(client_ref, str) or not client_ref or not isinstance(recipient, dict):
        return 422, {"error": "client_ref and recipient are required"}
    existing = SandboxParcel.objects.filter(client_ref=client_ref).first()
    if existing is not None:
        return 200, parcel_json(existing)
    address = str(recipient.get("address") or "")
    if len(address) < 10 or not str(recipient.get("phone") or "").strip():
        return 422, {"error": "Địa chỉ hoặc số điện thoại người nhận không hợp lệ"}
    try:
        with transaction.atomic():
            parcel = SandboxParcel.objects.create(
                client_ref=client_ref, order_id="SB" + secrets.token_hex(6).upper(),
                tracking_number="RR" + str(secrets.randbelow(10**9)).zfill(9) + "VN",
                recipient=recipient, weight_grams=int(body.get("weight_grams") or 0),
                callback_url=str(body.get("callback_url") or "")[:500],
                events=[{"status": "accepted", "at": _now_iso(), "note": ""}],
            )
    except IntegrityError:  # the same reference, placed by a concurrent request
        return 200, parcel_json(SandboxParcel.objects.get(client_ref=client_ref))
    return 201, parcel_json(parcel)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def report(parcel: SandboxParcel, status: str, note: str, secret: str) -> int | None:
    """Record a step and tell the merchant over HTTP; the merchant's HTTP status, or None if unreachable
    (a real operator would retry; the merchant's beat job asks us anyway)."""
    event = {"status": status, "at": _now_iso(), "note": note[:300]}
    parcel.events = [*parcel.events, event]
    parcel.status = status
    parcel.save(update_fields=["events", "status"])
    return callback_send(parcel, event, secret)


def callback_send(parcel: SandboxParcel, event: dict[str, Any], secret: str) -> int | None:
    body = json.dumps({"order_id": parcel.order_id, "client_ref": parcel.client_ref,
                       "tracking_number": parcel.tracking_number, **event}, ensure_ascii=False).encode()
    request = urllib.request.Request(parcel.callback_url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Postal-Signature": sign(secret, body)})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError) as error:
        logger.warning("sandbox post: callback to %s failed: %s", parcel.callback_url, error)
        return None
