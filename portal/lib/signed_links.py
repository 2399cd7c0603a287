"""Signed links that open one page without an account (the satisfaction rating link).

The value travels signed (django.core.signing, salted per purpose), never encrypted: it carries a
dossier code, which the holder of the result already knows. Expiry is checked by the reader with
its own `max_age`, so the window can change without reissuing links.
"""

from __future__ import annotations

from django.core import signing

SALT_PREFIX = "portal.signed-link."


def signed_link_token(purpose: str, value: str) -> str:
    return signing.dumps(value, salt=SALT_PREFIX + purpose, compress=False)


def signed_link_value(purpose: str, token: str, *, max_age_seconds: int) -> str | None:
    """The value signed for `purpose`, or None when the token is forged, for another purpose, or expired."""
    try:
        value = signing.loads(token, salt=SALT_PREFIX + purpose, max_age=max_age_seconds)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, str) else None
