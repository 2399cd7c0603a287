"""VNPay payment gateway, API version 2.1.0 (domain.md §5.2).

- The browser is sent to the payment URL with signed `vnp_*` parameters; vnp_Amount is đồng × 100.
- The signature is HMAC-SHA512 over the key-sorted, quote_plus-encoded parameters without
  vnp_SecureHash / vnp_SecureHashType and without empty values; it is compared in constant time,
  case-insensitively.
- The return URL only displays; the IPN (server to server) settles; querydr reconciles.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from payments.providers.base import GatewayMessage, PaymentProvider, ProviderError, SettleResult

if TYPE_CHECKING:
    from django.http import HttpRequest

    from payments.models import PaymentAttempt

logger = logging.getLogger(__name__)

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
HASH_FIELDS_EXCLUDED = ("vnp_SecureHash", "vnp_SecureHashType")
QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)
# IPN replies (RspCode, Message), in the order the checks run.
IPN_REPLIES: dict[SettleResult, tuple[str, str]] = {
    SettleResult.INVALID_SIGNATURE: ("97", "Invalid signature"),
    SettleResult.NOT_FOUND: ("01", "Order not found"),
    SettleResult.INVALID_AMOUNT: ("04", "Invalid amount"),
    SettleResult.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    SettleResult.CONFIRMED: ("00", "Confirm Success"),
    SettleResult.ERROR: ("99", "Unknown error"),
}
CUSTOMER_CANCELLED = "24"
# querydr: the gateway has never seen this reference.
QUERY_NOT_FOUND = "91"


# --- Signing ------------------------------------------------------------------------------------


def vnp_signed_string(params: dict[str, Any]) -> str:
    """The exact text VNPay signs: sorted `k=quote_plus(v)` pairs joined with "&"."""
    items = sorted(
        (key, str(value)) for key, value in params.items()
        if key.startswith("vnp_") and key not in HASH_FIELDS_EXCLUDED and value not in ("", None)
    )
    return "&".join(f"{key}={quote_plus(value)}" for key, value in items)


def hmac_sha512(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha512).hexdigest()


def vnp_sign(params: dict[str, Any], secret: str) -> str:
    return hmac_sha512(secret, vnp_signed_string(params))


def signature_matches(expected: str, received: str | None) -> bool:
    """Constant-time, case-insensitive comparison of two hex digests."""
    if not received:
        return False
    return hmac.compare_digest(expected.lower().encode(), received.strip().lower().encode())


def vnp_verify(params: dict[str, Any], secret: str) -> bool:
    return signature_matches(vnp_sign(params, secret), params.get("vnp_SecureHash"))


def querydr_sign(values: dict[str, Any], fields: tuple[str, ...], secret: str) -> str:
    """querydr signs the values (not key=value pairs) joined with "|", in a fixed field order."""
    return hmac_sha512(secret, "|".join(str(values.get(name, "") or "") for name in fields))


# --- Formatting -------------------------------------------------------------------------------


def vnp_datetime(moment: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, whatever the server's time zone."""
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def ascii_order_info(text: str, limit: int = 255) -> str:
    """vnp_OrderInfo must be ASCII without diacritics or special characters."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch if ch.isalnum() or ch in " -." else " " for ch in folded)
    return " ".join(cleaned.split())[:limit]


def state_for_codes(response_code: str, transaction_status: str) -> str:
    """Paid only when both codes are "00" (domain rule 11); a customer's cancel is kept apart."""
    if response_code == "00" and transaction_status == "00":
        return "succeeded"
    if response_code == CUSTOMER_CANCELLED:
        return "cancelled"
    return "failed"


def amount_from_vnp(raw: Any) -> int | None:
    """vnp_Amount is đồng × 100; anything that is not a whole number of đồng is invalid (None)."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    if value < 0 or value % 100:
        return None
    return value // 100


# --- The provider -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VnpayCredentials:
    tmn_code: str
    hash_secret: str
    payment_url: str
    api_url: str


class VnpayProvider(PaymentProvider):
    id = "vnpay"

    def __init__(self, credentials: VnpayCredentials):
        self.credentials = credentials

    def merchant_code(self) -> str:
        return self.credentials.tmn_code

    # Outgoing payment -------------------------------------------------------------------------

    def return_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("payments:return", args=[self.id]))

    def payment_params(self, attempt: PaymentAttempt, *, return_url: str, ip_address: str) -> dict[str, str]:
        """The signed redirect parameters for one attempt (domain §5.2 table)."""
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.credentials.tmn_code,
            "vnp_Amount": str(attempt.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": attempt.txn_ref,
            "vnp_OrderInfo": ascii_order_info(f"Thanh toan le phi ho so {attempt.dossier.code}"),
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": ip_address or "127.0.0.1",
            "vnp_CreateDate": vnp_datetime(attempt.created_at),
            "vnp_ExpireDate": vnp_datetime(attempt.expires_at or attempt.created_at),
        }
        params["vnp_SecureHash"] = vnp_sign(params, self.credentials.hash_secret)
        return params

    def start_payment(self, attempt: PaymentAttempt, request: HttpRequest) -> str:
        params = self.payment_params(attempt, return_url=self.return_url(request), ip_address=attempt.payer_ip or "")
        return f"{self.payment_url(request)}?{urlencode(params)}"

    def payment_url(self, request: HttpRequest | None = None) -> str:
        return self.credentials.payment_url

    # Incoming messages -------------------------------------------------------------------------

    def _message(self, params: dict[str, str]) -> GatewayMessage:
        if not self.credentials.hash_secret or not vnp_verify(params, self.credentials.hash_secret):
            return GatewayMessage(signature_valid=False, txn_ref=params.get("vnp_TxnRef", ""), raw=dict(params))
        response_code = params.get("vnp_ResponseCode", "")
        transaction_status = params.get("vnp_TransactionStatus", "")
        return GatewayMessage(
            signature_valid=True,
            txn_ref=params.get("vnp_TxnRef", ""),
            amount=amount_from_vnp(params.get("vnp_Amount")),
            state=state_for_codes(response_code, transaction_status),
            response_code=response_code,
            transaction_status=transaction_status,
            provider_txn_no=params.get("vnp_TransactionNo", ""),
            bank_code=params.get("vnp_BankCode", ""),
            raw=dict(params),
        )

    def parse_return(self, params: dict[str, str]) -> GatewayMessage:
        return self._message(params)

    def parse_notification(self, params: dict[str, str]) -> GatewayMessage:
        return self._message(params)

    def notification_reply(self, result: SettleResult) -> dict[str, str]:
        code, message = IPN_REPLIES[result]
        return {"RspCode": code, "Message": message}

    # Reconciliation ----------------------------------------------------------------------------

    def query_request(self, attempt: PaymentAttempt, *, now: datetime | None = None) -> dict[str, str]:
        now = now or timezone.now()
        body = {
            # Unique per call: VNPay refuses a repeated request id (94).
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.credentials.tmn_code,
            "vnp_TxnRef": attempt.txn_ref,
            "vnp_OrderInfo": ascii_order_info(f"Truy van giao dich {attempt.txn_ref}"),
            "vnp_TransactionDate": vnp_datetime(attempt.created_at),
            "vnp_CreateDate": vnp_datetime(now),
            "vnp_IpAddr": "127.0.0.1",
        }
        if attempt.provider_txn_no:
            body["vnp_TransactionNo"] = attempt.provider_txn_no
        body["vnp_SecureHash"] = querydr_sign(body, QUERYDR_REQUEST_FIELDS, self.credentials.hash_secret)
        return body

    def post_json(self, body: dict[str, str]) -> dict[str, Any]:
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.credentials.api_url, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured https URL)
                return json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ProviderError(f"querydr failed: {exc}") from exc

    def query(self, attempt: PaymentAttempt) -> GatewayMessage:
        answer = self.post_json(self.query_request(attempt))
        expected = querydr_sign(answer, QUERYDR_RESPONSE_FIELDS, self.credentials.hash_secret)
        if not signature_matches(expected, answer.get("vnp_SecureHash")):
            return GatewayMessage(signature_valid=False, txn_ref=attempt.txn_ref, raw=answer)
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == QUERY_NOT_FOUND:
            return GatewayMessage(signature_valid=True, txn_ref=attempt.txn_ref, found=False, response_code=code, raw=answer)
        if code != "00":
            raise ProviderError(f"querydr answered {code}: {answer.get('vnp_Message', '')}")
        transaction_status = str(answer.get("vnp_TransactionStatus", ""))
        # Status 01 "not completed" (or VNPay still processing): no final answer yet.
        if transaction_status in ("01", "05"):
            state = "pending"
        elif transaction_status == "00":
            state = "succeeded"
        else:
            state = "failed"
        return GatewayMessage(
            signature_valid=True,
            txn_ref=str(answer.get("vnp_TxnRef", "")),
            amount=amount_from_vnp(answer.get("vnp_Amount")),
            state=state,
            response_code=code,
            transaction_status=transaction_status,
            provider_txn_no=str(answer.get("vnp_TransactionNo", "") or ""),
            bank_code=str(answer.get("vnp_BankCode", "") or ""),
            raw=answer,
        )


def querydr_answer(ledger_row: dict[str, Any] | None, request_body: dict[str, Any], *, tmn_code: str, secret: str) -> dict[str, Any]:
    """What a VNPay-compatible gateway answers to querydr; shared by the sandbox and the test fake.

    `ledger_row` holds the gateway's record (amount in vnp units, transaction_no, response_code,
    transaction_status, bank_code, pay_date, order_info) or None when the reference is unknown.
    """
    if not signature_matches(querydr_sign(request_body, QUERYDR_REQUEST_FIELDS, secret), request_body.get("vnp_SecureHash")):
        code, message = "97", "Invalid checksum"
    elif request_body.get("vnp_TmnCode") != tmn_code:
        code, message = "02", "Invalid merchant"
    elif ledger_row is None:
        code, message = QUERY_NOT_FOUND, "Transaction not found"
    else:
        code, message = "00", "Query success"
    row = ledger_row or {}
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "querydr",
        "vnp_ResponseCode": code,
        "vnp_Message": message,
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": request_body.get("vnp_TxnRef", ""),
        "vnp_Amount": str(row.get("amount", "")) if row else "",
        "vnp_BankCode": row.get("bank_code", ""),
        "vnp_PayDate": row.get("pay_date", ""),
        "vnp_TransactionNo": row.get("transaction_no", ""),
        "vnp_TransactionType": "01" if row else "",
        "vnp_TransactionStatus": row.get("transaction_status", ""),
        "vnp_OrderInfo": row.get("order_info", ""),
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    answer["vnp_SecureHash"] = querydr_sign(answer, QUERYDR_RESPONSE_FIELDS, secret)
    return answer


def bank_result_params(
    payment_params: dict[str, str], *, response_code: str, transaction_status: str, transaction_no: str,
    bank_code: str, pay_date: str, secret: str,
) -> dict[str, str]:
    """The signed parameters a VNPay-compatible gateway sends to the IPN and the return URL."""
    params = {
        "vnp_Amount": payment_params["vnp_Amount"],
        "vnp_BankCode": bank_code,
        "vnp_BankTranNo": f"{bank_code}{transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment_params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": pay_date,
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": payment_params["vnp_TmnCode"],
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": payment_params["vnp_TxnRef"],
    }
    params["vnp_SecureHash"] = vnp_sign(params, secret)
    return params
