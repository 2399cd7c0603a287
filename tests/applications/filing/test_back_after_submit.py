"""Issue 10 item 17: going back after submitting shows the submitted dossier, not a 404."""

import uuid

import pytest

from applications.models import Dossier
from tests.applications.filing.builders import submitted

pytestmark = pytest.mark.django_db

STEPS = ("applicant", "form", "attachments", "review")


@pytest.mark.parametrize("step", STEPS)
def test_a_citizens_step_of_a_submitted_dossier_leads_to_the_dossier(client, citizen, commune, version, step):
    dossier = submitted(version, commune, citizen)
    client.force_login(citizen)
    response = client.get(f"/dossiers/draft/{dossier.pk}/{step}/")
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.code}/"


def test_another_citizen_still_gets_a_404(client, citizen, other_citizen, commune, version):
    dossier = submitted(version, commune, citizen)
    client.force_login(other_citizen)
    assert client.get(f"/dossiers/draft/{dossier.pk}/review/").status_code == 404


def test_a_guided_step_of_a_submitted_dossier_leads_to_its_done_page(client, officer, citizen, version):
    from tests.applications.filing.test_guided import fill_and_submit

    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    dossier = Dossier.objects.get()
    fill_and_submit(client, dossier)
    response = client.get(f"/officer/guided/{dossier.pk}/review/")
    assert response.status_code == 302 and response["Location"] == f"/officer/guided/{dossier.pk}/done/"


def test_the_steps_are_not_kept_by_the_browser_cache(client, citizen, commune, version):
    from tests.applications.filing.builders import draft_for

    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    response = client.get(f"/dossiers/draft/{dossier.pk}/review/")
    # Otherwise "back" could show the stale step from the cache instead of asking the server.
    assert "no-store" in response["Cache-Control"]


def test_a_repeated_submit_gets_the_acknowledgement_again(client, citizen, commune, version):
    from tests.applications.filing.builders import draft_for, make_complete

    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)
    token = str(uuid.uuid4())
    first = client.post(f"/dossiers/draft/{dossier.pk}/review/", {"submit_token": token})
    again = client.post(f"/dossiers/draft/{dossier.pk}/review/", {"submit_token": token})
    dossier.refresh_from_db()
    assert first["Location"] == again["Location"] == f"/dossiers/{dossier.code}/submitted/"
