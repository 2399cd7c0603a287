"""The built-in sandbox gateway: a stand-in for VNPay that works offline.

It speaks the VNPay 2.1.0 protocol exactly (same parameters, same signatures, same IPN and
querydr), signed with SANDBOX_PAYMENT_SECRET, so a payment through it runs the same merchant code
as a real one. Its "bank" is a page of our own site (payments.views.sandbox_bank) where the payer
chooses success, failure or cancel; its ledger is the SandboxTransaction table, which stands for
the gateway's side of the world.

One deliberate difference: the notification is delivered by calling the IPN handler (the very
function behind /payments/sandbox/ipn/) in-process instead of an HTTP GET, because the portal may
run without a reachable server (the Django test client, `manage.py` shells, a single-threaded
runserver that is busy serving the bank page). Real HTTP delivery is exercised by the fake VNPay
server in the tests, which points VNPAY_PAYMENT_URL / VNPAY_API_URL at itself.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from payments.models import SandboxTransaction
from payments.providers.vnpay import (
    VnpayCredentials,
    VnpayProvider,
    bank_result_params,
    querydr_answer,
    vnp_datetime,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

SANDBOX_TMN_CODE = "SANDBOX1"
SANDBOX_BANK_CODE = "SANDBOX"
# The payer's choices on the sandbox bank page → (vnp_ResponseCode, vnp_TransactionStatus).
CHOICES: dict[str, tuple[str, str]] = {
    "success": ("00", "00"),
    "failure": ("51", "02"),  # insufficient balance
    "cancel": ("24", "02"),  # customer cancelled
}


def sandbox_credentials() -> VnpayCredentials:
    return VnpayCredentials(
        tmn_code=SANDBOX_TMN_CODE, hash_secret=settings.SANDBOX_PAYMENT_SECRET, payment_url="", api_url=""
    )


class SandboxProvider(VnpayProvider):
    id = "sandbox"

    def __init__(self, credentials: VnpayCredentials | None = None):
        super().__init__(credentials or sandbox_credentials())

    def payment_url(self, request: HttpRequest | None = None) -> str:
        path = reverse("payments:sandbox-bank")
        return request.build_absolute_uri(path) if request is not None else path

    def post_json(self, body: dict[str, str]) -> dict[str, Any]:
        # querydr goes to the sandbox "gateway" in-process (see the module docstring).
        return sandbox_querydr(body)


def sandbox_querydr(body: dict[str, Any]) -> dict[str, Any]:
    row = SandboxTransaction.objects.filter(txn_ref=str(body.get("vnp_TxnRef", ""))).values().first()
    return querydr_answer(row, body, tmn_code=SANDBOX_TMN_CODE, secret=settings.SANDBOX_PAYMENT_SECRET)


def sandbox_bank_pay(payment_params: dict[str, str], choice: str) -> dict[str, str]:
    """Record the payer's choice in the sandbox ledger and return the signed result parameters.

    A reference is decided once, like at a real bank: choosing again returns the first decision.
    The caller has already verified the merchant's signature on `payment_params`.
    """
    response_code, transaction_status = CHOICES[choice]
    txn_ref = payment_params["vnp_TxnRef"]
    try:
        with transaction.atomic():
            row = SandboxTransaction.objects.create(
                txn_ref=txn_ref, amount=int(payment_params["vnp_Amount"]),
                transaction_no=str(secrets.randbelow(10**8)).zfill(8),
                response_code=response_code, transaction_status=transaction_status, bank_code=SANDBOX_BANK_CODE,
                order_info=payment_params.get("vnp_OrderInfo", ""), pay_date=vnp_datetime(timezone.now()),
            )
    except IntegrityError:
        row = SandboxTransaction.objects.get(txn_ref=txn_ref)
    return bank_result_params(
        payment_params, response_code=row.response_code, transaction_status=row.transaction_status,
        transaction_no=row.transaction_no, bank_code=row.bank_code, pay_date=row.pay_date,
        secret=settings.SANDBOX_PAYMENT_SECRET,
    )
