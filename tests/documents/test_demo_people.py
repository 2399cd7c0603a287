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


def test_a_seeded_demo_dossier_names_the_citizen_who_filed_it_as_its_requester():
    """The printed result says "Người yêu cầu: …": it must be the account holder, with their profile's ID."""
    from django.core.management import call_command

    from applications.models import Dossier

    call_command("seed_demo", verbosity=0)
    dossiers = Dossier.objects.filter(owner__isnull=False).select_related("owner")
    checked = 0
    for dossier in dossiers:
        answers = dossier.form_data
        if "requester_name" not in answers:
            continue
        assert answers["requester_name"] == dossier.owner.full_name, dossier.code
        assert answers["requester_id_number"] == dossier.owner.id_number, dossier.code
        if "mother_name" in answers:  # a child of the couple: the requester is a parent, not "self"
            assert answers["requester_relationship"] == "cha_me", dossier.code
        checked += 1
    assert checked >= 3
    assert {dossier.owner.email for dossier in dossiers if "mother_name" in dossier.form_data} == {
        "citizen@example.vn", "citizen2@example.vn"}
