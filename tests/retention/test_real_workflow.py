"""A dossier walked through the real workflow services (events, control sheet, notifications and document
rows as the portal writes them), then anonymised: no personal value is left in any column."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from applications.models import Status
from retention.services import retention_run
from tests.applications.workflow.conftest import Cast, drive
from tests.factories import make_dossier, make_procedure
from tests.retention.test_retention_run import ADDRESS, EMAIL, ID_NUMBER, NAME, PERSONAL, PHONE, _where_found


@pytest.mark.django_db
@pytest.mark.parametrize("target", [Status.RETURNED, Status.REFUSED, Status.STOPPED])
def test_a_dossier_ended_through_the_workflow_keeps_no_personal_value(commune, citizen, officer, specialist, leader,
                                                                      target):
    version = make_procedure(agency=commune, fee=None)
    dossier = make_dossier(
        version, commune, citizen, status=Status.DRAFT, applicant_name=NAME,
        applicant_id_number=ID_NUMBER, applicant_phone=PHONE, applicant_email=EMAIL, applicant_address=ADDRESS,
        subject_name=NAME, form_data={"child_name": NAME, "birth_date": "2026-01-05"},
    )
    drive(dossier, target, Cast(citizen, officer, specialist, leader))
    # The workflow wrote the name beyond the dossier row (control sheet, messages about it).
    expected = {"applications_dossier.applicant_name", "notifications_notification.context"}
    if target != Status.REFUSED:  # received first: the control sheet names the applicant
        expected.add("applications_controlsheetentry.from_party")
    assert expected <= set(_where_found(NAME))

    run = retention_run(now=timezone.now() + timedelta(days=365 * 11))

    assert run.dossiers_anonymised == 1
    for value in PERSONAL:
        assert _where_found(value) == [], value
