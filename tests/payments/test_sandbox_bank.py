"""The sandbox gateway end to end over HTTP (DEBUG on): our pay page redirects the browser to the
simulated bank, the bank notifies our IPN endpoint on the live server and sends the browser back;
querydr reaches the bank over HTTP too."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlparse

import pytest

from django.urls import reverse

from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt
from payments.providers.registry import provider_get
from payments.services import payment_start
from payments.tasks import payment_reconcile
from sandbox.gateway import QUERY_RESPONSE_FIELDS, bank_decide, query_sign
from sandbox.models import BankTransaction
from tests.payments.conftest import FEE

pytestmark = pytest.mark.django_db(transaction=True)


def start(browser, dossier) -> tuple[PaymentAttempt, dict[str, str], str]:
    response = browser.post(reverse("payments:pay", args=[dossier.code]))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    return PaymentAttempt.objects.latest("pk"), dict(parse_qsl(location.query)), location.path


@pytest.mark.parametrize(("choice", "state", "status"), [
    ("success", AttemptState.SUCCEEDED, Status.RECEIVED),
    ("failure", AttemptState.FAILED, Status.AWAITING_PAYMENT),
    ("cancel", AttemptState.CANCELLED, Status.AWAITING_PAYMENT),
])
def test_the_bank_notifies_our_ipn_over_http_then_sends_the_browser_back(live_browser, dossier, choice, state, status):
    attempt, params, path = start(live_browser, dossier)
    assert path == reverse("sandbox:bank")
    assert live_browser.get(path, params).status_code == 200

    response = live_browser.post(path, {**params, "choice": choice})

    assert response.status_code == 302
    back = urlparse(response["Location"])
    assert back.path == reverse("payments:return", args=["sandbox"])
    # Settled by the IPN the bank sent over HTTP before redirecting: the return page only shows it.
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == state and dossier.status == status
    assert attempt.provider_txn_no == BankTransaction.objects.get(txn_ref=attempt.txn_ref).transaction_no
    page = live_browser.get(back.path, dict(parse_qsl(back.query)))
    assert page.status_code == 200
    assert attempt.txn_ref in page.content.decode()


def test_a_double_click_at_the_bank_pays_once_and_orders_one_receipt(live_browser, dossier):
    attempt, params, path = start(live_browser, dossier)

    live_browser.post(path, {**params, "choice": "success"})
    live_browser.post(path, {**params, "choice": "success"})

    receipt = Document.objects.get(kind=DocumentKind.PAYMENT_RECEIPT)
    assert receipt.source_key == f"payment:{attempt.pk}"
    assert receipt.context["payer"] == dossier.applicant_name
    assert receipt.context["lines"][0]["amount"] == FEE
    assert BankTransaction.objects.count() == 1


def test_the_bank_refuses_a_request_without_the_merchant_signature(live_browser, dossier):
    attempt, params, path = start(live_browser, dossier)
    params["vnp_Amount"] = "100"

    assert live_browser.get(path, params).status_code == 400
    assert live_browser.post(path, {**params, "choice": "success"}).status_code == 400
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and not BankTransaction.objects.exists()


def test_a_tampered_amount_in_the_return_url_shows_an_error_and_changes_nothing(live_browser, dossier):
    attempt, params, path = start(live_browser, dossier)
    back = urlparse(live_browser.post(path, {**params, "choice": "failure"})["Location"])
    result = dict(parse_qsl(back.query))
    result["vnp_Amount"] = "100"
    result["vnp_ResponseCode"] = result["vnp_TransactionStatus"] = "00"

    response = live_browser.get(back.path, result)

    assert response.status_code == 400
    assert "Chữ ký" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FAILED


def test_a_lost_notification_is_settled_from_the_return_page_by_querydr_over_http(live_browser, dossier, settings):
    attempt, params, _path = start(live_browser, dossier)
    # The bank decided but its IPN never reached us (the browser is back first).
    result = bank_decide(params, "success", settings.SANDBOX_PAYMENT_SECRET)

    page = live_browser.get(reverse("payments:return", args=["sandbox"]), result)

    assert page.status_code == 200 and "Thanh toán thành công" in page.content.decode()
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and dossier.status == Status.RECEIVED


def test_reconciliation_asks_the_bank_over_http(live_browser, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="sandbox")
    payment = provider_get("sandbox").payment_params(attempt, return_url="http://x.invalid/", ip_address="127.0.0.1")
    bank_decide(payment, "success", settings.SANDBOX_PAYMENT_SECRET)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        created_at=attempt.created_at - timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1))

    assert payment_reconcile.delay().get() == {"settled": 1}
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and dossier.status == Status.RECEIVED


def test_the_bank_querydr_endpoint_answers_signed_json(client, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="sandbox")
    provider = provider_get("sandbox")
    bank_decide(provider.payment_params(attempt, return_url="http://x.invalid/", ip_address="127.0.0.1"), "success",
                settings.SANDBOX_PAYMENT_SECRET)
    body = provider.query_request(attempt)
    api = reverse("sandbox:bank-api")

    answer = client.post(api, json.dumps(body), content_type="application/json").json()

    assert answer["vnp_ResponseCode"] == "00" and answer["vnp_TransactionStatus"] == "00"
    assert answer["vnp_Amount"] == str(attempt.amount * 100)
    assert answer["vnp_SecureHash"] == query_sign(answer, QUERY_RESPONSE_FIELDS, settings.SANDBOX_PAYMENT_SECRET)
    forged = client.post(api, json.dumps({**body, "vnp_TxnRef": "X"}), content_type="application/json").json()
    assert forged["vnp_ResponseCode"] == "97"
    assert client.post(api, "[1]", content_type="application/json").status_code == 400
