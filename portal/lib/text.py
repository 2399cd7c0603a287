"""Text normalisation shared by search and import.

Vietnamese users type with or without diacritics ("dang ky khai sinh" for "Đăng ký khai sinh"),
so everything searchable is stored and queried in one accent-free, lower-case form.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

_WHITESPACE = re.compile(r"\s+")
# "đ" is a letter of its own, not "d" plus a combining mark, so NFD does not strip it.
_LETTER_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def normalize_search(text: str | None) -> str:
    """Accent-free, lower-case, single-spaced text: "  Đăng KÝ\tkhai sinh " → "dang ky khai sinh".

    Total: any Unicode string (control characters, emoji, unpaired surrogates) gives a string.
    """
    if not text:
        return ""
    text = text.translate(_LETTER_FOLDS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Unpaired surrogates cannot be encoded; drop them rather than fail later in the database driver.
    stripped = stripped.encode("utf-8", "ignore").decode("utf-8")
    stripped = "".join(ch if ch.isprintable() else " " for ch in stripped)
    return _WHITESPACE.sub(" ", stripped.casefold()).strip()


def as_uuid(value: object) -> uuid.UUID | None:
    """A UUID from untrusted input (a form field, a token), or None when it is empty or malformed."""
    if not value:
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
