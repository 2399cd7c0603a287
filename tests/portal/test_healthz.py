import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_everything_is_up(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    # A port nothing listens on: the probe must say "down" quickly, not hang.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_cache_is_down(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {"default": {"BACKEND": "portal.lib.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_healthz_checks_a_live_broker(client, settings):
    from tests.support.services import redis_url_or_skip

    settings.CELERY_BROKER_URL = redis_url_or_skip()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_pages_are_still_served_when_the_cache_is_down(client, settings, citizen):
    # The cache only speeds pages up: with Redis gone, visitors still get their pages.
    settings.CACHES = {"default": {"BACKEND": "portal.lib.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
                       "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert client.get("/").status_code == 200
    assert client.get("/procedures/?q=khai+sinh").status_code == 200
    assert client.get("/track/?code=000.01.01.H99-260105-0001").status_code == 200
    client.force_login(citizen)
    assert client.get("/").status_code == 200
