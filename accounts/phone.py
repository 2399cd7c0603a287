"""Vietnamese phone numbers, normalised to the 10-digit domestic form (0xxxxxxxxx)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"[\s.\-()]")
_DOMESTIC = re.compile(r"^0\d{9}$")


def normalize_phone(raw: str) -> str:
    """"+84 912 345 678" and "0912.345.678" both become "0912345678"; other text is returned stripped."""
    value = _DIGITS.sub("", raw or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def validate_phone(raw: str) -> str:
    value = normalize_phone(raw)
    if not _DOMESTIC.match(value):
        raise ValidationError(_("Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."), code="phone")
    return value


def looks_like_phone(identifier: str) -> bool:
    return "@" not in identifier and bool(_DOMESTIC.match(normalize_phone(identifier)))
