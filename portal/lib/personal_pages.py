"""Signed-in pages served again from Redis while nothing they show has changed.

A citizen refreshing their dossier, an officer going back to the queue between dossiers: most
signed-in page views show exactly what the previous view of the same page showed, and yet each one
loads the session, the user, the second factor's device, runs the queries and renders the template.
Views decorated with `@personal_page(...)` name what their page depends on as version keys in the
cache; `PersonalPageMiddleware`, placed before the session middleware, stores the finished page and
serves it again while every one of those keys still holds the value it had when the page was built.

What makes a stored page wrong, and what stops it being served:
- another person: the key holds the session key and the CSRF cookie, so a page is only ever served to
  the browser session that it was rendered for;
- the session ended, changed hands or was signed out: the session's cached copy (portal/lib/sessions.py)
  is read in the same round trip as the page; it must exist, belong to the same user with the same
  password hash, and hold no flash message waiting to be shown. For staff it must hold the same
  verified device and need no idle-time write (accounts.two_factor.session_current_for_staff);
- the person changed (role, agency, deactivation, password, a device, a new notification for the bell,
  any POST they make): `person_pages_changed` drops their version key;
- what the page shows changed: each view names its scopes (the catalogue generation, the dossier,
  the citizen's dossiers, the officer's agencies) and the writes bump them (applications/apps.py);
- anything else (the clock: a dossier turning overdue, a write that bypasses the models' signals):
  an entry lives PERSONAL_PAGE_SECONDS at most.

Pages are stored encrypted (AES-GCM, a key derived from SECRET_KEY): they hold names, addresses and
identification numbers, which otherwise never reach Redis (accounts.backends defers the ID number).
A page whose view has a duty on every view (the officer's dossier page logs each access to personal
data) names an `on_hit` hook, which runs when the stored page is served; if it fails the request takes
the normal path.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from typing import Any

import django_otp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse

# Longer paths are never kept: real pages' query strings are short, and random long ones must not fill Redis.
MAX_CACHED_PATH = 512
# What a session needs for its pages to be served again: flash messages wait in the session.
MESSAGES_SESSION_KEY = "_messages"
_NOT_STORED = {"set-cookie", "x-request-id", "content-length"}
RESPONSE_ATTRIBUTE = "personal_page"

# Functions (request, view kwargs) -> version keys, or None when this request's page is not kept.
Scope = Callable[[HttpRequest, dict[str, Any]], Iterable[str] | None]
# name -> function(user_id, *args): run when a stored page is served (see on_hit).
ON_HIT: dict[str, Callable[..., None]] = {}


def seconds() -> int:
    return int(getattr(settings, "PERSONAL_PAGE_SECONDS", 0))


def person_key(user_id: Any) -> str:
    return f"pp:person:{user_id}"


def person_pages_changed(user_ids: Iterable[Any]) -> None:
    """Every stored page of these people is built again: now, and after the commit (a page built in
    between would have read the old rows and stamped them with the new version)."""
    keys = [person_key(pk) for pk in user_ids]
    versions_changed(keys)


def versions_changed(keys: list[str]) -> None:
    if not keys or not seconds():
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def personal_page(*scopes: Scope, on_hit: str = "", hit_args: Callable[[HttpRequest, dict], tuple] | None = None):
    """Let PersonalPageMiddleware keep this view's pages (see the module docstring).

    The versions are read before the view runs, so a write during the rendering leaves a stamp older
    than the page: the next request builds it again rather than keeping stale data.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (seconds() and request.method == "GET" and request.user.is_authenticated):
                return view(request, *args, **kwargs)
            keys = [person_key(request.user.pk)]
            for scope in scopes:
                scoped = scope(request, kwargs)
                if scoped is None:
                    return view(request, *args, **kwargs)
                keys.extend(scoped)
            stamp = _versions(keys)
            response = view(request, *args, **kwargs)
            if None in stamp:
                # Redis did not answer for a version: a dropped key would later read as this same None.
                return response
            setattr(response, RESPONSE_ATTRIBUTE, {
                "keys": keys, "stamp": stamp, "on_hit": on_hit,
                "hit_args": hit_args(request, kwargs) if hit_args else (),
            })
            return response

        return wrapped

    return decorator


def _versions(keys: list[str]) -> list[Any]:
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        for key in missing:
            # An int: some versions are counters of their own (the catalogue generation, incremented).
            cache.add(key, secrets.randbits(62), None)
        found.update(cache.get_many(missing))
    return [found.get(key) for key in keys]


@lru_cache(maxsize=4)
def _cipher(secret: str) -> AESGCM:
    return AESGCM(hmac.new(secret.encode(), b"portal.personal-pages", hashlib.sha256).digest())


def _seal(key: str, content: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _cipher(settings.SECRET_KEY).encrypt(nonce, content, key.encode())


def _open(key: str, sealed: bytes) -> bytes | None:
    try:
        return _cipher(settings.SECRET_KEY).decrypt(sealed[:12], sealed[12:], key.encode())
    except (InvalidTag, ValueError):
        return None  # another SECRET_KEY (a rotation) or a damaged entry: build the page again


def page_key(request: HttpRequest, session_key: str) -> str | None:
    path = request.get_full_path()
    if len(path) > MAX_CACHED_PATH or not session_key:
        return None
    parts = "\x00".join((
        session_key, request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""), request.scheme, request.get_host(), path,
    ))
    return "pp:page:" + hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _session_cache_key(session_key: str) -> str:
    # portal.lib.sessions keeps Django's cached_db key layout.
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    return KEY_PREFIX + session_key


def _session_still_serves(session: dict, entry: dict, now: float) -> bool:
    from accounts.two_factor import session_current_for_staff

    if str(session.get(SESSION_KEY)) != str(entry["user_id"]) or session.get(HASH_SESSION_KEY) != entry["hash"]:
        return False
    if session.get(MESSAGES_SESSION_KEY):
        return False
    if entry["staff"]:
        return session.get(django_otp.DEVICE_ID_SESSION_KEY) == entry["device"] and session_current_for_staff(session, now)
    return True


def _only_renews(request: HttpRequest, response: HttpResponse) -> bool:
    """No cookie but the CSRF cookie sent back unchanged: Django renews its expiry on every page with a
    form. A page that sets anything else (a new session, a new CSRF secret) belongs to that response."""
    name = settings.CSRF_COOKIE_NAME
    if set(response.cookies) - {name}:
        return False
    return name not in response.cookies or response.cookies[name].value == request.COOKIES.get(name)


class PersonalPageMiddleware:
    """After AnonymousPageCacheMiddleware, before SessionMiddleware (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        if not seconds() or not session_key:
            return self.get_response(request)
        if request.method == "HEAD":
            return self.get_response(request)
        if request.method != "GET":
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                # Whatever a person does shows on their next page (a language, a read notification, a form).
                person_pages_changed([user.pk])
            return response
        key = page_key(request, session_key)
        if key is None:
            return self.get_response(request)
        served = self._serve(request, key, session_key)
        if served is not None:
            return served
        response = self.get_response(request)
        self._store(request, key, response)
        return response

    def _serve(self, request: HttpRequest, key: str, session_key: str) -> HttpResponse | None:
        session_cache_key = _session_cache_key(session_key)
        found = cache.get_many([key, session_cache_key])
        entry, session = found.get(key), found.get(session_cache_key)
        if entry is None or not isinstance(session, dict) or not _session_still_serves(session, entry, time.time()):
            return None
        current = cache.get_many(entry["keys"])
        if [current.get(name) for name in entry["keys"]] != entry["stamp"]:
            return None
        content = _open(key, entry["content"])
        if content is None:
            return None
        if entry["on_hit"]:
            try:
                ON_HIT[entry["on_hit"]](entry["user_id"], *entry["hit_args"])
            except (KeyError, DatabaseError):
                return None
        response = HttpResponse(content, status=200)
        for name, value in entry["headers"]:
            response.headers[name] = value
        request.page_cache_view = entry["view"]  # type: ignore[attr-defined]
        request.page_cache_user_id = entry["user_id"]  # type: ignore[attr-defined]
        return response

    def _store(self, request: HttpRequest, key: str, response: HttpResponse) -> None:
        marked = getattr(response, RESPONSE_ATTRIBUTE, None)
        if marked is None or response.status_code != 200 or response.streaming or not _only_renews(request, response):
            return
        session = getattr(request, "session", None)
        if session is None or session.modified or session.session_key is None:
            return
        storage = getattr(request, "_messages", None)
        if storage is not None and (storage.used or getattr(storage, "_queued_messages", None)):
            return  # the page showed a flash message: it is for this view only
        from accounts.two_factor import second_factor_required_for

        user = request.user
        match = getattr(request, "resolver_match", None)
        cache.set(key, {
            "user_id": user.pk, "hash": session.get(HASH_SESSION_KEY),
            "staff": second_factor_required_for(user),  # type: ignore[arg-type]
            "device": session.get(django_otp.DEVICE_ID_SESSION_KEY),
            "keys": marked["keys"], "stamp": marked["stamp"],
            "on_hit": marked["on_hit"], "hit_args": marked["hit_args"],
            "content": _seal(key, response.content),
            "headers": [(name, value) for name, value in response.headers.items() if name.lower() not in _NOT_STORED],
            "view": match.view_name if match else "<unresolved>",
        }, seconds())
