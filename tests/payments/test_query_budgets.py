"""Pages run a fixed number of queries whatever the number of payments."""

from __future__ import annotations

import pytest

from django.urls import reverse

from payments.models import AgencyPaymentConfig, ProviderId
from payments.services import payment_record_counter, payment_start
from tests.payments.conftest import awaiting_payment, vnpay_result

pytestmark = pytest.mark.django_db


def test_the_report_page_query_count_does_not_grow_with_rows(client, officer, fee_version, commune, citizen,
                                                            django_assert_max_num_queries):
    for number in range(12):
        dossier = awaiting_payment(fee_version, commune, citizen, officer)
        payment_start(dossier=dossier, provider_id="sandbox")
        payment_record_counter(dossier=dossier, officer=officer, method="cash", receipt_number=f"BL-{number}",
                               amount=dossier.fee_amount)
    client.force_login(officer)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("payments:report"))

    report = response.context["report"]
    assert (report.attempt_count, report.count) == (24, 12)


def test_the_pay_page_runs_a_few_queries(client, citizen, dossier, django_assert_max_num_queries):
    for _number in range(5):
        payment_start(dossier=dossier, provider_id="sandbox")
    client.force_login(citizen)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("payments:pay", args=[dossier.code])).status_code == 200


def test_a_gateway_notification_and_its_replay_run_a_fixed_number_of_queries(
    client, dossier, django_assert_max_num_queries
):
    AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.VNPAY)
    for _number in range(5):
        payment_start(dossier=dossier, provider_id="vnpay")
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    params = vnpay_result(attempt)
    url = reverse("payments:notification", args=["vnpay"])

    # Settling moves the dossier on (event, control sheet, outbox rows, receipt order) in one go.
    with django_assert_max_num_queries(60):
        assert client.get(url, params).json()["RspCode"] == "00"
    # Gateways retry: a replay must stay cheap (find the attempt and its agency's account, answer 02).
    with django_assert_max_num_queries(4):
        assert client.get(url, params).json()["RspCode"] == "02"
