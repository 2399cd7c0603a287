"""Removing personal data from a petition before its answer is published (Decree 356/2025:
minimisation). What a pattern can find is replaced; the officer who publishes reads the result."""

from __future__ import annotations

import re

MASK = "***"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# Vietnamese phone numbers in the usual spellings: 0912 345 678, 0912.345.678, +84 912345678.
_PHONE = re.compile(r"(?<!\d)(\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
# Personal identification numbers (12 digits) and old 9-digit identity cards.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


def personal_data_remove(text: str, *, names: tuple[str, ...] = ()) -> str:
    """`text` with email addresses, phone and ID numbers, and the given names masked."""
    text = _EMAIL.sub(MASK, text or "")
    text = _PHONE.sub(MASK, text)
    text = _ID_NUMBER.sub(MASK, text)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = re.sub(re.escape(name), MASK, text, flags=re.IGNORECASE)
    return text


def personal_data_found(text: str, *, names: tuple[str, ...] = ()) -> bool:
    return personal_data_remove(text, names=names) != (text or "")
