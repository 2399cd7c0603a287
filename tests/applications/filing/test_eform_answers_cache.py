"""The dossier pages' answers (applications.selectors.eform_answers): eform_display over form fields
taken from the catalogue cache, with no answer ever put in the cache."""

from __future__ import annotations

import pickle

import pytest

from django.core.cache import cache
from django.utils import translation

from applications.eforms import eform_display
from applications.selectors import eform_answers
from procedures.cache import catalogue_cache_key
from procedures.models import FieldType, FormField
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

CHOICES = [{"value": "nam", "label": "Nam", "label_en": "Male"}, {"value": "nu", "label": "Nữ", "label_en": "Female"}]


def test_the_cached_answers_are_eform_displays_in_every_language_and_hold_no_answer(
    commune, django_assert_num_queries
):
    version = make_procedure(agency=commune, with_form=False)
    for order, (kind, extra) in enumerate([
        (FieldType.DATE, {}), (FieldType.YES_NO, {}), (FieldType.MULTIPLE_CHOICE, {"choices": CHOICES}),
        (FieldType.ADDRESS, {}), (FieldType.ID_NUMBER, {"section": "Người được khai sinh"}),
    ], start=1):
        FormField.objects.create(version=version, key=f"k{order}", label=f"Nhãn {order}", label_en=f"Label {order}",
                                 field_type=kind, order=order, is_required=False, **extra)
    stored = {"k1": "2026-01-05", "k2": True, "k3": ["nam", "nu"], "k5": "001084000999",
              "k4": {"province": "Huế", "commune": "Phường Thuận Hóa", "detail": "1 Lê Lợi"}}
    for language in ("vi", "en"):
        with translation.override(language):
            assert eform_answers(version, stored) == eform_display(version, stored)
            with django_assert_num_queries(0):
                again = eform_answers(version, stored)
            assert again == eform_display(version, stored)
    with translation.override("en"):
        assert dict(eform_answers(version, stored)[0][1])["Label 3"] == "Male, Female"
    cached = cache.get(catalogue_cache_key("form-fields", version.pk))
    assert [field.key for field in cached] == ["k1", "k2", "k3", "k4", "k5"]
    stored_bytes = pickle.dumps(cached)
    assert b"001084000999" not in stored_bytes and "Lê Lợi".encode() not in stored_bytes
