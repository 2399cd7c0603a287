"""Sessions in PostgreSQL, read through Redis.

Every signed-in request loads its session; reading it from Redis instead of the database saves a
query per page. The database row stays the record (a Redis restart signs nobody out), and every
write goes to both. Django's cached_db engine would keep a cached copy as long as the session
lives (8 hours); here it lives at most SESSION_CACHE_SECONDS, because the portal's cache degrades
rather than fails (portal/lib/cache.py): a sign-out during a Redis outage deletes the row but
cannot delete the cached copy, and that copy must not outlive the outage by hours.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    def _cache_seconds(self, expiry: datetime | None = None) -> int:
        age = self.get_expiry_age(expiry=expiry) if expiry is not None else self.get_expiry_age()
        return max(0, min(settings.SESSION_CACHE_SECONDS, age))

    def load(self) -> dict:
        data = self._cache.get(self.cache_key)
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._cache.set(self.cache_key, data, self._cache_seconds(row.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        # The database first: if it refuses (a duplicate key when creating), nothing reaches the cache.
        super(CachedDBStore, self).save(must_create)
        self._cache.set(self.cache_key, self._session, self._cache_seconds())
