"""Payment fixtures: a full-process procedure with a fee, a dossier awaiting payment (put there by
the workflow services, as an officer would), and helpers that sign gateway messages."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from django.test import Client
from django.utils import timezone

from applications import workflow
from applications.models import Dossier, Status
from payments.providers.base import GatewayRequest
from payments.providers.vnpay import vnp_sign
from payments.services import payment_notification_receive
from tests.factories import make_dossier, make_procedure
from tests.support.production import debug_off

FEE = 50_000
VNPAY_SECRET = "TESTSECRETKEY1234567890ABCDEFGHI"
VNPAY_TMN = "DEMO0001"
SANDBOX_TMN_CODE = "SANDBOX1"


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.SANDBOX_PAYMENT_SECRET = "sandbox-test-secret"
    # Nothing listens there: tests that need the sandbox bank's querydr use `live_browser`.
    settings.SANDBOX_PAYMENT_API_URL = "http://127.0.0.1:9/sandbox/bank/api/transaction"
    settings.VNPAY_TMN_CODE = VNPAY_TMN
    settings.VNPAY_HASH_SECRET = VNPAY_SECRET


@pytest.fixture
def fee_version(commune):
    return make_procedure(name="Đăng ký khai sinh", agency=commune, fee=FEE)


def awaiting_payment(version, agency, owner, officer, amount: int = FEE) -> Dossier:
    """A received dossier that the officer asked to pay `amount` (through the workflow service)."""
    dossier = make_dossier(version, agency, owner, status=Status.RECEIVED, received_at=timezone.now())
    workflow.dossier_request_payment(dossier, actor=officer, expected_version=dossier.version, amount=amount)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    return dossier


@pytest.fixture
def dossier(fee_version, commune, citizen, officer) -> Dossier:
    return awaiting_payment(fee_version, commune, citizen, officer)


def signed_result(attempt, *, secret: str, tmn_code: str, response_code: str = "00", transaction_status: str = "00",
                  amount: int | None = None, transaction_no: str = "14812345", **extra) -> dict[str, str]:
    """The parameters a VNPay-compatible gateway sends to the IPN / return URL, correctly signed."""
    params = {
        "vnp_Amount": str((attempt.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan le phi ho so {attempt.dossier.code}",
        "vnp_PayDate": "20260105102030",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": tmn_code,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": attempt.txn_ref,
        **extra,
    }
    params["vnp_SecureHash"] = vnp_sign(params, secret)
    return params


def sandbox_result(attempt, settings_secret: str = "sandbox-test-secret", **kwargs) -> dict[str, str]:
    return signed_result(attempt, secret=settings_secret, tmn_code=SANDBOX_TMN_CODE, **kwargs)


def vnpay_result(attempt, **kwargs) -> dict[str, str]:
    return signed_result(attempt, secret=VNPAY_SECRET, tmn_code=VNPAY_TMN, **kwargs)


@pytest.fixture
def fake_vnpay(settings):
    """A fake VNPay on a free local port; VNPAY_PAYMENT_URL / VNPAY_API_URL point at it."""
    from tests.payments.fake_vnpay import FakeVnpay

    fake = FakeVnpay(tmn_code=VNPAY_TMN, secret=VNPAY_SECRET).start()
    settings.VNPAY_PAYMENT_URL = fake.payment_url
    settings.VNPAY_API_URL = fake.api_url
    yield fake
    fake.stop()


def notify(provider_id: str, params: dict[str, str]) -> dict[str, str]:
    """Hand a GET notification to the service as the endpoint does; the decoded JSON reply."""
    reply = payment_notification_receive(provider_id=provider_id, message=GatewayRequest(params=params))
    return json.loads(reply.body)


@pytest.fixture
def production():
    """DEBUG off as in production: no sandbox app, no sandbox URLs (see tests/support/production.py)."""
    with debug_off():
        yield


@pytest.fixture
def live_browser(live_server, settings, citizen) -> Client:
    """The citizen's browser on the live server, so the sandbox bank can reach our IPN and querydr
    endpoints over HTTP (absolute URLs built from its requests name the live server)."""
    url = urlparse(live_server.url)
    settings.SANDBOX_PAYMENT_API_URL = live_server.url + "/sandbox/bank/api/transaction"
    browser = Client(HTTP_HOST=url.netloc)
    browser.force_login(citizen)
    return browser
