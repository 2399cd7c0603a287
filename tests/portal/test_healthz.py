import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_everything_is_up(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    from portal.celery import app

    # A port nothing listens on: the probe must say "down" quickly, not hang.
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_cache_is_down(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
