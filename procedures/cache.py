"""Caching of the public catalogue pages' read side.

The catalogue changes a few times a month and is read on every visit, so rendered search results are
cached under a key that includes a *generation* number. Every catalogue write service bumps the
generation after commit, which makes all earlier entries unreachable at once (no key scanning).
Writes that bypass the services (raw SQL, popularity counters) show up within the TTL.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "procedures:generation"


def cache_seconds() -> int:
    """0 disables the cache (tests of uncached paths, benches of the cold path)."""
    return int(getattr(settings, "PROCEDURE_CACHE_SECONDS", 120))


def catalogue_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    return int(generation)


def catalogue_changed() -> None:
    """Invalidate every cached catalogue page once the current transaction commits."""

    def bump() -> None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any fresh value differs from cached keys'
            cache.set(GENERATION_KEY, catalogue_generation() + 1, timeout=None)

    transaction.on_commit(bump)


def catalogue_cache_key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"procedures:{kind}:{catalogue_generation()}:{digest}"
