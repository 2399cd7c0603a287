"""The production configuration: `check --deploy`, required secrets, the compose file."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.support.services import REPO, unavailable

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "dichvucong.example.vn",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
    "SITE_URL": "https://dichvucong.example.vn",
    "POSTAL_API_URL": "https://post.example.vn/api",
    "POSTAL_API_KEY": "postal-key",
    "POSTAL_CALLBACK_SECRET": "postal-callback-secret",
    "NATIONAL_PORTAL_URL": "https://national.example.vn/api",
    "NATIONAL_PORTAL_TOKEN": "national-token",
    "NATIONAL_PORTAL_SECRET": "national-secret",
    "NATIONAL_INBOUND_TOKEN": "national-inbound-token",
    "NATIONAL_INBOUND_SECRET": "national-inbound-secret",
    # Uploads are scanned in production (check --deploy warns without a scanner).
    "CLAMAV_SOCKET": "/run/clamav/clamd.ctl",
    # Backups are encrypted in production (check --deploy warns without a key).
    "BACKUP_ENCRYPTION_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env={**clean, **env}, capture_output=True, text=True,
        timeout=120,
    )


# Every web node and worker shares one Redis in production (check --deploy warns without it); the
# check only reads the setting, nothing connects to this address.
SHARED_REDIS = {"REDIS_URL": "redis://redis:6379/1"}


def test_check_deploy_passes_with_production_like_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **SHARED_REDIS})
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_bad_boolean_in_the_environment_is_refused_loudly():
    result = _manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_docker_compose_file_is_valid(tmp_path):
    binary = shutil.which("docker-compose")
    if binary is None:
        unavailable("docker-compose (v1) is not installed")
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    result = subprocess.run([binary, "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    services = subprocess.run([binary, "-f", str(tmp_path / "docker-compose.yml"), "config", "--services"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60).stdout.split()
    assert {"postgres", "redis", "web", "worker", "beat", "mailcatcher"} <= set(services)


@pytest.mark.parametrize("path", ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                                  "vendor/htmx/htmx.min.js"])
def test_front_end_libraries_are_served_from_our_own_static_files(path):
    assert (REPO / "static" / path).stat().st_size > 10_000


def test_production_serves_pages_with_hashed_static_files(tmp_path):
    """DEBUG off uses the manifest storage: collectstatic must succeed and pages must render."""
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path / "static"), "SECURE_SSL_REDIRECT": "0",
           "ALLOWED_HOSTS": "testserver", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    collect = _manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert collect.returncode == 0, collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert _manage("migrate", "-v", "0", env=env).returncode == 0
    script = (
        "import django; django.setup();"
        "from django.test import Client; r = Client().get('/');"
        "print(r.status_code); print(r.content.decode())"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**clean, **env, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    status, _, body = result.stdout.partition("\n")
    assert status == "200", result.stdout[-2000:] + result.stderr[-2000:]
    # Hashed names (bootstrap.min.<hash>.css) prove the manifest is in use, so caches can keep files forever.
    assert re.search(r"/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css", body)


def test_deploy_check_fails_when_production_would_simulate_payments():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "PAYMENT_PROVIDER": "sandbox"})
    assert result.returncode != 0
    assert "payments.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(("changes", "error"), [
    ({"POSTAL_PROVIDER": "sandbox"}, "postal.E001"),
    ({"POSTAL_API_KEY": ""}, "postal.E002"),
])
def test_deploy_check_fails_when_results_by_post_would_be_simulated_or_cannot_be_ordered(changes, error):
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, **changes})
    assert result.returncode != 0
    assert error in result.stdout + result.stderr


def test_production_has_no_sandbox_app():
    script = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('sandbox'))"
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**clean, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert result.stdout.strip() == "False", result.stderr


def test_deploy_check_warns_when_site_url_is_left_at_the_development_default():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     env={**PRODUCTION_ENV, "SITE_URL": "http://127.0.0.1:8000"})

    assert result.returncode != 0
    assert "applications.W001" in result.stdout + result.stderr
