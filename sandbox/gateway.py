"""The gateway side of VNPay 2.1.0, written independently of the portal's merchant code (so the
two implementations check each other): verify the merchant's request, sign the result the bank
sends to the IPN and the return URL, and answer querydr.

The merchant registration a real gateway keeps (terminal code, hash secret) comes from the
SANDBOX_PAYMENT_TMN_CODE / SANDBOX_PAYMENT_SECRET settings the portal's provider uses too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlencode, urlparse
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.models import BankTransaction

logger = logging.getLogger(__name__)

BANK_CODE = "SANDBOX"
# The payer's choices on the bank page → (vnp_ResponseCode, vnp_TransactionStatus).
CHOICES: dict[str, tuple[str, str]] = {
    "success": ("00", "00"),
    "failure": ("51", "02"),  # insufficient balance
    "cancel": ("24", "02"),  # customer cancelled
}
# VNPay takes the IPN URL from the merchant's registration, not from the request; the simulated
# bank has one merchant, the portal the payer came from, registered with this path.
MERCHANT_IPN_PATH = "/payments/sandbox/ipn/"
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)


def _hmac(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def sign(params: dict[str, Any], secret: str) -> str:
    """HMAC-SHA512 over the sorted, quote_plus-encoded non-empty vnp_* fields but the hash fields."""
    pairs = sorted(
        (key, str(value)) for key, value in params.items()
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType") and value not in ("", None)
    )
    return _hmac(secret, "&".join(f"{key}={quote_plus(value)}" for key, value in pairs))


def _same(expected: str, received: Any) -> bool:
    return isinstance(received, str) and hmac.compare_digest(expected.encode(), received.strip().lower().encode())


def verify(params: dict[str, Any], secret: str) -> bool:
    return _same(sign(params, secret), params.get("vnp_SecureHash"))


def query_sign(values: dict[str, Any], fields: tuple[str, ...], secret: str) -> str:
    return _hmac(secret, "|".join(str(values.get(name, "") or "") for name in fields))


def _gmt7(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y%m%d%H%M%S")


def result_params(payment: dict[str, str], ledger: dict[str, Any], secret: str) -> dict[str, str]:
    """The signed parameters the gateway sends to the merchant's IPN and return URL."""
    params = {
        "vnp_Amount": payment["vnp_Amount"],
        "vnp_BankCode": ledger["bank_code"],
        "vnp_BankTranNo": f"{ledger['bank_code']}{ledger['transaction_no']}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.get("vnp_OrderInfo", ""),
        "vnp_PayDate": ledger["pay_date"],
        "vnp_ResponseCode": ledger["response_code"],
        "vnp_TmnCode": payment["vnp_TmnCode"],
        "vnp_TransactionNo": ledger["transaction_no"],
        "vnp_TransactionStatus": ledger["transaction_status"],
        "vnp_TxnRef": payment["vnp_TxnRef"],
    }
    params["vnp_SecureHash"] = sign(params, secret)
    return params


def query_answer(ledger: dict[str, Any] | None, request_body: dict[str, Any], *, tmn_code: str, secret: str) -> dict[str, Any]:
    """The gateway's querydr answer; `ledger` is its record of the reference, or None (91)."""
    if not _same(query_sign(request_body, QUERY_REQUEST_FIELDS, secret), request_body.get("vnp_SecureHash")):
        code, message = "97", "Invalid checksum"
    elif request_body.get("vnp_TmnCode") != tmn_code:
        code, message = "02", "Invalid merchant"
    elif ledger is None:
        code, message = "91", "Transaction not found"
    else:
        code, message = "00", "Query success"
    row = ledger or {}
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "querydr",
        "vnp_ResponseCode": code,
        "vnp_Message": message,
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": request_body.get("vnp_TxnRef", ""),
        "vnp_Amount": str(row["amount"]) if row else "",
        "vnp_BankCode": row.get("bank_code", ""),
        "vnp_PayDate": row.get("pay_date", ""),
        "vnp_TransactionNo": row.get("transaction_no", ""),
        "vnp_TransactionType": "01" if row else "",
        "vnp_TransactionStatus": row.get("transaction_status", ""),
        "vnp_OrderInfo": row.get("order_info", ""),
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    answer["vnp_SecureHash"] = query_sign(answer, QUERY_RESPONSE_FIELDS, secret)
    return answer


def bank_decide(payment: dict[str, str], choice: str, secret: str) -> dict[str, str]:
    """Record the payer's choice in the ledger and return the signed result parameters.

    A reference is decided once, like at a real bank: choosing again returns the first decision.
    The caller has already verified the merchant's signature on `payment`.
    """
    response_code, transaction_status = CHOICES[choice]
    try:
        with transaction.atomic():
            row = BankTransaction.objects.create(
                txn_ref=payment["vnp_TxnRef"], amount=int(payment["vnp_Amount"]),
                transaction_no=str(secrets.randbelow(10**8)).zfill(8), response_code=response_code,
                transaction_status=transaction_status, bank_code=BANK_CODE,
                order_info=payment.get("vnp_OrderInfo", ""), pay_date=_gmt7(timezone.now()),
            )
    except IntegrityError:
        row = BankTransaction.objects.get(txn_ref=payment["vnp_TxnRef"])
    ledger = BankTransaction.objects.filter(pk=row.pk).values().get()
    return result_params(payment, ledger, secret)


def ledger_query(request_body: dict[str, Any], *, tmn_code: str, secret: str) -> dict[str, Any]:
    ledger = BankTransaction.objects.filter(txn_ref=str(request_body.get("vnp_TxnRef", ""))).values().first()
    return query_answer(ledger, request_body, tmn_code=tmn_code, secret=secret)


def ipn_url(return_url: str) -> str:
    parsed = urlparse(return_url)
    return f"{parsed.scheme}://{parsed.netloc}{MERCHANT_IPN_PATH}"


def ipn_deliver(url: str, result: dict[str, str]) -> dict[str, Any] | None:
    """GET the merchant's IPN with the signed result, as VNPay does; the merchant's JSON reply, or
    None when it could not be reached (the merchant then learns the outcome through querydr)."""
    try:
        with urllib.request.urlopen(f"{url}?{urlencode(result)}", timeout=10) as response:  # noqa: S310 (http(s) only)
            return json.loads(response.read().decode())
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        logger.warning("sandbox bank: IPN to %s failed: %s", url, exc)
        return None
