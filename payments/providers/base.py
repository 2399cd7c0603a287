"""The interface every payment gateway plugin implements, and the values it exchanges with services.

Providers speak their gateway's protocol only (URLs, parameters, signatures). They never touch the
database: payments.services decides what a verified message means for a PaymentAttempt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from payments.models import PaymentAttempt


class ProviderError(Exception):
    """The gateway could not be reached or answered something we cannot use (retry later)."""


@dataclass(frozen=True)
class GatewayMessage:
    """A return, notification or query answer, decoded and checked.

    `amount` is in đồng (the gateway's own units already converted); `state` is the AttemptState the
    message asks for ("succeeded", "failed", "cancelled"), or "pending" when the gateway has no final
    answer yet. `found` is False when a query says the gateway never saw the reference.
    """

    signature_valid: bool
    txn_ref: str = ""
    amount: int | None = None
    state: str = "pending"
    found: bool = True
    response_code: str = ""
    transaction_status: str = ""
    provider_txn_no: str = ""
    bank_code: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class SettleResult(enum.Enum):
    """What payments.services did with a notification; the provider turns it into its reply."""

    INVALID_SIGNATURE = "invalid_signature"
    NOT_FOUND = "not_found"
    INVALID_AMOUNT = "invalid_amount"
    ALREADY_CONFIRMED = "already_confirmed"
    CONFIRMED = "confirmed"
    ERROR = "error"


class PaymentProvider:
    """Base class. `id` is the registry key and the value stored in PaymentAttempt.provider."""

    id: str = ""

    def start_payment(self, attempt: PaymentAttempt, request: HttpRequest) -> str:
        """The URL to send the payer's browser to."""
        raise NotImplementedError

    def parse_return(self, params: dict[str, str]) -> GatewayMessage:
        """Decode the browser return. Display only: the browser is never trusted to change state."""
        raise NotImplementedError

    def parse_notification(self, params: dict[str, str]) -> GatewayMessage:
        """Decode the server-to-server notification (the only message that settles an attempt)."""
        raise NotImplementedError

    def notification_reply(self, result: SettleResult) -> dict[str, str]:
        """The body the gateway expects in answer to its notification."""
        raise NotImplementedError

    def query(self, attempt: PaymentAttempt) -> GatewayMessage:
        """Ask the gateway what became of an attempt (reconciliation). Raises ProviderError."""
        raise NotImplementedError

    def merchant_code(self) -> str:
        """The merchant identity in notifications, used to pick the secret before trusting anything."""
        return ""
