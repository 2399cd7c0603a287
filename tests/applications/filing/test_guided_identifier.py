"""Guided filing may open a draft in a citizen's account only for an exact identifier posted with it
(issue 11: officer.b posted account ids and read each citizen's name, email and phone)."""

import pytest

from applications.models import Channel, Dossier
from tests.applications.filing.builders import VALID_ID

pytestmark = pytest.mark.django_db


def test_a_posted_account_id_does_not_open_a_draft_in_that_account(client, other_officer, citizen, other_commune):
    from tests.factories import make_procedure

    version = make_procedure(agency=other_commune)
    client.force_login(other_officer)

    response = client.post("/officer/guided/", {"action": "start", "version": version.pk, "citizen": citizen.pk,
                                                "channel": "in_person"})

    dossier = Dossier.objects.get()
    assert dossier.owner is None  # the posted id is ignored: a walk-in without an account
    assert dossier.filed_by == other_officer
    page = client.get(response["Location"]).content.decode()
    assert citizen.email not in page and citizen.phone not in page and citizen.full_name not in page
    # Nothing appears among the citizen's own dossiers.
    client.force_login(citizen)
    assert len(client.get("/dossiers/").context["drafts"]) == 0


def test_an_exact_identifier_opens_the_draft_in_the_account_and_records_the_officer(client, officer, citizen, version):
    citizen.id_number = VALID_ID
    citizen.save(update_fields=["id_number"])
    client.force_login(officer)

    client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": VALID_ID,
                                     "channel": "in_person"})

    dossier = Dossier.objects.get()
    assert (dossier.owner, dossier.filed_by, dossier.channel) == (citizen, officer, Channel.IN_PERSON)
    assert dossier.applicant_id_number == VALID_ID


def test_an_unknown_identifier_starts_nothing(client, officer, citizen, version):
    client.force_login(officer)
    response = client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": "0900000009",
                                                "channel": "in_person"})
    assert response.status_code == 400
    assert "Không tìm thấy tài khoản công dân" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_draft_the_officer_is_preparing_is_not_in_the_citizens_hands(client, officer, citizen, version):
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": citizen.phone,
                                     "channel": "in_person"})
    dossier = Dossier.objects.get()
    assert dossier.owner == citizen
    client.force_login(citizen)
    assert client.get(f"/dossiers/draft/{dossier.pk}/applicant/").status_code == 404
    assert len(client.get("/dossiers/").context["drafts"]) == 0
