"""Address allow-lists (METRICS_ALLOWED_IPS, PAYMENT_IPN_ALLOWED_IPS)."""

from __future__ import annotations

import ipaddress
import logging

logger = logging.getLogger(__name__)


def address_allowed(address: str, networks: list[str]) -> bool:
    """Whether an address falls in one of the listed addresses or CIDR networks (a malformed entry
    matches nothing and is logged)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            logger.warning("Ignoring a malformed network in an allow-list: %r", network)
    return False
