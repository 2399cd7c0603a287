"""A Redis cache that degrades instead of failing.

The cache only speeds pages up (the page shell, catalogue fragments, rate-limit counters);
when Redis is down, a request must still be served from the database, not end in a 500.
Errors are logged once per call and the operation answers as if the key were missing.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis-py `Redis` object for every cache call, and building one
    fills its table of ~170 response callbacks: about a tenth of a millisecond per call, several calls
    per page. A `Redis` object is only a handle on the connection pool and safe to share between
    threads, so one per pool is kept (redis-py's pool itself reconnects after a fork)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

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

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError:
            return self._degrade("delete_many", None)

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
