"""Dossier codes (Circular 01/2018/TT-VPCP Art 19; Circular 03/2025/TT-VPCP Art 13 k3): both layouts, daily sequence per agency, never reused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from applications.codes import dossier_code_next
from applications.models import Status
from tests.applications.workflow.conftest import drive, new_draft


def test_the_circular_01_2018_layout_is_the_default(commune):
    assert dossier_code_next(commune, date(2026, 1, 15)) == "000.01.01.H99-260115-0001"
    assert dossier_code_next(commune, date(2026, 1, 15)) == "000.01.01.H99-260115-0002"


def test_the_sequence_restarts_each_day_and_per_agency(commune, other_commune):
    dossier_code_next(commune, date(2026, 1, 15))
    assert dossier_code_next(commune, date(2026, 1, 16)).endswith("-260116-0001")
    assert dossier_code_next(other_commune, date(2026, 1, 15)) == "000.02.01.H99-260115-0001"


def test_the_circular_04_2025_layout(settings, commune):
    settings.DOSSIER_CODE_FORMAT = "c04_2025"
    settings.DOSSIER_CODE_SYSTEM_ID = "07"
    assert dossier_code_next(commune, date(2026, 1, 25)) == "H99.01.01-260125-070001"


def test_a_refused_dossier_keeps_its_number_and_the_next_one_gets_a_new_one(cast, version, commune, citizen):
    refused = drive(new_draft(version, commune, citizen), Status.REFUSED, cast)
    following = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
    assert re.fullmatch(r"000\.01\.01\.H99-\d{6}-0001", refused.code)
    assert following.code.endswith("-0002")


def test_a_code_never_changes_after_submission(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    code = dossier.code
    drive_rest = ["request_supplement", "supplement", "submit_for_approval", "approve", "return_result"]
    from tests.applications.workflow.conftest import call

    for step in drive_rest:
        call(step, dossier, cast)
        dossier.refresh_from_db()
        assert dossier.code == code


def test_an_unknown_layout_is_a_configuration_error(settings, commune):
    from django.core.exceptions import ImproperlyConfigured

    settings.DOSSIER_CODE_FORMAT = "c99"
    with pytest.raises(ImproperlyConfigured):
        dossier_code_next(commune, date(2026, 1, 15))
