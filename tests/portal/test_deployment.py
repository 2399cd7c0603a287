"""The production configuration: `check --deploy`, required secrets, the compose file."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

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


def _compose(tmp_path, *args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        unavailable("docker-compose (v1) is not installed")
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    return subprocess.run([binary, "-f", str(tmp_path / "docker-compose.yml"), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def compose(tmp_path_factory) -> dict:
    """The compose file as docker-compose itself resolves it (anchors merged, variables from .env.example)."""
    result = _compose(tmp_path_factory.mktemp("compose"), "config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_docker_compose_file_is_valid(tmp_path):
    result = _compose(tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_needs_the_object_store_credentials(tmp_path):
    result = _compose(tmp_path, "config", "-q")
    assert result.returncode == 0
    env = (tmp_path / ".env").read_text(encoding="utf-8")
    (tmp_path / ".env").write_text(re.sub(r"(?m)^S3_SECRET_ACCESS_KEY=.*$", "", env), encoding="utf-8")
    result = subprocess.run([shutil.which("docker-compose") or "docker-compose", "config", "-q"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "set S3_SECRET_ACCESS_KEY in .env" in result.stderr


def _mounts(service: dict) -> dict[str, tuple[str, str]]:
    """target → (source, mode) of a service's volumes ("source:target[:mode]" as `config` writes them)."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        mounts[target] = (source, mode[0] if mode else "rw")
    return mounts


PORTAL_SERVICES = ("web", "worker-default", "worker-notifications", "worker-documents", "beat", "migrate")
S3_VARIABLES = ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION")


def test_the_stack_has_every_service(compose):
    assert {"nginx", "web", "worker-default", "worker-notifications", "worker-documents", "beat", "migrate",
            "postgres", "redis", "minio", "createbucket", "clamav", "mailcatcher"} <= set(compose)


def test_nginx_is_the_only_way_in_and_web_scales(compose):
    """`docker-compose up --scale web=3` needs web without a fixed name or host port; nginx holds 80/443."""
    web = compose["web"]
    assert "container_name" not in web and "ports" not in web
    assert [str(port) for port in web["expose"]] == ["8000"]
    nginx = compose["nginx"]
    assert sorted(str(port["target"]) if isinstance(port, dict) else port.split(":")[-1]
                  for port in nginx["ports"]) == ["443", "80"]
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    source, mode = _mounts(nginx)["/etc/nginx/conf.d/default.conf"]
    assert source.endswith("/deploy/nginx.conf") and mode == "ro"
    # The portal trusts what nginx sets: the scheme and one appended X-Forwarded-For hop.
    assert web["environment"]["BEHIND_TLS_PROXY"] == "1" and web["environment"]["TRUSTED_PROXY_HOPS"] == "1"


def _nginx_directives() -> list[tuple[str, str]]:
    text = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [(line.split(None, 1) + [""])[:2] for line in lines if line and line not in ("}",) and line.endswith(";")]


def test_nginx_proxies_to_web_with_the_headers_the_portal_trusts_and_serves_no_file():
    from django.conf import settings

    directives = _nginx_directives()
    values = {}
    for name, value in directives:
        values.setdefault(name, []).append(value.rstrip(";").strip())
    assert values["set"] == ["$portal_upstream http://web:8000"] and values["proxy_pass"] == ["$portal_upstream"]
    assert values["resolver"][0].startswith("127.0.0.11 ")  # Docker's DNS: every web replica, re-resolved
    headers = dict(value.split(None, 1) for value in values["proxy_set_header"])
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["Host"] == "$host" and headers["X-Request-ID"] == "$request_id"
    # Nothing is served from disk: no root, alias or try_files; static and private files come through the portal.
    assert not {"root", "alias", "try_files", "autoindex"} & set(values)
    # The body cap sits just above the portal's own limit, so the portal answers near-misses in Vietnamese.
    (limit,) = values["client_max_body_size"]
    assert limit.endswith("m")
    nginx_bytes = int(limit[:-1]) * 1024 * 1024
    assert settings.UPLOAD_MAX_REQUEST_BYTES <= nginx_bytes <= settings.UPLOAD_MAX_REQUEST_BYTES + 2 * 1024 * 1024
    # The access log leaves out the query string (codes, names searched for, signed links).
    assert "$request " not in (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_every_long_running_service_has_a_health_check_and_start_up_waits_for_health(compose):
    one_shots = {name for name, service in compose.items() if service.get("restart") == "no"}
    assert one_shots == {"migrate", "createbucket"}
    for name, service in compose.items():
        if name not in one_shots:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        for needed, condition in service.get("depends_on", {}).items():
            expected = ("service_completed_successfully" if needed in one_shots
                        # clamd loads its signatures for minutes; uploads wait in quarantine meanwhile.
                        else "service_started" if needed == "clamav" else "service_healthy")
            assert condition["condition"] == expected, f"{name} → {needed}"
    for name in PORTAL_SERVICES[:-1]:
        needs = compose[name]["depends_on"]
        assert {"postgres", "redis", "migrate", "createbucket"} <= set(needs), name
    assert compose["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert compose["createbucket"]["depends_on"] == {"minio": {"condition": "service_healthy"}}


def test_one_worker_per_queue_and_one_beat(compose):
    from django.conf import settings

    queues = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}
    consumed: dict[str, str] = {}
    for name, service in compose.items():
        command = service.get("command") or []
        if command[:4] == ["celery", "-A", "portal", "worker"]:
            (queue,) = command[command.index("-Q") + 1].split(",")
            assert queue not in consumed
            consumed[queue] = name
            assert f"{queue}@$$HOSTNAME" in " ".join(service["healthcheck"]["test"])  # pings its own node
    assert set(consumed) == queues
    beats = [name for name, service in compose.items() if "beat" in (service.get("command") or [])[:4]]
    assert beats == ["beat"]


def test_every_portal_process_gets_the_object_store_and_the_scanner(compose):
    for name in PORTAL_SERVICES:
        environment = compose[name]["environment"]
        assert all(environment.get(variable) for variable in S3_VARIABLES), name
        assert environment["S3_ENDPOINT_URL"] == "http://minio:9000"
        socket_dir, _, _ = environment["CLAMAV_SOCKET"].rpartition("/")
        assert _mounts(compose[name])[socket_dir][0] == "clamd_socket", name
    # clamd's image puts its socket at /tmp/clamd.sock: the same volume, the same file name.
    assert _mounts(compose["clamav"])["/tmp"][0] == "clamd_socket"
    assert compose["web"]["environment"]["CLAMAV_SOCKET"].endswith("/clamd.sock")
    minio = compose["minio"]["environment"]
    web = compose["web"]["environment"]
    assert (minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"]) == (web["S3_ACCESS_KEY_ID"],
                                                                         web["S3_SECRET_ACCESS_KEY"])
    bucket = " ".join(compose["createbucket"]["entrypoint"])
    assert "mc mb --ignore-existing" in bucket and "mc anonymous set none" in bucket


def test_web_starts_with_an_empty_prometheus_directory(compose):
    web = compose["web"]
    directory = web["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    script = web["command"][-1]
    assert script.startswith(f"rm -rf {directory}/* && exec gunicorn ")
    assert directory in web["tmpfs"]
    # Only web runs several processes that each write samples.
    assert all("PROMETHEUS_MULTIPROC_DIR" not in compose[name]["environment"] for name in PORTAL_SERVICES[1:])


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
