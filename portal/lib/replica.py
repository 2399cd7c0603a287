"""Reads of reports from a PostgreSQL read replica (DATABASE_REPLICA_URL), never the workflow.

Only code that asks for it reads the replica: the views marked with `replica_reads` (the quality
dashboard and its reports, /minh-bach/, the payment report and its export, the tracking book), and
code run inside `reading_from_replica()`. Everything else — every write, the workflow, Celery tasks,
migrations, sessions and sign-in state — stays on the primary ("default").

A streaming replica lags behind the primary by a moment. Someone who has just written (any POST,
PUT, PATCH or DELETE) gets a signed cookie that pins their reads to the primary for
REPLICA_PIN_SECONDS, so a report opened right after an action shows that action (read-after-write).

Without DATABASE_REPLICA_URL there is no replica alias: the router has no opinion on anything,
the decorator does nothing and no cookie is set, exactly as with one database.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

from celery.signals import task_postrun, task_prerun

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "portal_primary_pin"
PIN_SALT = "portal.lib.replica.pin"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Security state is always read where it is written: a lagging replica must never bring back a
# session that was just ended, an unlocked account or a used one-time code.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache", "axes", "otp_totp", "otp_static", "django_otp"})

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def replica_alias() -> str:
    """The replica's database alias, or "" when none is configured."""
    alias = getattr(settings, "DATABASE_REPLICA_ALIAS", "")
    return alias if alias and alias in settings.DATABASES else ""


class ReadReplicaRouter:
    """Reads go to the replica only inside `reading_from_replica()`; writes always to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = replica_alias()
        if not alias:
            return None
        if _reads_from_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return alias
        # Outside a report, even an object that came from the replica reads its relations on the primary.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        # An object read from the replica and then saved is written to the primary, never to the replica.
        return DEFAULT_DB_ALIAS if replica_alias() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        alias = replica_alias()
        if alias and {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, alias}:
            return True  # the same rows on both sides
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # No opinion: `migrate` targets the primary; the replica receives the schema by replication.
        return None


@contextmanager
def reading_from_replica() -> Iterator[str]:
    """Run the block's reads on the replica (when one is configured); yields the alias that answers."""
    alias = replica_alias()
    if not alias:
        yield DEFAULT_DB_ALIAS
        return
    token = _reads_from_replica.set(True)
    try:
        yield alias
    finally:
        _reads_from_replica.reset(token)


# A task run in-process (eager, in development) from inside a report would inherit the report's flag:
# tasks always read the primary, like the workers, whatever queued them.
_task_tokens: dict[str, Token[bool]] = {}


@task_prerun.connect(weak=False)
def _task_reads_primary(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id and _reads_from_replica.get():
        _task_tokens[task_id] = _reads_from_replica.set(False)


@task_postrun.connect(weak=False)
def _task_done(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        _reads_from_replica.reset(token)


def pinned_to_primary(request: HttpRequest) -> bool:
    """Whether this browser wrote within the last REPLICA_PIN_SECONDS (signed, timestamped cookie)."""
    if PIN_COOKIE not in request.COOKIES:
        return False
    value = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS)
    return value is not None


def replica_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a read-only view (a report, an export) whose queries may be answered by the replica.

    Put it innermost, under the access decorators: the user, the session and the second factor are
    checked on the primary before any report query runs."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or pinned_to_primary(request):
            return view(request, *args, **kwargs)
        with reading_from_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaPinMiddleware:
    """After a request that may have written, pin the browser's reads to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS and replica_alias():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_signed_cookie(
                PIN_COOKIE, str(int(time.time())), salt=PIN_SALT, max_age=seconds, httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

