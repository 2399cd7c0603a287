from datetime import date

import pytest

from django.core.exceptions import ValidationError

from portal.lib.idnumber import id_number_warnings, mask_id_number, validate_id_number


@pytest.mark.parametrize("raw, expected", [
    ("001084000999", "001084000999"),
    ("087 084 000 999", "087084000999"),
    ("079.301.123456", "079301123456"),
])
def test_a_valid_number_is_normalised(raw, expected):
    assert validate_id_number(raw) == expected


@pytest.mark.parametrize("raw", ["00108400099", "0010840009990", "00108400099A", "", "   "])
def test_anything_but_twelve_digits_is_refused(raw):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(raw)
    assert caught.value.code == "id_number_format"
    assert "12 chữ số" in caught.value.messages[0]


@pytest.mark.parametrize("prefix", ["000", "003", "099", "100", "999"])
def test_a_prefix_outside_the_province_table_is_refused(prefix):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(prefix + "084000999")
    assert caught.value.code == "id_number_province"


def test_the_error_message_never_repeats_the_number():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("999084000999")
    assert "999084000999" not in " ".join(caught.value.messages)


def test_a_matching_birth_year_gives_no_warning():
    assert id_number_warnings("001084000999", date(1984, 5, 1)) == []
    assert id_number_warnings("001305000999", date(2005, 5, 1)) == []  # G=3: female, 2000s


@pytest.mark.parametrize("number, birth", [
    ("001084000999", date(2084, 1, 1)),  # G=0 says 1900s
    ("001284000999", date(1984, 1, 1)),  # G=2 says 2000s
    ("001084000999", date(1985, 1, 1)),  # year digits differ
])
def test_a_century_or_year_mismatch_is_a_warning_not_an_error(number, birth):
    assert validate_id_number(number) == number
    warnings = id_number_warnings(number, birth)
    assert len(warnings) == 1 and "kiểm tra lại" in warnings[0]


def test_no_birth_date_means_no_warning():
    assert id_number_warnings("001084000999", None) == []


def test_masking_keeps_only_the_last_three_digits():
    assert mask_id_number("001084000999") == "•••••••••999"
    assert mask_id_number("") == ""
