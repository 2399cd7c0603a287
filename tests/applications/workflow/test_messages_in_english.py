import pytest

from django.utils import translation

from applications.models import Status
from applications.workflow import WorkflowError, dossier_receive
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
