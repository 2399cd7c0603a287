import uuid

import pytest

from applications.models import Status
from applications.workflow import dossier_request_completion, dossier_submit
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def test_each_dossier_counts_once_towards_the_most_used_procedures(commune, citizen, officer):
    version = make_procedure(agency=commune)
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT)

    dossier_submit(dossier, actor=citizen, submit_token=uuid.uuid4())
    dossier.refresh_from_db()
    dossier_request_completion(dossier, actor=officer, expected_version=dossier.version, items=["Thiếu chữ ký"])
    dossier.refresh_from_db()
    dossier_submit(dossier, actor=citizen)  # the resubmission keeps the code and is not a new filing

    version.procedure.refresh_from_db()
    assert version.procedure.popularity == 1
