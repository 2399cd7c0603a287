"""One money format everywhere: 8000 đồng is written "8.000 đ" on every page, note and message."""

from __future__ import annotations

import re

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from payments.services import payment_request
from portal.lib.money import format_vnd
from portal.templatetags.portal_extras import vnd
from procedures.fees import fee_quote_for_dossier
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db
WRONG = [re.compile(r"\b\d{4,} ?(đ|đồng)\b"), re.compile(r"\b\d{1,3}(\.\d{3})+(đ|đồng)\b")]


def assert_one_format(text: str) -> None:
    for pattern in WRONG:
        assert not pattern.search(text), pattern.search(text).group(0)


@pytest.mark.parametrize(("amount", "text"), [
    (0, "0 đ"), (8_000, "8.000 đ"), (1_250_000, "1.250.000 đ"), (-2_000, "-2.000 đ"), (None, ""), ("8000", "8.000 đ"),
])
def test_the_helper_and_the_template_filter_agree(amount, text):
    assert format_vnd(amount) == vnd(amount) == text


@pytest.fixture
def assessed(commune, citizen, officer):
    version = make_procedure(name="Chứng thực chữ ký", agency=commune, fee=8_000)
    dossier = make_dossier(version, commune, citizen, status=Status.RECEIVED, received_at=timezone.now())
    payment_request(dossier=dossier, actor=officer, expected_version=dossier.version,
                    quote=fee_quote_for_dossier(dossier), pages=1, copies=1)
    dossier.refresh_from_db()
    return dossier


def test_the_fee_note_is_written_with_the_one_format(assessed):
    assert assessed.fee_amount == 8_000
    assert "8.000 đ" in assessed.fee_note
    assert_one_format(assessed.fee_note)


def test_the_officer_dossier_page_writes_the_fee_one_way(client, officer, assessed):
    client.force_login(officer)

    body = client.get(reverse("applications:officer-dossier", args=[assessed.code])).content.decode()

    assert "8.000 đ" in body
    assert_one_format(body)


@pytest.mark.parametrize("who", ["citizen", "officer"])
def test_the_payment_pages_write_the_fee_one_way(client, request, assessed, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("payments:pay" if who == "citizen" else "payments:counter", args=[assessed.code])

    body = client.get(url).content.decode()

    assert "8.000 đ" in body
    assert_one_format(body)


def test_the_citizens_timeline_writes_the_fee_one_way(client, citizen, assessed):
    client.force_login(citizen)

    body = client.get(reverse("applications:dossier", args=[assessed.code])).content.decode()

    assert "8.000 đ" in body
    assert_one_format(body)


def test_a_wrong_counter_amount_names_the_due_amount_in_the_one_format(client, officer, assessed):
    client.force_login(officer)

    response = client.post(reverse("payments:counter", args=[assessed.code]),
                           {"method": "cash", "receipt_number": "BL-9", "amount": 7_000})

    body = response.content.decode()
    assert "Số tiền thu phải đúng số tiền phải nộp: 8.000 đ." in body
    assert_one_format(body)
