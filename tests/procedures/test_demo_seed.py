import pytest

from procedures import demo
from procedures.models import Component, Fee, FieldType, FormField, Procedure, ServiceLevel

pytestmark = pytest.mark.django_db

REQUIRED_CODES = {"1.001193", "1.000894", "1.000656", "1.004873", "2.000815", "2.000884", "1.004222", "1.004194",
                  "2.000635"}


def _snapshot():
    return (
        sorted(Procedure.objects.values_list("code", "current_version__name", "search_text", "popularity")),
        Component.objects.count(), Fee.objects.count(), FormField.objects.count(),
        sorted(Component.objects.values_list("template_file", flat=True)),
    )


def test_seeding_twice_changes_nothing(commune, other_commune):
    created = demo.seed()
    first = _snapshot()

    assert demo.seed() == []
    assert _snapshot() == first
    assert len(created) >= 20


def test_demo_has_real_codes_both_service_levels_and_both_communes(catalogue, commune, other_commune):
    procedures = Procedure.objects.filter(is_published=True).select_related("current_version")

    assert REQUIRED_CODES <= {p.code for p in procedures}
    levels = {p.code: p.current_version.service_level for p in procedures}
    assert levels["1.004873"] == levels["2.000635"] == levels["1.004194"] == ServiceLevel.FULL
    assert levels["1.000894"] == levels["2.000815"] == levels["2.000884"] == ServiceLevel.PARTIAL
    for procedure in procedures:
        version = procedure.current_version
        assert set(version.receiving_agencies.all()) == {commune, other_commune}
        assert version.form_fields.exists(), procedure.code
        assert version.components.exclude(template_file="").exists(), procedure.code
        if version.service_level == ServiceLevel.PARTIAL:
            assert version.partial_reason, procedure.code


def test_demo_fees_follow_the_cited_rules(catalogue):
    def fees(code):
        return list(Fee.objects.filter(version__procedure__code=code).values_list("amount", "basis", "cap"))

    assert fees("2.000815") == [(2_000, "per_page", 200_000), (1_000, "per_page", 200_000)]
    assert fees("2.000884") == [(10_000, "per_case", None)]
    assert fees("1.004873") == [(3_000, "per_case", None)]
    birth = Fee.objects.get(version__procedure__code="1.001193")
    assert birth.is_exemptible and "đúng hạn" in birth.exemption_text


def test_demo_forms_use_only_known_field_types_with_choices_where_needed(catalogue):
    for form_field in FormField.objects.all():
        assert form_field.field_type in FieldType.values
        if form_field.field_type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE):
            assert all({"value", "label"} <= set(choice) for choice in form_field.choices)
            assert form_field.choices
    birth_keys = set(FormField.objects.filter(version__procedure__code="1.001193").values_list("key", flat=True))
    assert {"child_name", "child_birth_date", "child_sex", "mother_id_number", "father_id_number"} <= birth_keys
