"""Caching of the public catalogue pages' read side.

The catalogue changes a few times a month and is read on every visit, so rendered search results are
cached under a key that includes a *generation* number. Every catalogue write service bumps the
generation after commit, which makes all earlier entries unreachable at once (no key scanning).
Writes that bypass the services (raw SQL, popularity counters) show up within the TTL.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "procedures:generation"


def cache_seconds() -> int:
    """0 disables the cache (tests of uncached paths, benches of the cold path)."""
    return int(getattr(settings, "PROCEDURE_CACHE_SECONDS", 120))


# Every anonymous page view reads the generation, so each process remembers it for a second: a
# catalogue edit made through another process shows at most that much later (one made through this
# process forgets it at once, see catalogue_changed).
GENERATION_MEMO_SECONDS = 1.0
_memo: tuple[float, int] | None = None


def catalogue_generation() -> int:
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < GENERATION_MEMO_SECONDS:
        return _memo[1]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    _memo = (now, int(generation))
    return int(generation)


def catalogue_scope(_request: Any, _kwargs: dict[str, Any]) -> list[str]:
    """What a signed-in catalogue page depends on besides the person (portal/lib/personal_pages.py)."""
    return [GENERATION_KEY]


def forget_generation() -> None:
    global _memo
    _memo = None


def catalogue_changed() -> None:
    """Invalidate every cached catalogue page once the current transaction commits."""

    def bump() -> None:
        forget_generation()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any fresh value differs from cached keys'
            cache.set(GENERATION_KEY, catalogue_generation() + 1, timeout=None)
        forget_generation()

    transaction.on_commit(bump)


def catalogue_cache_key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"procedures:{kind}:{catalogue_generation()}:{digest}"
