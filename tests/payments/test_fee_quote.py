"""fee_quote: per case, per page with bands, per copy, caps, effective dates, exemptions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.fees import fee_quote
from procedures.models import Fee, FeeBasis, FeeKind
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def add_fee(version, amount, basis=FeeBasis.PER_CASE, **fields) -> Fee:
    fields.setdefault("name", f"Phí {basis} {amount}")
    return Fee.objects.create(version=version, kind=FeeKind.FEE, amount=amount, basis=basis, **fields)


@pytest.fixture
def version(db):
    return make_procedure(name="Chứng thực bản sao từ bản chính")


def certification_fees(version, cap=200_000):
    """Circular 226/2016: 2.000đ/page for pages 1–2, 1.000đ/page from page 3, at most 200.000đ per copy."""
    add_fee(version, 2_000, FeeBasis.PER_PAGE, page_from=1, page_to=2, order=1)
    add_fee(version, 1_000, FeeBasis.PER_PAGE, page_from=3, cap=cap, order=2)


def test_a_per_case_fee_is_charged_once_whatever_the_pages_and_copies(version):
    add_fee(version, 8_000)

    quote = fee_quote(version, channel="counter", pages=10, copies=3)

    assert quote.total == 8_000
    assert [line.amount for line in quote.lines] == [8_000]


def test_page_bands_price_each_page_in_their_band_for_every_copy(version):
    certification_fees(version)

    quote = fee_quote(version, channel="counter", pages=5, copies=2)

    # (2 × 2.000 + 3 × 1.000) per copy, 2 copies.
    assert [line.amount for line in quote.lines] == [8_000, 6_000]
    assert quote.total == 14_000


def test_the_cap_limits_each_copy_and_the_lines_still_add_up(version):
    certification_fees(version)

    quote = fee_quote(version, channel="counter", pages=500, copies=3)

    assert quote.total == 3 * 200_000
    assert sum(line.amount for line in quote.lines) == quote.total
    assert all(line.amount >= 0 for line in quote.lines)


def test_a_per_copy_fee_is_multiplied_and_capped_per_copy(version):
    add_fee(version, 15_000, FeeBasis.PER_COPY, cap=10_000)

    assert fee_quote(version, channel="counter", copies=4).total == 40_000


def test_only_fees_in_force_on_the_day_count(version):
    add_fee(version, 5_000, effective_to=date(2025, 12, 31), name="Mức cũ")
    add_fee(version, 8_000, effective_from=date(2026, 1, 1), name="Mức mới")

    assert fee_quote(version, channel="counter", on=date(2025, 12, 31)).total == 5_000
    assert fee_quote(version, channel="counter", on=date(2026, 1, 1)).total == 8_000
    assert [line.name for line in fee_quote(version, channel="counter", on=date(2026, 6, 1)).lines] == ["Mức mới"]


def test_an_exemption_makes_the_total_zero_and_keeps_the_reason_and_lines(version):
    add_fee(version, 8_000)
    certification_fees(version)

    quote = fee_quote(version, channel="counter", pages=3, copies=1, exempt_reason="  Đăng ký khai sinh đúng hạn  ")

    assert quote.total == 0
    assert quote.exemption_reason == "Đăng ký khai sinh đúng hạn"
    assert len(quote.lines) == 3 and all(line.amount == 0 for line in quote.lines)


def test_no_pages_means_no_per_page_charge(version):
    certification_fees(version)

    assert fee_quote(version, channel="counter", pages=0, copies=2).total == 0


def test_negative_counts_are_refused(version):
    with pytest.raises(ValueError):
        fee_quote(version, channel="counter", pages=-1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pages=st.integers(min_value=0, max_value=2_000),
    copies=st.integers(min_value=0, max_value=50),
    amounts=st.lists(st.integers(min_value=0, max_value=500_000), min_size=1, max_size=4),
    cap=st.integers(min_value=0, max_value=300_000),
)
def test_the_total_is_never_negative_and_never_above_the_caps(version, pages, copies, amounts, cap):
    version.fees.all().delete()
    page_from = 1
    for index, amount in enumerate(amounts):
        add_fee(version, amount, FeeBasis.PER_PAGE, page_from=page_from, page_to=page_from + 2, cap=cap, order=index)
        page_from += 3

    quote = fee_quote(version, channel="counter", pages=pages, copies=copies)

    assert quote.total >= 0
    assert quote.total <= copies * cap
    assert quote.total == sum(line.amount for line in quote.lines)
