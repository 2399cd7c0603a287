"""The VNPay IPN endpoint: every reply code, and nothing changes on a refused notification."""

from __future__ import annotations

import pytest

from django.db import OperationalError, connection
from django.urls import reverse

from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_start
from tests.payments.conftest import FEE, vnpay_result

pytestmark = pytest.mark.django_db
IPN = reverse("payments:notification", args=["vnpay"])


@pytest.fixture
def attempt(dossier) -> PaymentAttempt:
    return payment_start(dossier=dossier, provider_id="vnpay", payer_ip="203.0.113.5")


def ipn(client, params):
    response = client.get(IPN, params)
    assert response.status_code == 200
    return response.json()


def test_a_paid_notification_confirms_the_attempt_and_moves_the_dossier_on(client, attempt, dossier):
    reply = ipn(client, vnpay_result(attempt))

    assert reply == {"RspCode": "00", "Message": "Confirm Success"}
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED
    assert attempt.provider_txn_no == "14812345" and attempt.bank_code == "NCB"
    assert attempt.settled_at is not None
    assert dossier.status == Status.RECEIVED
    receipt = Document.objects.get(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}")
    assert receipt.dossier == dossier
    assert receipt.context["amount"] == FEE and receipt.context["txn_ref"] == attempt.txn_ref


@pytest.mark.parametrize(("response_code", "transaction_status", "state"), [
    ("24", "02", AttemptState.CANCELLED), ("51", "02", AttemptState.FAILED), ("00", "01", AttemptState.FAILED),
    ("07", "00", AttemptState.FAILED),
])
def test_paid_only_when_both_codes_are_00_otherwise_recorded_and_answered_00(
    client, attempt, dossier, response_code, transaction_status, state
):
    reply = ipn(client, vnpay_result(attempt, response_code=response_code, transaction_status=transaction_status))

    assert reply["RspCode"] == "00"
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == state
    assert dossier.status == Status.AWAITING_PAYMENT
    assert not Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).exists()


def test_a_forged_signature_answers_97_and_changes_nothing(client, attempt, dossier):
    params = vnpay_result(attempt)
    params["vnp_SecureHash"] = "0" * 128

    assert ipn(client, params) == {"RspCode": "97", "Message": "Invalid signature"}
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and dossier.status == Status.AWAITING_PAYMENT


def test_a_notification_signed_with_the_sandbox_secret_is_refused_by_the_vnpay_endpoint(client, dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    from tests.payments.conftest import sandbox_result

    assert ipn(client, sandbox_result(attempt))["RspCode"] == "97"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_an_unknown_reference_answers_01(client, attempt):
    params = vnpay_result(attempt)
    params.pop("vnp_SecureHash")
    params["vnp_TxnRef"] = "PNOTEXISTING0000000000"
    from payments.providers.vnpay import vnp_sign
    from tests.payments.conftest import VNPAY_SECRET

    params["vnp_SecureHash"] = vnp_sign(params, VNPAY_SECRET)
    assert ipn(client, params) == {"RspCode": "01", "Message": "Order not found"}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_a_sandbox_reference_is_not_found_at_the_vnpay_endpoint(client, dossier):
    attempt = payment_start(dossier=dossier, provider_id="sandbox")

    assert ipn(client, vnpay_result(attempt))["RspCode"] == "01"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_a_wrong_amount_answers_04_and_changes_nothing(client, attempt, dossier):
    assert ipn(client, vnpay_result(attempt, amount=FEE - 1)) == {"RspCode": "04", "Message": "Invalid amount"}
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and dossier.status == Status.AWAITING_PAYMENT


def test_a_replayed_notification_answers_02_and_changes_nothing_more(client, attempt, dossier):
    params = vnpay_result(attempt)
    assert ipn(client, params)["RspCode"] == "00"
    dossier.refresh_from_db()
    version = dossier.version

    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    dossier.refresh_from_db()
    assert dossier.version == version
    assert dossier.events.filter(action="payment_confirmed").count() == 1
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).count() == 1


def test_a_failure_arriving_after_the_success_answers_02_and_stays_succeeded(client, attempt):
    assert ipn(client, vnpay_result(attempt))["RspCode"] == "00"

    late = vnpay_result(attempt, response_code="51", transaction_status="02", transaction_no="14899999")
    assert ipn(client, late)["RspCode"] == "02"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and attempt.provider_txn_no == "14812345"


def test_an_unexpected_error_answers_99_and_changes_nothing(client, attempt, dossier):
    # The database fails while the payment is being recorded (simulated at the database driver
    # boundary with Django's execute_wrapper, not by patching our code): the gateway is told 99,
    # so it retries later, and nothing half-done remains.
    def database_fails_on_update(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE"):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_fails_on_update):
        assert ipn(client, vnpay_result(attempt)) == {"RspCode": "99", "Message": "Unknown error"}
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and dossier.status == Status.AWAITING_PAYMENT


def test_a_reference_of_another_dossier_cannot_pay_this_one(client, attempt, fee_version, commune, other_citizen, officer):
    from tests.payments.conftest import awaiting_payment

    other = awaiting_payment(fee_version, commune, other_citizen, officer, amount=80_000)
    other_attempt = payment_start(dossier=other, provider_id="vnpay")
    # The notification names this dossier's attempt but carries the other dossier's amount.
    assert ipn(client, vnpay_result(attempt, amount=80_000))["RspCode"] == "04"
    assert ipn(client, vnpay_result(other_attempt))["RspCode"] == "00"
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert attempt.state == AttemptState.PENDING
    assert attempt.dossier.status == Status.AWAITING_PAYMENT and other.status == Status.RECEIVED


def test_the_ipn_refuses_post_and_needs_no_csrf_token(client, attempt):
    assert client.post(IPN, vnpay_result(attempt)).status_code == 405


def test_a_second_successful_attempt_for_a_paid_dossier_is_flagged_for_refund(client, dossier):
    first = payment_start(dossier=dossier, provider_id="vnpay")
    second = payment_start(dossier=dossier, provider_id="vnpay")
    assert ipn(client, vnpay_result(first))["RspCode"] == "00"

    assert ipn(client, vnpay_result(second, transaction_no="14800002"))["RspCode"] == "00"
    second.refresh_from_db()
    assert second.state == AttemptState.FAILED and second.needs_refund
    assert PaymentAttempt.objects.filter(dossier=dossier, state=AttemptState.SUCCEEDED).count() == 1


def test_a_payment_confirmed_after_the_attempt_expired_answers_02_and_is_flagged_for_refund(client, attempt, dossier):
    from payments.services import payment_expire

    assert payment_expire(attempt)

    assert ipn(client, vnpay_result(attempt))["RspCode"] == "02"
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED and attempt.needs_refund
    assert dossier.status == Status.AWAITING_PAYMENT


def test_an_unconfigured_gateway_answers_99(client, attempt, settings):
    params = vnpay_result(attempt)
    settings.VNPAY_HASH_SECRET = ""

    assert ipn(client, params) == {"RspCode": "99", "Message": "Unknown error"}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING
