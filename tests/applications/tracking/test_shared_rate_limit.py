"""The tracking limit is one count for every gunicorn worker, with or without Redis."""

import json
import os
import subprocess
import sys

import pytest

from django.conf import settings as django_settings
from django.core.cache import caches

from tests.applications.filing.builders import submitted

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_shared_cache"}


@pytest.fixture
def dossier(version, commune, citizen):
    return submitted(version, commune, citizen)


def test_a_worker_with_fresh_memory_still_sees_the_count(client, settings, dossier):
    # Production without Redis: per-process default cache, database-backed shared cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "shared": DATABASE_CACHE,
                       "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TRACKING_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post("/track/", {"code": dossier.code}).status_code == 200

    # Another gunicorn worker starts with an empty memory of its own.
    caches["default"].clear()

    assert client.post("/track/", {"code": dossier.code}).status_code == 429


def _production_caches(extra_env: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DEBUG")}
    # Empty rather than absent: settings.py would otherwise take REDIS_URL from a checkout's .env file.
    env.update({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.vn", "DEBUG": "0", "REDIS_URL": "", **extra_env})
    code = "import json; from portal import settings as s; print(json.dumps(s.CACHES))"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                            cwd=django_settings.BASE_DIR)
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_without_redis_the_shared_cache_is_the_database():
    caches_setting = _production_caches({})
    assert caches_setting["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_with_redis_the_shared_cache_is_redis():
    caches_setting = _production_caches({"REDIS_URL": "redis://127.0.0.1:6379/11"})
    assert caches_setting["shared"]["LOCATION"] == "redis://127.0.0.1:6379/11"
