"""Shared fixtures: test-only settings, personas, browser set-up.

Test-only overrides live here (not in a second settings module): a fast password hasher,
locmem email, temporary media folders, and Celery tasks run in-process. Tests that need a
real broker and worker start them explicitly (tests/support/services.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from importlib import import_module
from pathlib import Path

import django_otp
import pytest

from django.test import Client

from accounts.models import Agency, AgencyKind, Role, User
from accounts.two_factor import LAST_SEEN_KEY, VERIFIED_AT_KEY
from portal.celery import app as celery_app
from tests.support import log_scan
from tests.support.clamd import Clamd
from tests.support.services import chromium_or_skip, services_required
from tests.support.two_factor import staff_device_give

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "demo-password-2026"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "second_factor: the test drives the staff second factor itself (force_login leaves it unverified)"
    )
    if not hasattr(config, "workerinput"):
        # One folder for every test process's findings (xdist workers inherit the environment).
        os.environ[log_scan.ENV] = tempfile.mkdtemp(prefix="portal-log-scan-")
    if services_required():
        url = os.getenv("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise pytest.UsageError("REQUIRE_SERVICES=1 needs DATABASE_URL pointing at PostgreSQL")
        if not os.getenv("CELERY_BROKER_URL"):
            raise pytest.UsageError("REQUIRE_SERVICES=1 needs CELERY_BROKER_URL pointing at Redis")


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_LOG_SCAN] = log_scan.install()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """No demo person's ID number, phone or e-mail address in any log record of the whole suite (issue 18)."""
    handler = session.config.stash.get(_LOG_SCAN, None)
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    if handler is not None:
        log_scan.write(handler, worker)
    if worker != "main":
        return
    found = log_scan.collected()
    shutil.rmtree(os.environ.get(log_scan.ENV, ""), ignore_errors=True)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for item in found[:20]:
            reporter.write_line(f"PERSONAL DATA IN LOGS: {item['logger']}: {item['value']!r} in {item['message']!r}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_LOG_SCAN = pytest.StashKey[log_scan.PersonalDataHandler]()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        # Folders, even when the environment names a bucket (S3_BUCKET); tests of the bucket use `s3_bucket`.
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "portal.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shell"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # As in production with Redis: every test's signed-in requests go through the cached user
    # (accounts/backends.py), whatever the environment that runs the suite.
    settings.USER_CACHE_SECONDS = 60
    settings.QUEUE_COUNTS_SECONDS = 30  # the queue badges too (applications/queues.py)
    settings.PERSONAL_PAGE_SECONDS = 30  # and signed-in pages served again (portal/lib/personal_pages.py)
    # Status changes are owed to the national portal; nothing listens here, so tests that do not
    # start the local national portal (tests/national) leave their syncs waiting, harmlessly.
    settings.NATIONAL_PORTAL_URL = "http://127.0.0.1:9/national"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    from django.core.cache import cache, caches

    cache.clear()
    caches["shell"].clear()  # a test may change what the shell shows (settings, roles)
    from procedures.cache import forget_generation

    forget_generation()  # the process-local memo of the generation the cleared cache held
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _official_calendar(request):
    """The official holiday schedules, which a data migration loads, for every database test.

    Transactional tests (live server, real workers, races) end with a flush that empties every
    table, migration data included; deadlines computed after that would silently ignore Tết.
    """
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        return
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    from django.apps import apps

    from workdays.models import CalendarDay

    if not CalendarDay.objects.exists():
        migration = import_module("workdays.migrations.0002_official_schedules_2025_2026")
        migration.load_schedule(apps, None)

    from retention.models import RetentionRule

    # The default retention rules (with their legal sources) are migration data too.
    if not RetentionRule.objects.exists():
        import_module("retention.migrations.0002_default_retention_rules").add_defaults(apps, None)


@pytest.fixture(autouse=True)
def _staff_second_factor(request, monkeypatch, settings):
    """Staff signed in by `client.force_login` have passed the second factor, as after a real sign-in.

    The second factor is on in every test, as in production. Signing in through the pages asks for
    the code (browser journeys type it: tests/support/two_factor.py); `force_login` skips the
    password, and here it also skips the code, the way django_otp.login() marks a session verified
    after a good one: the session gets the persona's confirmed device and a fresh verification time.
    Tests marked `second_factor` get the plain force_login and drive the pages themselves.
    """
    if request.node.get_closest_marker("second_factor") is not None:
        return
    if getattr(request.module, "time_machine", None) is not None:
        # Tests that travel days ahead within one signed-in session test deadlines, not sessions:
        # the idle expiry and the re-check window would end their session between two steps.
        settings.STAFF_SESSION_IDLE_MINUTES = 60 * 24 * 3650
        settings.STAFF_2FA_RECHECK_MINUTES = 60 * 24 * 3650
    original = Client.force_login

    def force_login(client, user, backend=None):  # type: ignore[no-untyped-def]
        original(client, user, backend)
        device = staff_device_give(user)
        if device is not None:
            session = client.session
            session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[VERIFIED_AT_KEY] = int(time.time())
            # As the code page left it: the idle clock started, the cookie ends with the browser.
            session[LAST_SEEN_KEY] = int(time.time())
            session.set_expiry(0)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# --- Personas: a province, two communes, and people in every role -----------------------


@pytest.fixture
def province(db) -> Agency:
    return Agency.objects.create(eid_code="H99", name="UBND tỉnh Hòa An", kind=AgencyKind.PROVINCE)


@pytest.fixture
def commune(province) -> Agency:
    return Agency.objects.create(eid_code="H99.01.01", name="UBND xã An Phú", kind=AgencyKind.COMMUNE, parent=province)


@pytest.fixture
def other_commune(province) -> Agency:
    return Agency.objects.create(
        eid_code="H99.01.02", name="UBND xã Bình Minh", kind=AgencyKind.COMMUNE, parent=province
    )


def make_user(email: str, role: str, agency: Agency | None = None, full_name: str = "", phone: str | None = None) -> User:
    """A person; staff also get a confirmed authenticator-app device (the second factor is on)."""
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=full_name or email.split("@")[0], role=role, agency=agency,
        phone=phone,
    )
    staff_device_give(user)
    return user


@pytest.fixture
def citizen(db) -> User:
    return make_user("citizen@example.vn", Role.CITIZEN, full_name="Nguyễn Văn An", phone="0912000001")


@pytest.fixture
def other_citizen(db) -> User:
    return make_user("citizen2@example.vn", Role.CITIZEN, full_name="Trần Thị Bình", phone="0912000002")


@pytest.fixture
def officer(commune) -> User:
    return make_user("officer@example.vn", Role.OFFICER, commune, "Lê Thị Cúc")


@pytest.fixture
def specialist(commune) -> User:
    return make_user("specialist@example.vn", Role.SPECIALIST, commune, "Phạm Văn Dũng")


@pytest.fixture
def leader(commune) -> User:
    return make_user("leader@example.vn", Role.LEADER, commune, "Hoàng Văn Đức")


@pytest.fixture
def other_officer(other_commune) -> User:
    return make_user("officer.b@example.vn", Role.OFFICER, other_commune, "Vũ Thị Giang")


@pytest.fixture
def other_specialist(other_commune) -> User:
    return make_user("specialist.b@example.vn", Role.SPECIALIST, other_commune, "Đặng Văn Hải")


@pytest.fixture
def other_leader(other_commune) -> User:
    return make_user("leader.b@example.vn", Role.LEADER, other_commune, "Bùi Thị Hoa")


@pytest.fixture
def admin_user(province) -> User:
    user = make_user("admin@example.vn", Role.ADMIN, province, "Quản trị viên")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


# --- Browser ---------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Assertions wait up to 10 s (Playwright's default is 5 s): journeys that render PDFs and cross
    # several redirects run beside a second xdist worker on two cores. A broken page still fails.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    return {**browser_type_launch_args, "executable_path": chromium_or_skip(), "args": CHROMIUM_ARGS}


# The two screens every journey runs on: the narrowest phone the layout must work on, and a desktop.
VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"},
    "desktop": {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"},
}


@pytest.fixture(params=sorted(VIEWPORTS))
def screen_page(request, browser):
    """A fresh page on each screen in turn; `page.is_phone` tells the test which."""
    context = browser.new_context(**VIEWPORTS[request.param])
    page = context.new_page()
    page.is_phone = request.param == "phone"
    yield page
    context.close()


@pytest.fixture
def phone_context_args():
    """A 360 px wide phone, the narrowest screen the layout must work on."""
    return {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}


@pytest.fixture
def clamd(settings):
    """A real ClamAV daemon (test signature for EICAR); CLAMAV_SOCKET points at it. `.stop()`/`.start()`."""
    directory = Path(tempfile.mkdtemp(prefix="clamd-"))  # short: a unix socket path is at most 107 bytes
    daemon = Clamd(directory)
    daemon.start()
    settings.CLAMAV_SOCKET = daemon.socket
    yield daemon
    daemon.stop()
    shutil.rmtree(directory, ignore_errors=True)


# --- Object storage --------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server (moto's server mode over HTTP), one per test process."""
    from tests.support.s3 import s3_server

    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(settings, s3_endpoint):
    """A fresh private bucket that the "private" and "default" storages use for this test: its name."""
    from tests.support.s3 import new_bucket, storages_setting

    bucket = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, **storages_setting(s3_endpoint, bucket)}
    return bucket
