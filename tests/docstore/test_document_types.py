"""Document kinds are catalogue data: a new version of a procedure keeps them."""

import pytest

from procedures.services import procedure_version_new_draft

pytestmark = pytest.mark.django_db


def test_a_new_version_keeps_the_result_kind_and_the_components_kinds(version):
    draft = procedure_version_new_draft(version.procedure)
    assert draft.pk != version.pk
    assert draft.result_document_type == version.result_document_type is not None
    assert draft.components.get(order=2).document_type == version.components.get(order=2).document_type is not None
