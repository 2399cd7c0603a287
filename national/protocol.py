"""The national portal's sync protocol as this portal speaks it (JSON over HTTPS).

Push (us → national), one request per status change:
  ``POST {NATIONAL_PORTAL_URL}/dossiers/sync`` with ``Authorization: Bearer <NATIONAL_PORTAL_TOKEN>``,
  ``Idempotency-Key: <SyncId>`` and ``X-DVCQG-Signature: sha256=<hex HMAC-SHA256(NATIONAL_PORTAL_SECRET, body)>``;
  the body is the dossier as it stood after the change (national field names, see national.payload).
  ``200 {"error_code": "0", "SyncId", "message"}`` accepts it (also for a SyncId already received:
  the receiver keeps one copy); ``4xx {"error_code", "message"}`` refuses it for good (the data is
  wrong: resending it cannot help); anything else (5xx, a timeout, a body that is not that JSON)
  means "try again later".

Inbound (national → us): the national portal POSTs a dossier filed there to
  ``/national/inbound/dossiers`` with ``Authorization: Bearer <NATIONAL_INBOUND_TOKEN>`` and
  ``X-DVCQG-Signature`` over the body with NATIONAL_INBOUND_SECRET (see national.inbound).

Dates are ``yyyyMMddHHmmss`` in Vietnam's time (Asia/Ho_Chi_Minh), as the national sync fields use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

SIGNATURE_HEADER = "X-DVCQG-Signature"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"


def national_date(moment: datetime | None) -> str:
    """yyyyMMddHHmmss in Vietnam's time; "" for a missing date."""
    if moment is None:
        return ""
    return moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_national_date(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(str(text), DATE_FORMAT).replace(tzinfo=VIETNAM)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, given: str | None) -> bool:
    return bool(secret) and bool(given) and hmac.compare_digest(signature(secret, body), str(given))


def bearer_valid(expected: str, header: str | None) -> bool:
    if not expected or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].encode(), expected.encode())


class NationalPortalError(Exception):
    """Not delivered, try later: down, too slow, 5xx, or an answer we cannot read."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class NationalPortalRejected(NationalPortalError):
    """The national portal refused the data (4xx): resending the same data cannot help."""


@dataclass(frozen=True)
class PushAck:
    status: int
    body: str


@dataclass(frozen=True)
class NationalPortalClient:
    url: str
    token: str
    secret: str
    timeout: float

    @classmethod
    def from_settings(cls) -> NationalPortalClient:
        return cls(url=settings.NATIONAL_PORTAL_URL.rstrip("/"), token=settings.NATIONAL_PORTAL_TOKEN,
                   secret=settings.NATIONAL_PORTAL_SECRET, timeout=settings.NATIONAL_PORTAL_TIMEOUT)

    def push(self, payload: dict) -> PushAck:
        """Send one sync record; returns the acknowledgement or raises NationalPortalError /
        NationalPortalRejected (carrying the HTTP status and body received, for the admin)."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        request = urllib.request.Request(self.url + "/dossiers/sync", data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": str(payload["SyncId"]), SIGNATURE_HEADER: signature(self.secret, body),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (URL from settings)
                status, text = response.status, response.read(65536).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            text = error.read(65536).decode("utf-8", "replace") if error.fp else ""
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise NationalPortalRejected(f"refused with HTTP {error.code}", status=error.code, body=text) from error
            raise NationalPortalError(f"HTTP {error.code}", status=error.code, body=text) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            raise NationalPortalError(f"unreachable: {getattr(error, 'reason', error)}") from error
        try:
            answer = json.loads(text)
        except ValueError as error:
            raise NationalPortalError("the answer is not JSON", status=status, body=text[:2000]) from error
        if not isinstance(answer, dict) or str(answer.get("error_code")) != "0" or \
                str(answer.get("SyncId")) != str(payload["SyncId"]):
            raise NationalPortalError("the answer does not acknowledge this sync", status=status, body=text[:2000])
        return PushAck(status=status, body=text[:2000])
