"""The signed-in user is read through Redis (accounts/backends.py), and every change to the account
shows on the next request: deactivation, a new password, a new role, the agency's new name."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import user_cache_key
from accounts.models import Role
from notifications.services import notification_mark_read, notification_queue
from tests.support.services import redis_url_or_skip

pytestmark = pytest.mark.django_db


# These tests read what a page loads (the user, the bell); a kept page loads nothing:
# tests/portal/test_personal_pages.py covers those.
@pytest.fixture(autouse=True)
def _pages_built_every_time(settings):
    settings.PERSONAL_PAGE_SECONDS = 0

CATALOGUE = "/procedures/?q=khai+sinh"


@pytest.fixture
def cached_users(settings):
    parsed = urlparse(redis_url_or_skip())
    settings.CACHES = {
        "default": {"BACKEND": "portal.lib.cache.ResilientRedisCache",
                    "LOCATION": f"redis://{parsed.hostname}:{parsed.port or 6379}/13",
                    "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
        "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shell-users"},
    }
    settings.SESSION_ENGINE = "portal.lib.sessions"
    settings.USER_CACHE_SECONDS = 60


def _user_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in queries if 'FROM "accounts_user"' in query["sql"]]


def test_a_signed_in_catalogue_page_reads_no_database_at_all(client, citizen, cached_users):
    client.force_login(citizen)
    assert _user_queries(client, CATALOGUE)  # the first request reads the row and keeps it

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE)

    assert response.status_code == 200
    assert citizen.full_name in response.content.decode()  # signed in, as that person
    assert [query["sql"] for query in queries] == []


def test_without_the_setting_the_row_is_read_every_time(client, citizen, cached_users, settings):
    settings.USER_CACHE_SECONDS = 0
    client.force_login(citizen)
    _user_queries(client, CATALOGUE)

    assert len(_user_queries(client, CATALOGUE)) == 1
    assert cache.get(user_cache_key(citizen.pk)) is None


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, citizen, cached_users,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(citizen)
    assert client.get("/dossiers/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        citizen.is_active = False
        citizen.save(update_fields=["is_active"])

    response = client.get("/dossiers/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_password_ends_the_other_sessions(client, citizen, cached_users, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    assert client.get("/dossiers/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        citizen.set_password("a-brand-new-password-2026")
        citizen.save()

    assert client.get("/dossiers/").status_code == 302


def test_a_new_role_and_the_agency_s_new_name_show_at_once(client, officer, commune, cached_users,
                                                           django_capture_on_commit_callbacks):
    client.force_login(officer)
    assert client.get("/officer/").status_code in (200, 302)  # the row is cached (302: second factor)
    assert cache.get(user_cache_key(officer.pk)) is not None

    with django_capture_on_commit_callbacks(execute=True):
        commune.name = "UBND xã An Phú Mới"
        commune.save(update_fields=["name"])
    assert cache.get(user_cache_key(officer.pk)) is None

    client.get("/officer/")
    with django_capture_on_commit_callbacks(execute=True):
        officer.role = Role.CITIZEN
        officer.save(update_fields=["role"])
    assert cache.get(user_cache_key(officer.pk)) is None

    assert client.get("/officer/").status_code in (302, 403, 404)  # no longer an officer's page


def test_the_bell_is_read_with_the_user_and_changes_at_once(client, citizen, cached_users,
                                                            django_capture_on_commit_callbacks):
    client.force_login(citizen)
    client.get(CATALOGUE)
    client.get(CATALOGUE)  # the count is now cached next to the user
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CATALOGUE).context["unread_notifications"] == 0
    assert [query["sql"] for query in queries] == []

    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(event="received", channel="in_app", dedupe_key=f"test:{uuid.uuid4().hex}",
                           context={"dossier_code": "X", "procedure_name": "Y", "agency_name": "Z",
                                    "received_at": "", "appointment": ""},
                           recipient=citizen, link="/dossiers/")
    assert client.get(CATALOGUE).context["unread_notifications"] == 1

    notification_mark_read(user=citizen)
    assert client.get(CATALOGUE).context["unread_notifications"] == 0


def test_the_identification_number_is_not_kept_in_the_cache(client, citizen, cached_users):
    citizen.id_number = "001099012345"
    citizen.save(update_fields=["id_number"])
    client.force_login(citizen)
    client.get(CATALOGUE)

    cached = cache.get(user_cache_key(citizen.pk))
    assert cached is not None and "id_number" in cached.get_deferred_fields()
    raw = cache._cache.get_client(user_cache_key(citizen.pk)).get(cache.make_key(user_cache_key(citizen.pk)))
    assert b"001099012345" not in raw
    assert cached.id_number == "001099012345"  # still there for a page that asks (one query)
