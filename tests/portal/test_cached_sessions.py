"""Sessions read through Redis, recorded in PostgreSQL (portal/lib/sessions.py), on a real Redis."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest
import redis

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.lib.sessions import SessionStore
from tests.support.services import redis_url_or_skip

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings):
    parsed = urlparse(redis_url_or_skip())
    location = f"redis://{parsed.hostname}:{parsed.port or 6379}/13"
    settings.CACHES = {
        "default": {"BACKEND": "portal.lib.cache.ResilientRedisCache", "LOCATION": location,
                    "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
        "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shell-sessions"},
    }
    settings.SESSION_ENGINE = "portal.lib.sessions"
    settings.SESSION_CACHE_SECONDS = 300
    return redis.Redis.from_url(location)


def _session_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries if "django_session" in query["sql"]]


def test_a_signed_in_page_reads_the_session_from_redis_not_the_database(client, citizen, cached_sessions):
    client.force_login(citizen)
    key = client.cookies["sessionid"].value
    _session_queries(client, "/dossiers/")

    assert _session_queries(client, "/dossiers/") == []
    assert Session.objects.filter(session_key=key).exists()  # the record stays in PostgreSQL


def test_the_cached_copy_lives_minutes_not_the_whole_session(client, citizen, cached_sessions, settings):
    client.force_login(citizen)
    key = client.cookies["sessionid"].value
    _session_queries(client, "/dossiers/")

    ttl = cached_sessions.ttl(cache.make_key(SessionStore.cache_key_prefix + key))
    assert 0 < ttl <= settings.SESSION_CACHE_SECONDS < settings.SESSION_COOKIE_AGE


def test_losing_the_cache_signs_nobody_out(client, citizen, cached_sessions):
    client.force_login(citizen)
    cache.clear()

    assert _session_queries(client, "/dossiers/")  # read from the database again
    assert _session_queries(client, "/dossiers/") == []  # and cached again


def test_signing_out_removes_both_copies(client, citizen, cached_sessions):
    client.force_login(citizen)
    key = client.cookies["sessionid"].value
    _session_queries(client, "/dossiers/")

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(SessionStore.cache_key_prefix + key) is None
    client.cookies["sessionid"] = key  # replaying the old cookie gets nothing
    assert client.get("/dossiers/").status_code == 302
