"""Races against PostgreSQL with real threads: one outcome whatever arrives first."""

from __future__ import annotations

import threading

import pytest

from django.db import connection, connections
from django.test import Client

from applications.models import Document, DocumentKind, Dossier, Status
from payments.models import AttemptState, PaymentAttempt
from payments.providers.registry import provider_get
from payments.services import payment_start
from tests.payments.conftest import notify, vnpay_result

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def run_together(*callables) -> list:
    """Start the callables at the same moment on their own threads (and DB connections)."""
    barrier = threading.Barrier(len(callables))
    results: list = [None] * len(callables)
    errors: list = []

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_notifications_at_once_give_one_00_and_one_02_and_one_state_change(dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    params = vnpay_result(attempt)

    for _round in range(3):
        replies = run_together(
            lambda: notify("vnpay", params),
            lambda: notify("vnpay", params),
        )
        assert sorted(reply["RspCode"] for reply in replies) in (["00", "02"], ["02", "02"])

    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED
    assert dossier.status == Status.RECEIVED
    assert dossier.events.filter(action="payment_confirmed").count() == 1
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).count() == 1


def test_a_first_pair_of_notifications_gives_exactly_one_00(dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    params = vnpay_result(attempt)

    replies = run_together(
        lambda: notify("vnpay", params),
        lambda: notify("vnpay", params),
    )

    assert sorted(reply["RspCode"] for reply in replies) == ["00", "02"]
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="payment_confirmed").count() == 1


def test_success_and_failure_notifications_racing_give_one_final_state(dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    success = vnpay_result(attempt)
    failure = vnpay_result(attempt, response_code="51", transaction_status="02", transaction_no="14899999")

    replies = run_together(
        lambda: notify("vnpay", success),
        lambda: notify("vnpay", failure),
    )

    assert sorted(reply["RspCode"] for reply in replies) == ["00", "02"]
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state in (AttemptState.SUCCEEDED, AttemptState.FAILED)
    expected_status = Status.RECEIVED if attempt.state == AttemptState.SUCCEEDED else Status.AWAITING_PAYMENT
    assert dossier.status == expected_status


def test_the_browser_return_racing_the_notification_gives_one_outcome(fake_vnpay, dossier, citizen):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    payment = provider_get("vnpay").payment_params(attempt, return_url="http://testserver/", ip_address="127.0.0.1")
    result = fake_vnpay.decide(payment, "success", notify=False)
    browser = Client()
    browser.force_login(citizen)

    def browser_return():
        return browser.get("/payments/return/vnpay/", result).status_code

    def notification():
        return notify("vnpay", result)["RspCode"]

    status, rsp_code = run_together(browser_return, notification)

    assert status == 200
    assert rsp_code in ("00", "02")
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.SUCCEEDED
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.events.filter(action="payment_confirmed").count() == 1
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).count() == 1
