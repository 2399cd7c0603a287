"""Which portal sessions a provider's session opened, so that a back-channel logout can end them.

Kept in the shared cache (Redis in production) for as long as a session lives: nothing to clean up,
and a lost entry only means a session that ends at its own expiry."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from accounts.throttle import shared_cache


def _keys(provider: str, kind: str, value: str) -> str:
    return f"oidc:sessions:{provider}:{kind}:{value}"


def identity_session_register(*, provider: str, sid: str | None, subject: str, session_key: str) -> None:
    cache = shared_cache()
    for kind, value in (("sid", sid), ("sub", subject)):
        if value:
            cache_key = _keys(provider, kind, value)
            known = [key for key in cache.get(cache_key, []) if key != session_key][-9:]
            cache.set(cache_key, [*known, session_key], settings.SESSION_COOKIE_AGE)


def identity_sessions_end(*, provider: str, sid: str | None, subject: str | None) -> int:
    """End the portal sessions opened by the provider's session `sid` (or all of `subject`'s)."""
    cache = shared_cache()
    cache_key = _keys(provider, "sid", sid) if sid else _keys(provider, "sub", subject or "")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session_key in cache.get(cache_key, []):
        session = store(session_key=session_key)
        if session.exists(session_key):
            session.delete(session_key)
            ended += 1
    cache.delete(cache_key)
    return ended
