"""The whole-page cache of the anonymous catalogue (portal/lib/page_cache.py), on a real Redis."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.lib.page_cache import MAX_CACHED_PATH, page_key
from procedures.cache import forget_generation
from procedures.models import Procedure, ProcedureVersion
from procedures.services import procedure_version_new_draft, procedure_version_publish
from tests.support.services import redis_url_or_skip

BIRTH = "1.001193"
PAGES = ["/", "/procedures/?q=khai+sinh", f"/procedures/{BIRTH}/"]


@pytest.fixture
def redis_cache(settings):
    """The cache production runs on: Redis, under a key prefix of this test's own."""
    parsed = urlparse(redis_url_or_skip())
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.lib.cache.ResilientRedisCache",
            "LOCATION": f"redis://{parsed.hostname}:{parsed.port or 6379}/13",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
        "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shell-page-cache"},
    }
    settings.PROCEDURE_CACHE_SECONDS = 120
    forget_generation()
    yield
    forget_generation()


def _queries(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def _stored(path: str, host: str = "testserver") -> bool:
    key = page_key(RequestFactory(headers={"host": host}).get(path))
    return key is not None and cache.get(key) is not None


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_page_is_served_whole_from_the_cache_the_second_time(client, catalogue, redis_cache, path):
    first, _ = _queries(client, path)
    second, queries = _queries(client, path)

    assert first.status_code == second.status_code == 200
    assert queries == 0  # no session, no user, no catalogue query
    assert second.content == first.content
    # What the inner middleware added is kept; what belongs to one request is not.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Content-Type"):
        assert second[header] == first[header]
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert not second.cookies


def test_a_signed_in_citizen_never_gets_the_anonymous_copy(client, catalogue, redis_cache, citizen):
    anonymous = client.get(f"/procedures/{BIRTH}/")
    client.force_login(citizen)
    signed_in = client.get(f"/procedures/{BIRTH}/")

    assert anonymous.status_code == signed_in.status_code == 200
    assert citizen.email.encode() not in anonymous.content
    assert b"logout" in signed_in.content and b"logout" not in anonymous.content
    assert "no-store" in signed_in["Cache-Control"]
    # And the signed-in answer did not replace the anonymous copy.
    client.logout()
    client.cookies.clear()
    assert b"logout" not in client.get(f"/procedures/{BIRTH}/").content


def test_each_language_has_its_own_copy(client, catalogue, redis_cache, settings):
    vietnamese = client.get("/procedures/?q=khai+sinh")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/procedures/?q=khai+sinh")

    assert vietnamese["Content-Language"] == "vi" and english["Content-Language"] == "en"
    assert vietnamese.content != english.content


def test_each_host_name_has_its_own_copy(client, catalogue, redis_cache, settings):
    settings.ALLOWED_HOSTS = ["dichvucong.example.vn", "dvc.example.vn"]
    client.get("/", headers={"host": "dichvucong.example.vn"})

    assert _stored("/", host="dichvucong.example.vn")
    assert not _stored("/", host="dvc.example.vn")
    assert client.get("/", headers={"host": "evil.example.com"}).status_code == 400


def test_a_published_version_is_on_the_next_page_view(client, catalogue, redis_cache,
                                                     django_capture_on_commit_callbacks):
    for path in PAGES:
        assert "Đăng ký khai sinh (2026)" not in client.get(path).content.decode()
    draft = procedure_version_new_draft(Procedure.objects.get(code=BIRTH))
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (2026)")

    with django_capture_on_commit_callbacks(execute=True):
        procedure_version_publish(draft, effective_from=timezone.localdate())

    for path in PAGES:
        assert "Đăng ký khai sinh (2026)" in client.get(path).content.decode(), path


def test_what_is_stored_and_what_is_not(client, catalogue, redis_cache):
    assert client.get("/procedures/?q=khai+sinh").status_code == 200
    assert _stored("/procedures/?q=khai+sinh")

    # A missing procedure: 404 every time, through the whole stack.
    assert client.get("/procedures/9.999999/").status_code == 404
    assert not _stored("/procedures/9.999999/")

    # A query string too long to be a real search is answered, not stored.
    long_path = "/procedures/?q=" + "a" * MAX_CACHED_PATH
    assert client.get(long_path).status_code == 200
    assert page_key(RequestFactory().get(long_path)) is None

    # A page not marked cacheable (it renders a CSRF token and sets its cookie) is never stored.
    assert client.get("/accounts/login/").status_code == 200
    assert not _stored("/accounts/login/")

    # A visitor with a session cookie (signed in, or with messages waiting) always gets a fresh page.
    assert page_key(RequestFactory(headers={"cookie": "sessionid=abc"}).get("/")) is None


def test_without_the_cache_setting_nothing_is_stored(client, catalogue, redis_cache, settings):
    settings.PROCEDURE_CACHE_SECONDS = 0
    assert client.get("/").status_code == 200
    assert page_key(RequestFactory().get("/")) is None
    _response, queries = _queries(client, "/")
    assert queries > 0
