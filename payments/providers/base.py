"""The interface every payment gateway plugin implements, and the values it exchanges with services.

A provider owns its gateway's protocol entirely: where the payer's browser goes, how a return or a
notification names our reference, how its signature is checked, what the gateway expects in reply
and how to ask it about a payment. Services and views only see the neutral values below, so a new
gateway is a new class in the registry and nothing else.

Providers never touch the database: payments.services decides what a verified message means for a
PaymentAttempt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from django.http import HttpRequest

    from payments.models import PaymentAttempt


class ProviderError(Exception):
    """The gateway could not be reached or answered something we cannot use (retry later)."""


@dataclass(frozen=True)
class GatewayRequest:
    """An HTTP message from a gateway (notification) or from the payer's browser coming back
    (return), exactly as received: the provider decides which part carries what."""

    method: str = "GET"
    params: dict[str, str] = field(default_factory=dict)  # query string, or form fields of a form POST
    body: bytes = b""
    content_type: str = ""


@dataclass(frozen=True)
class GatewayReply:
    """The HTTP answer a gateway expects to its notification."""

    body: str
    content_type: str = "application/json"
    status: int = 200


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
    # Not from the gateway's published addresses (PAYMENT_IPN_ALLOWED_IPS): nothing was read.
    SOURCE_REFUSED = "source_refused"


class PaymentProvider:
    """Base class. `id` is the registry key, the URL segment of its notification and return
    endpoints, and the value stored in PaymentAttempt.provider (at most 20 characters)."""

    id: ClassVar[str] = ""
    name: ClassVar[StrOrPromise] = ""  # shown to payers; translatable
    # The HTTP methods the gateway uses to notify us; anything else is answered 405.
    notification_methods: ClassVar[tuple[str, ...]] = ("GET",)

    # --- Class level: no credentials needed --------------------------------------------------

    @classmethod
    def is_available(cls) -> bool:
        """False when this deployment must not offer the gateway at all (then its URLs answer 404)."""
        return True

    @classmethod
    def from_settings(cls, env_prefix: str = "") -> PaymentProvider:
        """A provider with the credentials of settings, or of <PREFIX>_… environment variables.
        Raises ImproperlyConfigured when they are missing."""
        raise NotImplementedError

    @classmethod
    def reference(cls, message: GatewayRequest) -> str:
        """Our attempt reference (PaymentAttempt.txn_ref) named by a return or notification, or "".
        Read before the signature is checked: it picks the agency whose secret checks it."""
        raise NotImplementedError

    @classmethod
    def notification_reply(cls, result: SettleResult) -> GatewayReply:
        """The answer the gateway expects to its notification."""
        raise NotImplementedError

    # --- With credentials ----------------------------------------------------------------------

    def start_payment(self, attempt: PaymentAttempt, request: HttpRequest) -> str:
        """The URL to send the payer's browser to."""
        raise NotImplementedError

    def form_action_origin(self, request: HttpRequest) -> str:
        """The origin (scheme://host[:port]) the pay page's form ends up at, so its Content Security
        Policy lets the browser follow the redirect; "" when it stays on our own origin."""
        return ""

    def parse_return(self, message: GatewayRequest) -> GatewayMessage:
        """Decode the browser return. Display only: the browser is never trusted to change state."""
        raise NotImplementedError

    def parse_notification(self, message: GatewayRequest) -> GatewayMessage:
        """Decode the server-to-server notification (the only message that settles an attempt)."""
        raise NotImplementedError

    def query(self, attempt: PaymentAttempt) -> GatewayMessage:
        """Ask the gateway what became of an attempt (reconciliation). Raises ProviderError."""
        raise NotImplementedError
