"""Signed-in pages served again (portal/lib/personal_pages.py): only to their own session, never after
what they show or who may see them changed."""

from __future__ import annotations

import json
import time

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.two_factor import LAST_SEEN_KEY, LAST_SEEN_RESOLUTION_SECONDS
from applications import workflow
from applications.models import AccessKind, DossierAccess, Event, Status
from applications.page_versions import dossier_key
from notifications.services import notification_mark_read
from portal.lib.personal_pages import page_key
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db

_ = time_machine  # this module travels in time within one session: conftest keeps staff signed in


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)


@pytest.fixture
def dossier(version, commune, citizen):
    return make_dossier(version, commune, citizen, subject_name="Nguyễn Thị Bé", subject_id_number="001084000777")


def _warm(client, url: str) -> None:
    """The first view sets the CSRF cookie (that page is the response's own); the second is kept."""
    client.get(url)
    client.get(url)


def _kept(client, user, url: str) -> str:
    """`user` signed in, with `url` viewed until it is kept."""
    client.force_login(user)
    _warm(client, url)
    return url


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response.content.decode()


def test_the_citizens_dossier_page_is_served_again_without_a_query_and_the_same(client, citizen, dossier):
    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    client.get(url)

    built, first = _queries(client, url)
    served, again = _queries(client, url)

    assert built > 0 and served == 0
    assert again == first


def test_the_kept_page_reaches_redis_encrypted(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    page = client.get(url).content.decode()
    assert dossier.code in page
    # LocMem holds each entry pickled, as Redis would: the page's bytes would be there in clear.
    held = b"".join(value for value in cache._cache.values() if isinstance(value, bytes))

    assert any(key.endswith(page_key_of(client, url)) for key in cache._cache)
    # (The person's name is there anyway, in the cached user: accounts/backends.py.)
    assert dossier.code.encode() not in held


def page_key_of(client, url: str) -> str:
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return page_key(request, client.cookies["sessionid"].value)


def _session_edit(client, **values) -> None:
    session = client.session
    session.update(values)
    session.save()  # the database row and the cached copy the kept pages read


def test_a_flash_message_put_in_the_session_is_shown_not_the_kept_page(client, citizen, dossier):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import MessageEncoder

    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    # As SessionStorage keeps what a view added for the next page.
    encoded = json.dumps([Message(constants.INFO, "Thông báo chờ hiển thị")], cls=MessageEncoder)
    _session_edit(client, _messages=encoded)

    assert "Thông báo chờ hiển thị" in client.get(url).content.decode()


def test_a_session_whose_password_hash_no_longer_matches_is_not_served(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")

    _session_edit(client, _auth_user_hash="not-the-account-hash")

    assert client.get(url).status_code == 302  # Django signs such a session out


def test_an_officer_session_due_for_its_idle_write_takes_the_normal_path(client, officer, dossier):
    _kept(client, officer, "/officer/")
    seen = int(time.time()) - LAST_SEEN_RESOLUTION_SECONDS - 1
    _session_edit(client, **{LAST_SEEN_KEY: seen})

    assert _queries(client, "/officer/")[0] > 0
    assert client.session[LAST_SEEN_KEY] > seen


def test_an_officer_session_with_another_device_takes_the_normal_path(client, officer, dossier):
    import django_otp

    _kept(client, officer, "/officer/")

    _session_edit(client, **{django_otp.DEVICE_ID_SESSION_KEY: "otp_totp.totpdevice/999999"})

    response = client.get("/officer/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]


def test_another_citizen_never_gets_the_page(client, citizen, other_citizen, dossier):
    _kept(client, citizen, f"/dossiers/{dossier.code}/")

    client.force_login(other_citizen)
    response = client.get(f"/dossiers/{dossier.code}/")

    assert response.status_code == 404


def test_a_signed_out_session_replayed_gets_nothing(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    old_session = client.cookies["sessionid"].value

    client.post("/accounts/logout/")
    client.cookies["sessionid"] = old_session
    response = client.get(url)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_officers_action_shows_on_the_citizens_next_view(client, citizen, officer, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    assert "Giấy tiếp nhận hồ sơ" not in client.get(url).content.decode()

    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)

    built, page = _queries(client, url)
    # The receipt (Mẫu 01) is listed as soon as the dossier is received.
    assert built > 0 and "Giấy tiếp nhận hồ sơ" in page


def test_a_row_written_for_the_dossier_throws_its_pages_away(client, citizen, officer, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    assert _queries(client, url)[0] == 0

    dossier.events.create(action=Event.SUBMITTED, from_status=Status.DRAFT, to_status=Status.SUBMITTED, actor=officer,
                          at=dossier.submitted_at)

    assert _queries(client, url)[0] > 0


def test_the_clock_alone_renews_a_page_within_the_setting(client, citizen, dossier, settings):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    assert _queries(client, url)[0] == 0

    with time_machine.travel(time.time() + settings.PERSONAL_PAGE_SECONDS + 1):
        assert _queries(client, url)[0] > 0


def test_a_deactivated_citizen_is_signed_out_at_the_next_view(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")

    citizen.is_active = False
    citizen.save()

    response = client.get(url)
    assert response.status_code == 302


def test_a_flash_message_waiting_is_shown_not_the_kept_page(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")

    # A refused withdrawal (wrong version) leaves its message for the next page.
    client.post(f"/dossiers/{dossier.code}/withdraw/", {"expected_version": dossier.version + 5, "note": ""})
    page = client.get(url).content.decode()

    assert 'class="alert' in page
    assert 'class="alert' not in client.get(url).content.decode()


def test_any_post_by_the_person_builds_their_next_pages(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")
    assert _queries(client, url)[0] == 0

    # A form refused: nothing written, no signal; what a person does still shows on their next page.
    assert client.post(f"/dossiers/{dossier.code}/withdraw/", {"expected_version": "x"}).status_code == 400

    assert _queries(client, url)[0] > 0


def test_a_kept_page_keeps_the_headers_of_a_private_page(client, citizen, dossier):
    url = _kept(client, citizen, f"/dossiers/{dossier.code}/")

    served = client.get(url)

    assert "no-store" in served["Cache-Control"] and "private" in served["Cache-Control"]
    assert served["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in served


def test_a_language_chosen_shows_on_the_next_page(client, citizen, dossier):
    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    client.get(url)
    assert client.get(url)["Content-Language"] == "vi"

    client.post("/i18n/setlang/", {"language": "en", "next": url})

    assert client.get(url)["Content-Language"] == "en"


def test_the_bell_follows_a_new_notification(client, citizen, officer, dossier):
    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    before = client.get(url).content.decode()
    client.get(url)

    with_count = workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    assert with_count.status == Status.RECEIVED
    after = client.get(url).content.decode()
    notification_mark_read(user=citizen)
    read = client.get(url).content.decode()

    assert after != before and read != after


def test_the_officers_dossier_page_logs_every_view_even_when_served_again(client, officer, dossier):
    client.force_login(officer)
    url = f"/officer/dossiers/{dossier.code}/"
    _warm(client, url)
    served, _page = _queries(client, url)
    client.get(url)

    assert served == 1  # the access log row, nothing else
    assert DossierAccess.objects.filter(dossier=dossier, user=officer, kind=AccessKind.DOSSIER).count() == 4


def test_another_communes_officer_never_gets_the_page(client, officer, other_officer, dossier):
    _kept(client, officer, f"/officer/dossiers/{dossier.code}/")

    client.force_login(other_officer)
    assert client.get(f"/officer/dossiers/{dossier.code}/").status_code == 404


def test_a_reset_second_factor_stops_the_kept_pages_at_once(client, officer, dossier):
    _kept(client, officer, "/officer/")
    assert _queries(client, "/officer/")[0] == 0

    TOTPDevice.objects.filter(user=officer).delete()  # through the models: what an admin's reset does
    for device in TOTPDevice.objects.filter(user=officer):
        device.delete()

    response = client.get("/officer/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]


def test_an_idle_officer_session_takes_the_normal_path_and_is_touched(client, officer, dossier):
    _kept(client, officer, "/officer/")
    assert _queries(client, "/officer/")[0] == 0

    with time_machine.travel(time.time() + LAST_SEEN_RESOLUTION_SECONDS + 5):
        assert _queries(client, "/officer/")[0] > 0
        assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 1


def test_a_dossier_of_the_officers_commune_shows_in_the_queue_at_once(client, officer, version, commune, citizen):
    _kept(client, officer, "/officer/?queue=all")
    assert _queries(client, "/officer/?queue=all")[0] == 0

    fresh = make_dossier(version, commune, citizen)

    assert fresh.code in client.get("/officer/?queue=all").content.decode()


def test_another_communes_dossier_does_not_throw_the_queue_away(client, officer, version, other_commune, citizen):
    _kept(client, officer, "/officer/?queue=all")

    make_dossier(version, other_commune, citizen)

    assert _queries(client, "/officer/?queue=all")[0] == 0


def test_the_key_names_the_session_the_language_and_the_page(rf, settings):
    request = rf.get("/dossiers/", HTTP_HOST="testserver")
    request.COOKIES = {"csrftoken": "a" * 32}
    other_language = rf.get("/dossiers/")
    other_language.COOKIES = {"csrftoken": "a" * 32, settings.LANGUAGE_COOKIE_NAME: "en"}

    keys = {page_key(request, "session-a"), page_key(request, "session-b"), page_key(other_language, "session-a"),
            page_key(rf.get("/dossiers/?page=2"), "session-a")}

    assert len(keys) == 4 and "session-a" not in "".join(keys)


def test_a_document_failing_through_an_update_throws_the_pages_away(client, citizen, dossier):
    from applications.models import Document, DocumentKind

    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    client.get(url)
    version_before = cache.get(dossier_key(dossier.pk))
    document = Document.objects.create(dossier=dossier, kind=DocumentKind.RECEIPT, source_key="t:1")
    cache.set(dossier_key(dossier.pk), version_before, None)  # as if the row had come without a signal

    from applications.documents import _record_failure

    _record_failure(document, RuntimeError("no fonts"))

    assert cache.get(dossier_key(dossier.pk)) is None


def test_with_redis_down_pages_are_built_and_answered_every_time(client, citizen, dossier, settings):
    # Nothing listens on port 9: the portal's cache degrades (portal/lib/cache.py); the kept-page layer must
    # answer as if it were off, not fail the page.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "portal.lib.cache.ResilientRedisCache",
                                                      "LOCATION": "redis://127.0.0.1:9/0"}}
    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    client.get(url)

    built, page = _queries(client, url)

    assert built > 0 and dossier.code in page
