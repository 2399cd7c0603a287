"""The request id of the work in progress (a web request or a Celery task started by one)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# Accepted from X-Request-ID: a proxy's id (letters, digits, dashes, dots, underscores), nothing a
# client could use to inject text into a log line.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(header: str | None) -> str:
    """The caller's id when well-formed, else a fresh one."""
    if header and REQUEST_ID_PATTERN.match(header):
        return header
    return new_request_id()
