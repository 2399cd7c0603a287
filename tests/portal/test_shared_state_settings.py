"""Settings for more than one node: S3_* variables turn the object store on, and nothing that must be
shared stays in one process's memory outside development. Read by a fresh interpreter, as at start-up."""

from __future__ import annotations

import json

from tests.portal.test_deployment import PRODUCTION_ENV, SHARED_REDIS, _manage

SHOW = ("import json; from django.conf import settings as s; "
        "print(json.dumps({'storages': s.STORAGES, 'caches': s.CACHES}, default=str))")
S3 = {"S3_BUCKET": "portal-files", "S3_ENDPOINT_URL": "http://minio:9000", "S3_ACCESS_KEY_ID": "portal",
      "S3_SECRET_ACCESS_KEY": "minio-secret"}


def _settings(env: dict[str, str]) -> dict:
    result = _manage("shell", "--no-imports", "-c", SHOW, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_s3_variables_put_private_files_and_blank_forms_in_the_bucket(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-docker-secret\n")
    env = {**S3, "S3_SECRET_ACCESS_KEY": "", "S3_SECRET_ACCESS_KEY_FILE": str(secret)}

    storages = _settings(env)["storages"]

    private, default = storages["private"], storages["default"]
    assert private["BACKEND"] == "portal.lib.storage.PrivateS3Storage"
    assert default["BACKEND"] == "portal.lib.storage.FormsS3Storage"
    assert private["OPTIONS"] == {
        "bucket_name": "portal-files", "location": "private", "endpoint_url": "http://minio:9000",
        "access_key": "portal", "secret_key": "from-a-docker-secret", "region_name": "us-east-1",
    }
    assert default["OPTIONS"]["location"] == "public" and default["OPTIONS"]["bucket_name"] == "portal-files"


def test_without_a_bucket_files_stay_in_the_folders():
    storages = _settings({"S3_BUCKET": "", "PRIVATE_MEDIA_ROOT": "/srv/private"})["storages"]
    assert storages["private"] == {"BACKEND": "portal.lib.storage.PrivateFileSystemStorage",
                                   "OPTIONS": {"location": "/srv/private", "base_url": None}}
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_outside_development_no_cache_lives_in_one_process_memory():
    # ...except the page shell's fragments, which hold no data: only markup keyed by release, language, role.
    caches = _settings({"REDIS_URL": ""})["caches"]
    assert {alias: cache["BACKEND"] for alias, cache in caches.items()} == {
        "default": "django.core.cache.backends.db.DatabaseCache",
        "shared": "django.core.cache.backends.db.DatabaseCache",
        "shell": "django.core.cache.backends.locmem.LocMemCache",
    }
    with_redis = _settings(SHARED_REDIS)["caches"]
    assert {cache["LOCATION"] for alias, cache in with_redis.items() if alias != "shell"} == {"redis://redis:6379/1"}


def test_sessions_are_read_through_redis_only_when_there_is_one():
    show = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    engine = _manage("shell", "--no-imports", "-c", show, env={**PRODUCTION_ENV, **SHARED_REDIS})
    assert engine.stdout.strip().splitlines()[-1] == "portal.lib.sessions"
    engine = _manage("shell", "--no-imports", "-c", show, env={**PRODUCTION_ENV, "REDIS_URL": ""})
    assert engine.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.db"


def test_deploy_check_passes_with_a_bucket_and_its_keys():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **SHARED_REDIS, **S3})
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_about_a_bucket_without_keys_and_a_missing_redis():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     env={**PRODUCTION_ENV, **S3, "S3_SECRET_ACCESS_KEY": "", "REDIS_URL": ""})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "portal.W002" in output and "portal.W001" in output


def test_deploy_check_warns_about_plain_http_to_a_public_object_store():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     env={**PRODUCTION_ENV, **SHARED_REDIS, **S3, "S3_ENDPOINT_URL": "http://s3.example.com"})
    assert result.returncode != 0 and "portal.W003" in result.stdout + result.stderr
