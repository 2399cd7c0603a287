"""Reconciliation: attempts whose notification never came are settled through querydr (against a
fake VNPay over real HTTP; the sandbox bank's turn is in test_sandbox_bank.py), and stale ones expire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt
from payments.providers.registry import provider_get
from payments.services import payment_start
from payments.tasks import payment_reconcile

pytestmark = pytest.mark.django_db


def age(attempt: PaymentAttempt, minutes: int) -> None:
    """Move an attempt `minutes` into the past (created and expiry together)."""
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        created_at=attempt.created_at - timedelta(minutes=minutes),
        expires_at=attempt.expires_at - timedelta(minutes=minutes),
    )
    attempt.refresh_from_db()


def payment_params(attempt) -> dict[str, str]:
    provider = provider_get(attempt.provider)
    return provider.payment_params(attempt, return_url="http://testserver/payments/return/x/", ip_address="127.0.0.1")


def test_a_paid_attempt_without_notification_is_settled_by_querydr(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "success", notify=False)
    age(attempt, settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)

    counts = payment_reconcile.delay().get()

    assert counts == {"settled": 1}
    assert fake_vnpay.querydr_calls == 1
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED
    assert attempt.provider_txn_no == fake_vnpay.ledger[attempt.txn_ref]["transaction_no"]
    assert dossier.status == Status.RECEIVED
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}").exists()


def test_recent_attempts_are_left_to_their_notification(fake_vnpay, dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "success", notify=False)

    assert payment_reconcile.delay().get() == {}
    assert fake_vnpay.querydr_calls == 0
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_a_failed_payment_is_recorded_as_failed(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "failure", notify=False)
    age(attempt, settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)

    payment_reconcile.delay().get()

    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.FAILED
    assert dossier.status == Status.AWAITING_PAYMENT


def test_an_attempt_the_gateway_never_saw_stays_pending_until_it_expires(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    age(attempt, settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)

    assert payment_reconcile.delay().get() == {"pending": 1}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING

    age(attempt, settings.PAYMENT_ATTEMPT_TTL_MINUTES)
    assert payment_reconcile.delay().get() == {"expired": 1}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert dossier.status == Status.AWAITING_PAYMENT


def test_an_unfinished_payment_past_its_expiry_expires(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "unfinished", notify=False)
    age(attempt, settings.PAYMENT_ATTEMPT_TTL_MINUTES + 1)

    assert payment_reconcile.delay().get() == {"expired": 1}


def test_an_unreachable_gateway_leaves_the_attempt_pending(dossier, settings):
    settings.VNPAY_API_URL = "http://127.0.0.1:9/merchant_webapi/api/transaction"
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    age(attempt, settings.PAYMENT_ATTEMPT_TTL_MINUTES + 1)

    assert payment_reconcile.delay().get() == {"unreachable": 1}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_a_forged_querydr_answer_is_ignored(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "success", notify=False)
    fake_vnpay.secret = "not-the-merchant-secret"
    age(attempt, settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)

    assert payment_reconcile.delay().get() == {"bad_signature": 1}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_a_settled_attempt_is_not_queried_again(fake_vnpay, dossier, settings):
    attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(attempt), "success", notify=False)
    age(attempt, settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)
    payment_reconcile.delay().get()

    assert payment_reconcile.delay().get() == {}
    assert fake_vnpay.querydr_calls == 1
    assert timezone.now() >= attempt.created_at
