"""Every back-office URL: an officer of the other commune gets 404 for this commune's dossiers."""

from __future__ import annotations

import pytest

from applications.models import DossierEvent, Status
from applications.views.officer import ACTIONS
from tests.applications.officer.conftest import drive, new_draft

OTHER_COMMUNE_STAFF = ["other_officer", "other_specialist", "other_leader"]


@pytest.mark.parametrize("persona", OTHER_COMMUNE_STAFF)
def test_the_dossier_page_is_404_for_the_other_commune(request, login, submitted, persona):
    response = login(request.getfixturevalue(persona)).get(f"/officer/dossiers/{submitted.code}/")
    assert response.status_code == 404


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_is_404_for_the_other_communes_officer_and_changes_nothing(login, other_officer, submitted,
                                                                                 action):
    before = (submitted.status, submitted.version, DossierEvent.objects.filter(dossier=submitted).count())
    response = login(other_officer).post(
        f"/officer/dossiers/{submitted.code}/actions/{action}/",
        {f"{action}-expected_version": submitted.version, f"{action}-reason": "x", f"{action}-note": "x"},
    )
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version, DossierEvent.objects.filter(dossier=submitted).count()) == before


def test_drafts_are_404_even_for_the_own_commune(login, officer, version, commune, citizen):
    from tests.factories import make_dossier

    draft = make_dossier(version, commune, citizen, status=Status.DRAFT, code="000.01.01.H99-260101-9999")
    assert login(officer).get(f"/officer/dossiers/{draft.code}/").status_code == 404


def test_the_tracking_book_lists_only_the_own_commune(login, officer, other_officer, client, cast, version, commune,
                                                     citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    assert dossier.code in login(officer).get("/officer/tracking-book/").content.decode()
    client.logout()
    html = login(other_officer).get("/officer/tracking-book/").content.decode()
    assert dossier.code not in html


@pytest.mark.parametrize("url", ["/officer/", "/officer/tracking-book/", "/officer/tracking-book/export/"])
def test_citizens_cannot_open_the_back_office(login, citizen, url):
    assert login(citizen).get(url).status_code == 403
