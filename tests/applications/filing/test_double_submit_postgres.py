"""A real double click against PostgreSQL: two simultaneous POSTs with one submit token.

SQLite serialises every write, so this only means something on PostgreSQL and is skipped elsewhere.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from django.db import connection, connections
from django.test import Client

from applications.models import Dossier, DossierEvent, Status
from tests.applications.filing.builders import draft_for, make_complete
from tests.support.services import unavailable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")


def test_two_simultaneous_posts_with_one_token_make_one_submission(citizen, commune, version):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    token = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    responses: list = [None] * 4

    def post(index: int) -> None:
        client = Client()
        client.force_login(citizen)
        try:
            barrier.wait()
            responses[index] = client.post(f"/dossiers/draft/{dossier.pk}/review/",
                                           {"submit_token": token, "consent": "on"})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="submitted").count() == 1
    assert {response.status_code for response in responses} == {302}
    assert {response["Location"] for response in responses} == {f"/dossiers/{dossier.code}/submitted/"}
