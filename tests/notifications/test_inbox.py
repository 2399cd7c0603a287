"""The in-app bell and inbox: the unread count, marking read, and nobody else's messages."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from notifications.services import notification_queue

pytestmark = pytest.mark.django_db


def in_app(user, key: str) -> Notification:
    return notification_queue(event="received", channel="in_app", dedupe_key=key, recipient=user,
                              context={"dossier_code": key, "appointment": "08/01/2026"}, link="/dossiers/")


def test_the_bell_shows_the_unread_count(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_app(citizen, "HS-1")
        in_app(citizen, "HS-2")
    client.force_login(citizen)

    page = client.get("/").content.decode()

    assert 'data-unread="2"' in page


def test_the_inbox_lists_the_users_own_notifications(client, citizen, other_citizen):
    in_app(citizen, "HS-MINE")
    in_app(other_citizen, "HS-THEIRS")
    client.force_login(citizen)

    page = client.get("/notifications/").content.decode()

    assert "HS-MINE" in page and "HS-THEIRS" not in page


def test_marking_read_lowers_the_count(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = in_app(citizen, "HS-1")
        in_app(citizen, "HS-2")
    client.force_login(citizen)
    client.get("/")  # the count is now cached

    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/"})

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-unread="1"' in client.get("/").content.decode()


def test_nobody_can_mark_another_persons_notification_read(client, citizen, other_citizen):
    theirs = in_app(other_citizen, "HS-THEIRS")
    client.force_login(citizen)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_refuses_get_and_foreign_redirects(client, citizen):
    mine = in_app(citizen, "HS-1")
    client.force_login(citizen)

    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_app(citizen, "HS-1")
        in_app(citizen, "HS-2")
    client.force_login(citizen)

    client.post("/notifications/read-all/")

    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    assert "data-unread" not in client.get("/").content.decode()


def test_the_inbox_needs_a_login(client):
    assert client.get("/notifications/").status_code == 302
