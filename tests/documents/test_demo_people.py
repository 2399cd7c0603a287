"""The demo dossiers' people have valid, consistent answers, so their papers print what a real one does."""

from __future__ import annotations

import pytest

from applications.demo import demo_form_data
from applications.eforms import eform_errors, eform_warnings, form_definitions
from procedures import demo as procedures_demo
from procedures.models import FieldType, Procedure

pytestmark = pytest.mark.django_db


def test_every_demo_procedures_answers_pass_the_e_form_with_valid_id_numbers(commune):
    procedures_demo.seed()
    versions = [procedure.current_version for procedure in Procedure.objects.select_related("current_version")]
    assert len(versions) > 10

    for version in versions:
        answers = demo_form_data(version)
        definitions = form_definitions(version)
        assert eform_errors(version, answers) == {}, version.procedure.code
        assert eform_warnings(definitions, answers) == [], version.procedure.code
        for definition in definitions:
            if definition.field_type == FieldType.ID_NUMBER and definition.is_required:
                assert len(answers[definition.key]) == 12, (version.procedure.code, definition.key)
            if definition.field_type == FieldType.ADDRESS:
                assert isinstance(answers[definition.key], dict), (version.procedure.code, definition.key)
