"""A Redis cache that degrades instead of failing.

The cache only speeds pages up (the page shell, catalogue fragments, rate-limit counters);
when Redis is down, a request must still be served from the database, not end in a 500.
Errors are logged once per call and the operation answers as if the key were missing.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    def _degrade(self, operation: str, default: Any) -> Any:
        logger.warning("cache unavailable during %s; continuing without it", operation)
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._degrade("get", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self._degrade("get_many", {})

    def set(self, key, value, timeout=..., version=None):  # type: ignore[override]
        try:
            kwargs = {} if timeout is ... else {"timeout": timeout}
            return super().set(key, value, version=version, **kwargs)
        except RedisError:
            return self._degrade("set", None)

    def set_many(self, data, timeout=..., version=None):  # type: ignore[override]
        try:
            kwargs = {} if timeout is ... else {"timeout": timeout}
            return super().set_many(data, version=version, **kwargs)
        except RedisError:
            return self._degrade("set_many", list(data))

    def add(self, key, value, timeout=..., version=None):  # type: ignore[override]
        try:
            kwargs = {} if timeout is ... else {"timeout": timeout}
            return super().add(key, value, version=version, **kwargs)
        except RedisError:
            return self._degrade("add", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return self._degrade("delete", False)

    def touch(self, key, timeout=..., version=None):  # type: ignore[override]
        try:
            kwargs = {} if timeout is ... else {"timeout": timeout}
            return super().touch(key, version=version, **kwargs)
        except RedisError:
            return self._degrade("touch", False)

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            return self._degrade("has_key", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            # Callers treat ValueError as "not there": they fall back to set(), which degrades too.
            self._degrade("incr", None)
            raise ValueError("cache unavailable") from exc
