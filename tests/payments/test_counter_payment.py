"""Counter payments: the officer records cash or card with a receipt number; the dossier moves on."""

from __future__ import annotations

import pytest

from django.urls import reverse

from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt, PaymentChannel
from tests.payments.conftest import FEE, awaiting_payment

pytestmark = pytest.mark.django_db


def counter_url(dossier) -> str:
    return reverse("payments:counter", args=[dossier.code])


def post(client, dossier, **data):
    return client.post(counter_url(dossier), {"method": "cash", "receipt_number": "BL-0001", "amount": FEE, **data})


def test_a_cash_payment_moves_the_dossier_on_and_orders_the_receipt(client, officer, dossier):
    client.force_login(officer)

    response = post(client, dossier)

    assert response.status_code == 302
    attempt = PaymentAttempt.objects.get()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and attempt.channel == PaymentChannel.COUNTER
    assert attempt.receipt_number == "BL-0001" and attempt.recorded_by == officer and attempt.amount == FEE
    assert dossier.status == Status.RECEIVED
    event = dossier.events.get(action="payment_confirmed")
    assert event.actor == officer and event.data["channel"] == "counter"
    receipt = Document.objects.get(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}")
    assert receipt.context["receipt_number"] == "BL-0001" and receipt.issued_by == officer


def test_the_amount_must_be_the_amount_due(client, officer, dossier):
    client.force_login(officer)

    response = post(client, dossier, amount=FEE - 1_000)

    assert response.status_code == 200
    assert "phải đúng số tiền phải nộp" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT and not PaymentAttempt.objects.exists()


def test_a_receipt_number_is_required_and_unique_per_agency(client, officer, dossier, fee_version, commune, other_citizen):
    client.force_login(officer)
    assert post(client, dossier, receipt_number="  ").status_code == 200
    assert post(client, dossier).status_code == 302
    second = awaiting_payment(fee_version, commune, other_citizen, officer)

    response = post(client, second)

    assert "đã được dùng" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.AWAITING_PAYMENT
    assert PaymentAttempt.objects.count() == 1


def test_a_paid_dossier_cannot_be_paid_again_at_the_counter(client, officer, dossier):
    client.force_login(officer)
    post(client, dossier)

    response = post(client, dossier, receipt_number="BL-0002")

    assert response.status_code == 200
    assert "đã được thanh toán" in response.content.decode()
    assert PaymentAttempt.objects.count() == 1


def test_only_officers_of_the_dossiers_agency_may_record_it(client, other_officer, specialist, citizen, dossier):
    for user, status in ((other_officer, 404), (specialist, 403), (citizen, 403)):
        client.force_login(user)
        assert post(client, dossier).status_code == status
    assert not PaymentAttempt.objects.exists()


def test_the_form_shows_the_amount_due(client, officer, dossier):
    client.force_login(officer)

    response = client.get(counter_url(dossier))

    assert response.status_code == 200
    assert "50.000 đ" in response.content.decode()
