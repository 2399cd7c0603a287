"""A citizen starts a payment attempt through the API: the payment service, idempotent on its key."""

from __future__ import annotations

import pytest

from django.urls import reverse

from payments.models import PaymentAttempt
from tests.factories import make_procedure
from tests.payments.conftest import FEE, awaiting_payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sandbox_gateway(settings):
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.SANDBOX_PAYMENT_SECRET = "sandbox-test-secret"


def test_a_payment_attempt_is_started_once_per_idempotency_key(api, citizen, other_citizen, officer, commune):
    dossier = awaiting_payment(make_procedure(agency=commune, fee=FEE), commune, citizen, officer)
    url = reverse("api:my-payment", args=[dossier.code])
    api.force_authenticate(other_citizen)
    assert api.post(url, HTTP_IDEMPOTENCY_KEY="p-1").status_code == 404
    api.force_authenticate(citizen)
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="p-1")
    again = api.post(url, HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == again.status_code == 201, first.json()
    assert first.json()["amount"] == FEE and first.json()["payment_url"]
    assert first.json() == again.json()
    assert PaymentAttempt.objects.filter(dossier=dossier).count() == 1


def test_nothing_to_pay_is_a_conflict(api, citizen, commune, version):
    from tests.factories import make_dossier

    dossier = make_dossier(version, commune, citizen)
    api.force_authenticate(citizen)
    response = api.post(reverse("api:my-payment", args=[dossier.code]))
    assert response.status_code == 409 and response["Content-Type"].startswith("application/problem+json")
