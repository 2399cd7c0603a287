"""The citizen's pay page and return page, and what is refused (the sandbox bank's side of the
journey, over HTTP, is in test_sandbox_bank.py)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlparse

import pytest

from django.urls import reverse

from applications.models import Status
from payments.models import AgencyPaymentConfig, AttemptState, PaymentAttempt, ProviderId
from payments.providers.vnpay import vnp_sign
from tests.payments.conftest import FEE, sandbox_result

pytestmark = pytest.mark.django_db


def pay_url(dossier) -> str:
    return reverse("payments:pay", args=[dossier.code])


def start(client, dossier) -> tuple[PaymentAttempt, dict[str, str], str]:
    """POST the pay page; returns the new attempt, the redirect's parameters and its path."""
    response = client.post(pay_url(dossier))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    return PaymentAttempt.objects.latest("pk"), dict(parse_qsl(location.query)), location.path


def test_the_owner_sees_the_amount_and_the_button(client, citizen, dossier):
    client.force_login(citizen)

    response = client.get(pay_url(dossier))

    assert response.status_code == 200
    assert "50.000 đ" in response.content.decode()
    assert 'type="submit"' in response.content.decode()


def test_paying_creates_a_pending_attempt_and_sends_the_browser_to_the_sandbox_bank(client, citizen, dossier):
    client.force_login(citizen)

    attempt, params, path = start(client, dossier)

    assert path == reverse("sandbox:bank")
    assert attempt.state == AttemptState.PENDING and attempt.amount == FEE and attempt.provider == "sandbox"
    assert params["vnp_Amount"] == str(FEE * 100)
    assert params["vnp_TxnRef"] == attempt.txn_ref and attempt.txn_ref != dossier.code
    assert len(attempt.txn_ref) <= 34 and attempt.txn_ref.isascii() and attempt.txn_ref.isalnum()
    assert params["vnp_OrderInfo"].isascii()
    assert params["vnp_ReturnUrl"].endswith(reverse("payments:return", args=["sandbox"]))
    assert len(params["vnp_CreateDate"]) == 14 and params["vnp_ExpireDate"] > params["vnp_CreateDate"]


def test_each_try_gets_a_new_reference(client, citizen, dossier):
    client.force_login(citizen)

    first, _params, _path = start(client, dossier)
    second, _params, _path = start(client, dossier)

    assert first.txn_ref != second.txn_ref


def test_the_return_page_never_changes_state_by_itself(client, citizen, dossier, settings):
    client.force_login(citizen)
    attempt, _params, _path = start(client, dossier)
    # A correctly signed success the gateway never sent, and the gateway cannot be asked (querydr is
    # refused): the browser's word alone changes nothing.
    response = client.get(reverse("payments:return", args=["sandbox"]), sandbox_result(attempt))

    assert response.status_code == 200
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and dossier.status == Status.AWAITING_PAYMENT


def test_a_re_signed_wrong_amount_in_the_return_url_shows_an_error(client, citizen, dossier, settings):
    client.force_login(citizen)
    attempt, _params, _path = start(client, dossier)

    response = client.get(reverse("payments:return", args=["sandbox"]),
                          sandbox_result(attempt, settings.SANDBOX_PAYMENT_SECRET, amount=1))

    assert response.status_code == 400
    assert "Số tiền" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


def test_another_citizen_cannot_see_or_pay_the_dossier(client, other_citizen, dossier):
    client.force_login(other_citizen)

    assert client.get(pay_url(dossier)).status_code == 404
    assert client.post(pay_url(dossier)).status_code == 404
    assert not PaymentAttempt.objects.exists()


def test_another_citizen_cannot_read_the_return_of_someone_elses_payment(client, citizen, other_citizen, dossier, settings):
    client.force_login(citizen)
    attempt, _params, _path = start(client, dossier)
    client.force_login(other_citizen)

    response = client.get(reverse("payments:return", args=["sandbox"]),
                          sandbox_result(attempt, settings.SANDBOX_PAYMENT_SECRET))

    assert response.status_code == 404


def test_staff_cannot_use_the_citizen_pay_page(client, officer, dossier):
    client.force_login(officer)

    assert client.post(pay_url(dossier)).status_code == 403
    assert not PaymentAttempt.objects.exists()


def test_a_paid_dossier_cannot_be_paid_again(client, citizen, dossier):
    client.force_login(citizen)
    attempt, _params, _path = start(client, dossier)
    assert client.get(reverse("payments:notification", args=["sandbox"]), sandbox_result(attempt)).json()["RspCode"] == "00"

    response = client.post(pay_url(dossier), follow=True)

    assert "đã được thanh toán" in response.content.decode()
    assert PaymentAttempt.objects.count() == 1


def test_a_dossier_not_awaiting_payment_cannot_be_paid(client, citizen, fee_version, commune):
    from tests.factories import make_dossier

    dossier = make_dossier(fee_version, commune, citizen, status=Status.PROCESSING, fee_amount=FEE)
    client.force_login(citizen)

    response = client.post(pay_url(dossier), follow=True)

    assert "không ở trạng thái chờ" in response.content.decode()
    assert not PaymentAttempt.objects.exists()


def test_the_agency_may_use_vnpay_and_the_pay_page_allows_its_form_action(client, citizen, dossier, settings):
    AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.VNPAY)
    client.force_login(citizen)

    page = client.get(pay_url(dossier))
    response = client.post(pay_url(dossier))

    assert "form-action 'self' https://sandbox.vnpayment.vn" in page["Content-Security-Policy"]
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == settings.VNPAY_PAYMENT_URL
    params = dict(parse_qsl(location.query))
    signature = params.pop("vnp_SecureHash")
    assert vnp_sign(params, settings.VNPAY_HASH_SECRET) == signature
    assert params["vnp_TmnCode"] == settings.VNPAY_TMN_CODE and params["vnp_Version"] == "2.1.0"
    assert PaymentAttempt.objects.get().provider == "vnpay"


def test_an_agency_without_gateway_credentials_sends_the_citizen_back_with_a_message(client, citizen, dossier, settings):
    settings.VNPAY_HASH_SECRET = ""
    AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.VNPAY)
    client.force_login(citizen)

    response = client.post(pay_url(dossier))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:dossier", args=[dossier.code])
    assert not PaymentAttempt.objects.exists()
