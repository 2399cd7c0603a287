"""The interface every postal operator plugin implements, and the neutral values it exchanges.

A provider owns its operator's protocol: how an order is placed (with our reference as the
idempotency key), how a parcel is tracked, how a callback is signed and what the operator expects in
reply. postal.services only sees the values below and decides what they mean for a PostalOrder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar


class PostalError(Exception):
    """The operator could not be reached, was too slow, or answered something unusable: retry later."""


class PostalRejected(Exception):
    """The operator refused the order for good (e.g. an address it does not serve): do not retry."""


@dataclass(frozen=True)
class OrderRequest:
    reference: str
    recipient_name: str
    recipient_phone: str
    address: str
    weight_grams: int
    content: str
    sender_name: str
    sender_address: str
    callback_url: str


@dataclass(frozen=True)
class OrderAccepted:
    order_id: str
    tracking_number: str


@dataclass(frozen=True)
class TrackingUpdate:
    """One step of a parcel's journey. `status` is an OrderState value (in_transit, delivered…)."""

    order_id: str
    reference: str
    tracking_number: str
    status: str
    at: datetime
    note: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackReply:
    body: str
    status: int = 200
    content_type: str = "application/json"


class PostalProvider:
    id: ClassVar[str] = ""
    name: ClassVar[str] = ""

    @classmethod
    def is_available(cls) -> bool:
        return True

    @classmethod
    def from_settings(cls) -> PostalProvider:
        raise NotImplementedError

    def create_order(self, order: OrderRequest) -> OrderAccepted:
        """Place the order; the same reference twice gives the same parcel. Raises PostalError
        (retry) or PostalRejected (final)."""
        raise NotImplementedError

    def track(self, order_id: str) -> list[TrackingUpdate]:
        """The parcel's journey so far, oldest first. Raises PostalError."""
        raise NotImplementedError

    def parse_callback(self, body: bytes, headers: dict[str, str]) -> TrackingUpdate | None:
        """A verified callback, or None when its signature does not check. Raises PostalError
        when the body is not a message we understand."""
        raise NotImplementedError

    def callback_reply(self, *, accepted: bool) -> CallbackReply:
        raise NotImplementedError
