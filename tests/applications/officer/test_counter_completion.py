"""A walk-in's dossier sent back for completion is completed and resubmitted at the counter."""

import pytest

from applications.models import Channel, Status
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def test_an_in_person_dossier_sent_back_for_completion_can_be_completed_at_the_counter(client, officer, commune):
    dossier = make_dossier(make_procedure(agency=commune), commune, None, status=Status.NEEDS_COMPLETION,
                           channel=Channel.IN_PERSON, filed_by=officer)
    client.force_login(officer)
    page = client.get(f"/officer/dossiers/{dossier.code}/").content.decode()
    link = f"/officer/guided/{dossier.pk}/applicant/"
    assert link in page
    assert client.get(link).status_code == 200
