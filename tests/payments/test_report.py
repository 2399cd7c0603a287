"""The payments report: scope, filters, totals that count only money received, receipt numbers,
one money format, and the same figures in Excel (written safely)."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from applications.models import Dossier
from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_expire, payment_record_counter, payment_start
from tests.payments.conftest import awaiting_payment, notify, sandbox_result

pytestmark = pytest.mark.django_db
REPORT = reverse("payments:report")


def pay_online(attempt: PaymentAttempt, *, response_code: str = "00", transaction_status: str = "00",
               transaction_no: str = "14812345") -> PaymentAttempt:
    """The sandbox gateway notifies our IPN (the only way an online attempt settles)."""
    notify("sandbox", sandbox_result(
        attempt, response_code=response_code, transaction_status=transaction_status, transaction_no=transaction_no))
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def payments(fee_version, commune, other_commune, citizen, other_citizen, officer, other_officer):
    """Two online attempts (one failed, one pending) and one counter payment in the commune; one in the other."""
    first = awaiting_payment(fee_version, commune, citizen, officer)
    online = payment_start(dossier=first, provider_id="sandbox")
    PaymentAttempt.objects.filter(pk=online.pk).update(state=AttemptState.FAILED)
    payment_start(dossier=first, provider_id="sandbox")
    second = awaiting_payment(fee_version, commune, other_citizen, officer, amount=30_000)
    payment_record_counter(dossier=second, officer=officer, method="cash", receipt_number="BL-1", amount=30_000)
    elsewhere = awaiting_payment(fee_version, other_commune, citizen, other_officer, amount=70_000)
    payment_record_counter(dossier=elsewhere, officer=other_officer, method="card", receipt_number="BL-1", amount=70_000)


@pytest.fixture
def every_outcome(fee_version, commune, citizen, other_citizen, officer):
    """One 8.000đ dossier paid online after a failed, an expired and an abandoned try; a second dossier
    whose payer paid twice (the second is flagged for a refund); a counter receipt; a cancelled try."""
    dossier = awaiting_payment(fee_version, commune, citizen, officer, amount=8_000)
    pay_online(payment_start(dossier=dossier, provider_id="sandbox"), response_code="51", transaction_status="02",
               transaction_no="1001")                                                    # failed at the bank
    payment_expire(payment_start(dossier=dossier, provider_id="sandbox"))                # expired
    payment_start(dossier=dossier, provider_id="sandbox")                                # abandoned, still pending
    pay_online(payment_start(dossier=dossier, provider_id="sandbox"), transaction_no="1002")  # paid
    twice = awaiting_payment(fee_version, commune, other_citizen, officer, amount=12_000)
    tab_one = payment_start(dossier=twice, provider_id="sandbox")
    tab_two = payment_start(dossier=twice, provider_id="sandbox")
    pay_online(tab_one, transaction_no="1003")
    pay_online(tab_two, transaction_no="1004")                                           # refund needed
    cancelled_dossier = awaiting_payment(fee_version, commune, citizen, officer, amount=5_000)
    pay_online(payment_start(dossier=cancelled_dossier, provider_id="sandbox"), response_code="24",
               transaction_status="02", transaction_no="1005")                           # cancelled by the payer
    counter_dossier = awaiting_payment(fee_version, commune, other_citizen, officer, amount=30_000)
    payment_record_counter(dossier=counter_dossier, officer=officer, method="cash", receipt_number="BL-7",
                           amount=30_000)


def test_totals_count_only_money_received_and_add_up_from_the_rows(client, officer, every_outcome):
    client.force_login(officer)

    response = client.get(REPORT)

    assert response.status_code == 200
    report, rows = response.context["report"], response.context["rows"]
    states = sorted(row.attempt.state for row in rows)
    assert states.count(AttemptState.FAILED) == 2 and AttemptState.EXPIRED in states
    assert AttemptState.PENDING in states and AttemptState.CANCELLED in states
    assert any(row.attempt.needs_refund for row in rows)
    received = [row.attempt for row in rows if row.attempt.state == AttemptState.SUCCEEDED]
    assert report.attempt_count == len(rows) == 8
    assert report.count == len(received) == 3
    assert report.amount == sum(attempt.amount for attempt in received) == 8_000 + 12_000 + 30_000
    assert sum(row.received for row in rows) == report.amount
    for channel, subtotal in report.by_channel.items():
        mine = [attempt for attempt in received if attempt.channel == channel]
        assert (subtotal["count"], subtotal["amount"]) == (len(mine), sum(attempt.amount for attempt in mine))
    body = response.content.decode()
    total_cell = re.search(r'data-testid="report-total">([^<]+)<', body).group(1)
    assert total_cell == "50.000 đ"


def test_one_paid_8000_after_three_tries_shows_one_payment_of_8000(client, officer, fee_version, commune, citizen):
    dossier = awaiting_payment(fee_version, commune, citizen, officer, amount=8_000)
    payment_expire(payment_start(dossier=dossier, provider_id="sandbox"))
    pay_online(payment_start(dossier=dossier, provider_id="sandbox"), response_code="51", transaction_status="02",
               transaction_no="2001")
    payment_start(dossier=dossier, provider_id="sandbox")
    pay_online(payment_start(dossier=dossier, provider_id="sandbox"), transaction_no="2002")
    client.force_login(officer)

    response = client.get(REPORT)

    report = response.context["report"]
    assert (report.attempt_count, report.count, report.amount) == (4, 1, 8_000)
    body = response.content.decode()
    assert re.search(r'data-testid="report-count">1<', body)
    assert "32.000" not in body


def test_the_paid_rows_show_their_receipt_numbers(client, officer, every_outcome):
    client.force_login(officer)

    rows = client.get(REPORT).context["rows"]

    for row in rows:
        attempt = row.attempt
        if attempt.state != AttemptState.SUCCEEDED:
            assert row.receipt_number == "" and row.received == 0
        elif attempt.channel == "counter":
            assert row.receipt_number == "BL-7"
        else:
            e_receipt = Dossier.objects.get(pk=attempt.dossier_id).documents.get(source_key=f"payment:{attempt.pk}")
            assert e_receipt.number and row.receipt_number == e_receipt.number


def test_money_is_written_one_way_on_the_report(client, officer, every_outcome):
    client.force_login(officer)

    body = client.get(REPORT).content.decode()

    assert "8.000 đ" in body and "30.000 đ" in body
    assert not re.search(r"\d{4,} ?đ", body)  # never "8000 đ" / "8000đ"
    assert not re.search(r"\d\.\d{3}đ", body)  # never "8.000đ"


def test_the_excel_export_has_the_same_rows_and_totals(client, officer, every_outcome):
    client.force_login(officer)
    page = client.get(REPORT).context["report"]

    response = client.get(REPORT, {"format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    values = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    data_rows = [row for row in values[1:] if row and row[1]]
    total_row = values[-1]
    assert len(data_rows) == page.attempt_count
    assert sum(row[11] for row in data_rows) == total_row[11] == page.amount
    assert total_row[9] == page.count == sum(1 for row in data_rows if row[11])
    assert sum(row[10] for row in data_rows) > total_row[11]  # attempts are not money


def test_the_excel_export_writes_an_applicants_formula_as_text(client, officer, payments):
    Dossier.objects.update(applicant_name='=HYPERLINK("http://evil.example","Bấm")')
    client.force_login(officer)

    response = client.get(REPORT, {"format": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2) if row[1].value]
    assert names and all(cell.value == '=HYPERLINK("http://evil.example","Bấm")' for cell in names)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)


@pytest.mark.parametrize("query", [
    {"date_from": "0001-01-01"}, {"date_to": "31/02/2026"}, {"agency": "abc"}, {"state": "stolen"},
    {"channel": "cash"}, {"format": "pdf"},
])
def test_a_malformed_filter_is_a_clear_400(client, officer, payments, query):
    client.force_login(officer)

    response = client.get(REPORT, query)

    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["report"] is None


def test_the_report_page_is_never_cached(client, officer, payments):
    client.force_login(officer)

    response = client.get(REPORT)

    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(("query", "count", "amount"), [
    ({"channel": "counter"}, 1, 30_000),
    ({"state": "succeeded"}, 1, 30_000),
    ({"state": "pending"}, 0, 0),
    ({"procedure": "9.999999"}, 0, 0),
])
def test_filters_narrow_rows_and_totals_together(client, officer, payments, query, count, amount):
    client.force_login(officer)

    report = client.get(REPORT, query).context["report"]

    assert (report.count, report.amount) == (count, amount)


def test_a_pending_filter_lists_the_attempt_without_counting_it_as_money(client, officer, payments):
    client.force_login(officer)

    report = client.get(REPORT, {"state": "pending"}).context["report"]

    assert report.attempt_count == 1 and report.amount == 0


def test_a_day_range_excludes_other_days(client, officer, payments):
    PaymentAttempt.objects.filter(channel="counter").update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(officer)
    today = timezone.localdate()

    today_only = client.get(REPORT, {"date_from": today.isoformat(), "date_to": today.isoformat()}).context["report"]
    week = client.get(REPORT, {"date_from": (today - timedelta(days=7)).isoformat(), "date_to": today.isoformat()})

    assert today_only.attempt_count == 2 and today_only.amount == 0
    assert week.context["report"].attempt_count == 3 and week.context["report"].amount == 30_000


def test_the_province_leader_sees_every_commune_and_may_filter_one(client, province, payments, other_commune):
    from tests.conftest import make_user

    leader = make_user("leader.tinh@example.vn", "leader", province)
    client.force_login(leader)

    assert client.get(REPORT).context["report"].attempt_count == 4
    assert client.get(REPORT, {"agency": other_commune.pk}).context["report"].amount == 70_000


def test_the_report_stays_within_the_agency(client, officer, payments):
    client.force_login(officer)

    response = client.get(REPORT)

    assert response.context["report"].amount == 30_000
    assert "70.000" not in response.content.decode()


def test_citizens_and_specialists_cannot_open_the_report(client, citizen, specialist):
    for user in (citizen, specialist):
        client.force_login(user)
        assert client.get(REPORT).status_code == 403


def test_the_report_page_query_count_does_not_grow_with_outcomes(client, officer, every_outcome,
                                                                django_assert_max_num_queries):
    client.force_login(officer)

    with django_assert_max_num_queries(8):
        response = client.get(REPORT)

    assert response.context["report"].attempt_count == 8


def test_the_excel_export_runs_a_few_queries(client, officer, every_outcome, django_assert_max_num_queries):
    client.force_login(officer)

    with django_assert_max_num_queries(8):
        assert client.get(REPORT, {"format": "xlsx"}).status_code == 200
