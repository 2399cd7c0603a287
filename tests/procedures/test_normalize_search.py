import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.lib.text import normalize_search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ   KHAI\tSINH", "dang ky khai sinh"),
        ("đ Đ d D", "d d d d"),
        ("Chứng thực bản sao", "chung thuc ban sao"),
        ("1.001193", "1.001193"),
        ("", ""),
        (None, ""),
    ],
)
def test_it_removes_accents_case_and_extra_spaces(text, expected):
    assert normalize_search(text) == expected


def test_decomposed_and_composed_input_give_the_same_text():
    composed = "Đăng ký kết hôn"
    import unicodedata

    assert normalize_search(unicodedata.normalize("NFD", composed)) == normalize_search(composed)


@given(st.text())
def test_any_unicode_gives_a_stable_printable_string(text):
    result = normalize_search(text)
    assert isinstance(result, str)
    assert normalize_search(result) == result
    result.encode("utf-8")  # no lone surrogates left for the database driver
    assert "\x00" not in result
