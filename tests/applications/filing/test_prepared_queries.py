"""PreparedQuery runs the SQL the ORM compiled once, with each call's values, and builds the same objects."""

from __future__ import annotations

import pytest

from applications.models import Dossier, Status
from applications.prepared import PreparedQuery
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


def _fields(dossier: Dossier) -> dict:
    return {name: value for name, value in dossier.__dict__.items() if name != "_state"}


def test_each_call_gets_the_rows_the_queryset_would_for_its_own_values(citizen, other_citizen, version, commune):
    mine = [make_dossier(version, commune, citizen) for _ in range(3)]
    theirs = make_dossier(version, commune, other_citizen)
    make_dossier(version, commune, citizen, status=Status.DRAFT)

    def build(owner_id):
        return (Dossier.objects.filter(owner_id=owner_id).exclude(status=Status.DRAFT)
                .select_related("procedure_version__procedure", "agency").only("code", "procedure_version__name",
                                                                               "procedure_version__procedure__code",
                                                                               "agency__name"))

    prepared = PreparedQuery(build, markers=(-1,))
    for owner, expected in ((citizen, mine), (other_citizen, [theirs]), (citizen, mine)):
        rows, orm = prepared(owner.pk), list(build(owner.pk))
        assert [row.pk for row in rows] == [row.pk for row in orm] == [d.pk for d in reversed(expected)]
        for row, same in zip(rows, orm, strict=True):
            assert _fields(row) == _fields(same)
            assert _fields(row.procedure_version) == _fields(same.procedure_version)
            assert row.procedure_version.procedure.code == version.procedure.code and row.agency.name == commune.name
            assert row.get_deferred_fields() == same.get_deferred_fields()


def test_two_arguments_and_no_row(citizen, other_citizen, version, commune):
    dossier = make_dossier(version, commune, citizen)
    prepared = PreparedQuery(lambda owner_id, code: Dossier.objects.filter(owner_id=owner_id, code=code)[:1],
                             markers=(-1, "\x00code"))
    assert [row.pk for row in prepared(citizen.pk, dossier.code)] == [dossier.pk]
    assert prepared(other_citizen.pk, dossier.code) == []
    assert prepared(citizen.pk, dossier.code + "-x") == []


def test_a_lookup_that_changes_its_value_is_refused(citizen):
    prepared = PreparedQuery(lambda code: Dossier.objects.filter(code__contains=code), markers=("\x00code",))
    with pytest.raises(ValueError, match="did not reach the SQL parameters"):
        prepared("H99")
