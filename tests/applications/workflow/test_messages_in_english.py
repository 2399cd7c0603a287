import pytest

from django.utils import translation

from applications.models import Status
from applications.workflow import WorkflowError, dossier_extend, dossier_receive
from tests.applications.workflow.conftest import drive, new_draft
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def test_refusals_are_worded_in_the_users_language(commune, citizen, specialist):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.SUBMITTED)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        dossier_receive(dossier, actor=specialist, expected_version=dossier.version)
    assert str(refused.value.message) == "Your role is not permitted to receive the dossier."
    with translation.override("vi"), pytest.raises(WorkflowError) as refused:
        dossier_receive(dossier, actor=specialist, expected_version=dossier.version)
    assert str(refused.value.message) == "Vai trò của bạn không được tiếp nhận hồ sơ."


def test_legal_extension_refusals_are_worded_in_english(cast, commune, citizen):
    bounded = make_procedure(agency=commune, time_value=3)
    bounded.extension_max_days = 5
    bounded.save(update_fields=["extension_max_days"])
    dossier = drive(new_draft(bounded, commune, citizen), Status.PROCESSING, cast)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        dossier_extend(dossier, actor=cast.specialist, expected_version=dossier.version, days=6, reason="Verify")
    assert str(refused.value.message) == (
        "The extension exceeds the maximum allowed by law: at most 5 more working day(s) can be added.")

    unbounded = drive(new_draft(make_procedure(agency=commune, time_value=3), commune, citizen), Status.PROCESSING, cast)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        dossier_extend(unbounded, actor=cast.specialist, expected_version=unbounded.version, days=1, reason="Verify")
    assert str(refused.value.message) == (
        "This procedure has no legal provision for extending the processing time for verification.")
