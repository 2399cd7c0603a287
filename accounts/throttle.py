"""Throttling of guessable endpoints: sign-in, password reset, public look-ups.

django-axes locks by the string it is given. People (and attackers) can write one account many
ways — `VICTIM@EXAMPLE.VN`, `0912000097`, `+84912000097`, `0912 000 097` — so axes is given the
*account* instead (`login_account_key`): every spelling of one account shares one counter, on the
portal's login page and the admin's alike. A second, looser counter per client IP address stops one
machine from guessing across many accounts.

Counters live in the shared cache (`caches["shared"]`: Redis, or a database table when there is no
Redis), never in one gunicorn worker's memory, so N workers do not multiply the limit by N.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.http import HttpRequest

from accounts.models import User
from accounts.phone import looks_like_phone, normalize_phone


def shared_cache() -> BaseCache:
    """The cache every worker sees (rate-limit counters); the default cache when no separate one is set."""
    try:
        return caches["shared"]
    except InvalidCacheBackendError:
        return caches["default"]


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_HOPS proxies, the address the
    outermost trusted proxy saw (counted from the right of X-Forwarded-For: entries further left are
    written by the client and would let anyone reset their own limit)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]


def axes_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the same address, or None (axes stores it in an inet column)."""
    address = client_ip(request)
    return None if address == "unknown" else address


def account_lookup(identifier: str) -> User | None:
    """The account an email address or a phone number (in any usual spelling) belongs to."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if looks_like_phone(identifier):
        return User.objects.filter(phone=normalize_phone(identifier)).first()
    return User.objects.filter(email__iexact=identifier).first()


def canonical_identifier(identifier: str) -> str:
    identifier = (identifier or "").strip()
    if looks_like_phone(identifier):
        return normalize_phone(identifier)
    return identifier.lower()


def login_account_key(request: HttpRequest | None, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the account being tried, not the string typed.

    An existing account is "user:<id>" (no personal data in axes' tables); an unknown one is its
    canonical spelling, so guessing at a not-yet-existing address is throttled the same way.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get(field)
    raw = str(raw or "")[:254]
    # axes asks several times per attempt: resolve once per request.
    memo = getattr(request, "_login_account_keys", None) if request is not None else None
    if memo is not None and raw in memo:
        return memo[raw]
    user = account_lookup(raw)
    key = f"user:{user.pk}" if user is not None else canonical_identifier(raw)
    if request is not None:
        if memo is None:
            memo = {}
            request._login_account_keys = memo  # type: ignore[attr-defined]
        memo[raw] = key
    return key


def _counter_hit(key: str, window_seconds: int) -> int:
    cache = shared_cache()
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr(), or the cache is down
        cache.set(key, 1, timeout=window_seconds)
        return 1


def _counter_value(key: str) -> int:
    return int(shared_cache().get(key) or 0)


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of `scope` by `key`; False once more than `limit` uses fell in the window."""
    return _counter_hit(f"rl:{scope}:{key}", window_seconds) <= limit


def login_window_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME * 3600)


def login_ip_failure_record(request: HttpRequest) -> None:
    _counter_hit(f"rl:login-ip:{client_ip(request)}", login_window_seconds())


def login_ip_is_blocked(request: HttpRequest) -> bool:
    return _counter_value(f"rl:login-ip:{client_ip(request)}") >= settings.LOGIN_IP_FAILURE_LIMIT
