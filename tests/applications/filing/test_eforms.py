"""Form definition (FormField rows) → rendered form → validation, for every field type."""

import re
from datetime import date

import pytest

from django.utils import translation

from applications.eforms import eform_build, eform_display, eform_errors
from procedures.models import FieldType, FormField

pytestmark = pytest.mark.django_db

CHOICES = [{"value": "nam", "label": "Nam", "label_en": "Male"}, {"value": "nu", "label": "Nữ", "label_en": "Female"}]

# field_type, extra definition, rendered marker, a valid POST value, its JSON, an invalid POST value, error fragment
CASES = [
    (FieldType.TEXT, {"max_length": 10}, 'type="text"', "Nguyễn An", "Nguyễn An", "x" * 11, "Tối đa 10 ký tự"),
    (FieldType.TEXTAREA, {"min_length": 5}, "<textarea", "Năm chữ trở lên", "Năm chữ trở lên", "abc", "ít nhất 5 ký tự"),
    (FieldType.NUMBER, {"min_value": 1, "max_value": 10}, 'type="number"', "7", 7, "11", "lớn nhất là 10"),
    (FieldType.DATE, {}, 'type="date"', "2026-01-05", "2026-01-05", "2026-02-30", "Ngày không hợp lệ"),
    (FieldType.CHOICE, {"choices": CHOICES}, 'type="radio"', "nu", "nu", "khac", "Lựa chọn không hợp lệ"),
    (FieldType.MULTIPLE_CHOICE, {"choices": CHOICES}, 'type="checkbox"', ["nam", "nu"], ["nam", "nu"], ["x"],
     "Lựa chọn không hợp lệ"),
    (FieldType.YES_NO, {}, 'value="yes"', "no", False, "maybe", "Lựa chọn không hợp lệ"),
    (FieldType.EMAIL, {}, 'type="email"', "an@example.vn", "an@example.vn", "an@", "thư điện tử không hợp lệ"),
    (FieldType.PHONE, {}, 'type="tel"', "+84 912 345 678", "0912345678", "12345", "Số điện thoại không hợp lệ"),
    (FieldType.ID_NUMBER, {}, 'inputmode="numeric"', "001 084 000 999", "001084000999", "999084000999", "mã tỉnh"),
]


def define(version, field_type, key="answer", section="", order=1, required=True, **extra) -> FormField:
    return FormField.objects.create(
        version=version, key=key, label=f"Nhãn {key}", field_type=field_type, is_required=required, section=section,
        order=order, **extra,
    )


@pytest.fixture
def empty_version(commune):
    from tests.factories import make_procedure

    return make_procedure(agency=commune, with_form=False)


def post(key, value):
    return {key: value}


@pytest.mark.parametrize("field_type, extra, marker, good, good_json, bad, error", CASES,
                         ids=[case[0] for case in CASES])
def test_every_field_type_renders_validates_and_stores_json(
    empty_version, field_type, extra, marker, good, good_json, bad, error
):
    define(empty_version, field_type, **extra)

    rendered = str(eform_build(empty_version).as_div())
    assert marker in rendered and "Nhãn answer" in rendered

    form = eform_build(empty_version, data=post("answer", good))
    assert form.is_valid(), form.errors
    assert form.to_json() == {"answer": good_json}

    refused = eform_build(empty_version, data=post("answer", bad))
    assert not refused.is_valid()
    assert error in " ".join(refused.errors["answer"])


@pytest.mark.parametrize("field_type, extra", [(case[0], case[1]) for case in CASES] + [(FieldType.ADDRESS, {})],
                         ids=[case[0] for case in CASES] + ["address"])
def test_a_required_field_left_empty_is_an_error_in_vietnamese(empty_version, field_type, extra):
    define(empty_version, field_type, **extra)
    form = eform_build(empty_version, data={})
    assert not form.is_valid()
    assert "Vui lòng nhập thông tin này" in " ".join(form.errors["answer"])


@pytest.mark.parametrize("field_type, extra", [(case[0], case[1]) for case in CASES] + [(FieldType.ADDRESS, {})],
                         ids=[case[0] for case in CASES] + ["address"])
def test_an_optional_field_may_stay_empty(empty_version, field_type, extra):
    define(empty_version, field_type, required=False, **extra)
    form = eform_build(empty_version, data={})
    assert form.is_valid(), form.errors
    assert form.to_json()["answer"] in (None, [])


def test_an_address_is_a_province_select_and_two_text_inputs(empty_version):
    define(empty_version, FieldType.ADDRESS)
    rendered = str(eform_build(empty_version).as_div())
    assert '<select name="answer_0"' in rendered and "Hà Nội" in rendered and "Cà Mau" in rendered
    assert 'name="answer_1"' in rendered and 'name="answer_2"' in rendered

    form = eform_build(empty_version, data={"answer_0": "Cần Thơ", "answer_1": "Phường Ninh Kiều", "answer_2": "12 Hòa Bình"})
    assert form.is_valid(), form.errors
    assert form.to_json() == {"answer": {"province": "Cần Thơ", "commune": "Phường Ninh Kiều", "detail": "12 Hòa Bình"}}

    not_a_province = eform_build(empty_version, data={"answer_0": "Sao Hỏa", "answer_1": "X", "answer_2": ""})
    assert not not_a_province.is_valid()
    no_commune = eform_build(empty_version, data={"answer_0": "Cần Thơ", "answer_1": "", "answer_2": ""})
    assert not no_commune.is_valid()


def test_a_pattern_is_checked_against_the_whole_value_with_the_admins_message(empty_version):
    define(empty_version, FieldType.TEXT, pattern=r"\d{5}", pattern_message="Mã bưu chính gồm 5 chữ số.")
    assert eform_build(empty_version, data={"answer": "10000"}).is_valid()
    refused = eform_build(empty_version, data={"answer": "100001"})
    assert not refused.is_valid()
    assert refused.errors["answer"] == ["Mã bưu chính gồm 5 chữ số."]


def test_a_broken_admin_pattern_does_not_break_the_form(empty_version):
    define(empty_version, FieldType.TEXT, pattern="([unclosed")
    assert eform_build(empty_version, data={"answer": "anything"}).is_valid()


def test_an_impossible_or_implausible_date_is_refused(empty_version):
    define(empty_version, FieldType.DATE)
    for value in ("31/02/2026", "1850-01-01", "hôm qua"):
        assert not eform_build(empty_version, data={"answer": value}).is_valid()
    accepted = eform_build(empty_version, data={"answer": "05/01/2026"})
    assert accepted.is_valid() and accepted.cleaned_data["answer"] == date(2026, 1, 5)


def test_fields_are_grouped_by_section_in_the_defined_order(empty_version):
    define(empty_version, FieldType.TEXT, key="mother_name", section="Thông tin người mẹ", order=3)
    define(empty_version, FieldType.TEXT, key="child_name", section="Thông tin trẻ", order=1)
    define(empty_version, FieldType.DATE, key="child_birth", section="Thông tin trẻ", order=2)
    sections = eform_build(empty_version).sections()
    assert [(title, [f.name for f in fields]) for title, fields in sections] == [
        ("Thông tin trẻ", ["child_name", "child_birth"]), ("Thông tin người mẹ", ["mother_name"]),
    ]


def test_labels_and_choices_follow_the_active_language(empty_version):
    FormField.objects.create(version=empty_version, key="sex", label="Giới tính", label_en="Sex",
                             help_text="Chọn một", help_text_en="Pick one", field_type=FieldType.CHOICE,
                             choices=CHOICES, is_required=True)
    with translation.override("en"):
        rendered = str(eform_build(empty_version).as_div())
        assert "Sex" in rendered and "Male" in rendered and "Pick one" in rendered
    with translation.override("vi"):
        rendered = str(eform_build(empty_version).as_div())
        assert "Giới tính" in rendered and "Nữ" in rendered and "Chọn một" in rendered


def test_admin_help_text_is_escaped_because_crispy_renders_it_as_safe(empty_version):
    FormField.objects.create(version=empty_version, key="x", label="X", help_text="<b onmouseover=alert(1)>h</b>",
                             field_type=FieldType.TEXT)
    rendered = str(eform_build(empty_version).as_div())
    assert "<b onmouseover" not in rendered and "&lt;b onmouseover" in rendered


def test_stored_answers_validate_again_and_show_as_text(empty_version):
    define(empty_version, FieldType.DATE, key="d", order=1)
    define(empty_version, FieldType.YES_NO, key="yn", order=2)
    define(empty_version, FieldType.MULTIPLE_CHOICE, key="mc", order=3, choices=CHOICES)
    define(empty_version, FieldType.ADDRESS, key="addr", order=4)
    define(empty_version, FieldType.NUMBER, key="n", order=5)
    define(empty_version, FieldType.ID_NUMBER, key="idn", order=6)
    stored = {"d": "2026-01-05", "yn": False, "mc": ["nam", "nu"], "n": 3, "idn": "001084000999",
              "addr": {"province": "Huế", "commune": "Phường Thuận Hóa", "detail": "1 Lê Lợi"}}

    assert eform_errors(empty_version, stored) == {}
    assert set(eform_errors(empty_version, {**stored, "d": None})) == {"d"}
    answers = dict(eform_display(empty_version, stored)[0][1])
    assert answers == {"Nhãn d": "05/01/2026", "Nhãn yn": "Không", "Nhãn mc": "Nam, Nữ", "Nhãn n": "3",
                       "Nhãn idn": "001084000999", "Nhãn addr": "1 Lê Lợi, Phường Thuận Hóa, Huế"}
    masked = dict(eform_display(empty_version, stored, mask_ids=True)[0][1])
    assert masked["Nhãn idn"] == "•••••••••999"


def test_an_unbound_form_shows_the_stored_answers_to_resume(empty_version):
    define(empty_version, FieldType.YES_NO, key="yn", order=1)
    define(empty_version, FieldType.ADDRESS, key="addr", order=2)
    rendered = str(eform_build(empty_version, stored={
        "yn": True, "addr": {"province": "Huế", "commune": "Thuận Hóa", "detail": ""}}).as_div())
    assert re.search(r'<input type="radio" name="yn" value="yes"[^>]*checked', rendered)
    assert not re.search(r'<input type="radio" name="yn" value="no"[^>]*checked', rendered)
    assert '<option value="Huế" selected>' in rendered and 'value="Thuận Hóa"' in rendered


def test_an_id_number_against_a_birth_date_in_the_same_section_warns(empty_version):
    define(empty_version, FieldType.ID_NUMBER, key="mother_id", section="Người mẹ", order=1)
    define(empty_version, FieldType.DATE, key="mother_birth_date", section="Người mẹ", order=2)
    form = eform_build(empty_version, data={"mother_id": "001084000999", "mother_birth_date": "1990-03-01"})
    assert form.is_valid()
    assert len(form.warnings()) == 1
    agrees = eform_build(empty_version, data={"mother_id": "001090000999", "mother_birth_date": "1990-03-01"})
    assert agrees.is_valid() and agrees.warnings() == []
