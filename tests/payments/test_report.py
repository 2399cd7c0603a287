"""The payments report: scope, filters, totals that add up, and the same figures in Excel."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_record_counter, payment_start
from tests.payments.conftest import FEE, awaiting_payment

pytestmark = pytest.mark.django_db
REPORT = reverse("payments:report")


@pytest.fixture
def payments(fee_version, commune, other_commune, citizen, other_citizen, officer, other_officer):
    """Two online attempts (one paid) and one counter payment in the commune; one in the other commune."""
    first = awaiting_payment(fee_version, commune, citizen, officer)
    online = payment_start(dossier=first, provider_id="sandbox")
    PaymentAttempt.objects.filter(pk=online.pk).update(state=AttemptState.FAILED)
    payment_start(dossier=first, provider_id="sandbox")
    second = awaiting_payment(fee_version, commune, other_citizen, officer, amount=30_000)
    payment_record_counter(dossier=second, officer=officer, method="cash", receipt_number="BL-1", amount=30_000)
    elsewhere = awaiting_payment(fee_version, other_commune, citizen, other_officer, amount=70_000)
    payment_record_counter(dossier=elsewhere, officer=other_officer, method="card", receipt_number="BL-1", amount=70_000)


def test_totals_add_up_and_stay_within_the_agency(client, officer, payments):
    client.force_login(officer)

    response = client.get(REPORT)

    assert response.status_code == 200
    report = response.context["report"]
    rows = response.context["rows"]
    assert len(rows) == 3 and report.count == 3
    assert sum(row.amount for row in rows) == report.amount == FEE + FEE + 30_000
    assert sum(s["amount"] for s in report.by_channel.values()) == report.amount
    assert report.by_channel["online"]["amount"] == 2 * FEE and report.by_channel["counter"]["amount"] == 30_000
    assert "70.000" not in response.content.decode()


@pytest.mark.parametrize(("query", "count", "amount"), [
    ({"channel": "counter"}, 1, 30_000),
    ({"state": "succeeded"}, 1, 30_000),
    ({"state": "pending"}, 1, FEE),
    ({"procedure": "9.999999"}, 0, 0),
])
def test_filters_narrow_rows_and_totals_together(client, officer, payments, query, count, amount):
    client.force_login(officer)

    report = client.get(REPORT, query).context["report"]

    assert (report.count, report.amount) == (count, amount)


def test_a_day_range_excludes_other_days(client, officer, payments):
    PaymentAttempt.objects.filter(channel="counter").update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(officer)
    today = timezone.localdate()

    today_only = client.get(REPORT, {"date_from": today.isoformat(), "date_to": today.isoformat()}).context["report"]
    week = client.get(REPORT, {"date_from": (today - timedelta(days=7)).isoformat(), "date_to": today.isoformat()})

    assert today_only.count == 2
    assert week.context["report"].count == 3


def test_the_province_leader_sees_every_commune_and_may_filter_one(client, province, payments, other_commune):
    from tests.conftest import make_user

    leader = make_user("leader.tinh@example.vn", "leader", province)
    client.force_login(leader)

    assert client.get(REPORT).context["report"].count == 4
    assert client.get(REPORT, {"agency": other_commune.pk}).context["report"].amount == 70_000


def test_the_excel_export_has_the_same_rows_and_totals(client, officer, payments):
    client.force_login(officer)

    response = client.get(REPORT, {"format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    data_rows = [row for row in values[1:] if row and row[1]]
    total_row = values[-1]
    assert len(data_rows) == 3
    assert sum(row[9] for row in data_rows) == total_row[9] == FEE + FEE + 30_000
    assert total_row[8] == 3


def test_citizens_and_specialists_cannot_open_the_report(client, citizen, specialist):
    for user in (citizen, specialist):
        client.force_login(user)
        assert client.get(REPORT).status_code == 403
