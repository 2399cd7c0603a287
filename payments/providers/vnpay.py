"""VNPay payment gateway, API version 2.1.0.

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
import os
import secrets
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlencode, urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.providers.base import (
    GatewayMessage,
    GatewayReply,
    GatewayRequest,
    PaymentProvider,
    ProviderError,
    SettleResult,
)

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
    # VNPay's code for any other failure; the message says which.
    SettleResult.SOURCE_REFUSED: ("99", "Source IP not allowed"),
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


def vnpay_credentials(env_prefix: str = "") -> VnpayCredentials:
    """Default credentials from settings, or <PREFIX>_TMN_CODE / <PREFIX>_HASH_SECRET from the environment."""
    if env_prefix:
        tmn_code = os.getenv(f"{env_prefix}_TMN_CODE", "")
        secret = os.getenv(f"{env_prefix}_HASH_SECRET", "")
    else:
        tmn_code, secret = settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET
    if not tmn_code or not secret:
        raise ImproperlyConfigured(f"VNPay credentials are missing ({env_prefix or 'VNPAY'}_TMN_CODE / _HASH_SECRET).")
    return VnpayCredentials(
        tmn_code=tmn_code, hash_secret=secret, payment_url=settings.VNPAY_PAYMENT_URL, api_url=settings.VNPAY_API_URL
    )


class VnpayProvider(PaymentProvider):
    id = "vnpay"
    name = _("VNPay")

    def __init__(self, credentials: VnpayCredentials):
        self.credentials = credentials

    @classmethod
    def from_settings(cls, env_prefix: str = "") -> VnpayProvider:
        return cls(vnpay_credentials(env_prefix))

    @classmethod
    def reference(cls, message: GatewayRequest) -> str:
        return message.params.get("vnp_TxnRef", "")

    @classmethod
    def notification_reply(cls, result: SettleResult) -> GatewayReply:
        code, text = IPN_REPLIES[result]
        return GatewayReply(json.dumps({"RspCode": code, "Message": text}))

    # Outgoing payment -------------------------------------------------------------------------

    def return_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("payments:return", args=[self.id]))

    def payment_params(self, attempt: PaymentAttempt, *, return_url: str, ip_address: str) -> dict[str, str]:
        """The signed redirect parameters for one attempt (VNPay API 2.1.0 payment request)."""
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

    def payment_url(self, request: HttpRequest) -> str:
        # build_absolute_uri leaves an absolute URL alone and anchors a path on the site being browsed.
        return request.build_absolute_uri(self.credentials.payment_url)

    def start_payment(self, attempt: PaymentAttempt, request: HttpRequest) -> str:
        params = self.payment_params(attempt, return_url=self.return_url(request), ip_address=attempt.payer_ip or "")
        return f"{self.payment_url(request)}?{urlencode(params)}"

    def form_action_origin(self, request: HttpRequest) -> str:
        parsed = urlparse(self.payment_url(request))
        return f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme in ("http", "https") and parsed.netloc else ""

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

    def parse_return(self, message: GatewayRequest) -> GatewayMessage:
        return self._message(message.params)

    def parse_notification(self, message: GatewayRequest) -> GatewayMessage:
        return self._message(message.params)

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
