"""The admin shows dossiers and events but never changes them."""

from __future__ import annotations

from applications.models import Status
from tests.applications.officer.conftest import drive, new_draft


def test_admins_can_read_but_not_change_dossiers_and_events(client, admin_user, cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    client.force_login(admin_user)
    assert client.get("/admin/applications/dossier/").status_code == 200
    page = client.get(f"/admin/applications/dossier/{dossier.pk}/change/")
    assert page.status_code == 200 and dossier.code in page.content.decode()
    assert client.get("/admin/applications/dossierevent/").status_code == 200
    assert client.get("/admin/applications/dossier/add/").status_code == 403
    response = client.post(f"/admin/applications/dossier/{dossier.pk}/change/", {"status": "approved"})
    assert response.status_code == 403
    assert client.post(f"/admin/applications/dossier/{dossier.pk}/delete/", {"post": "yes"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
