"""Formatting-only template filters shared by every page (no queries, no decisions)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from portal.lib.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """Integer đồng written the Vietnamese way: 1250000 → "1.250.000 đ" (the one money format)."""
    return format_vnd(amount)


@register.filter
def mask_id(number: str | None) -> str:
    """Personal ID number with only its last 3 digits visible: ********* 999."""
    if not number:
        return ""
    return "•" * max(len(number) - 3, 0) + number[-3:]


@register.filter
def mask_name(full_name: str | None) -> str:
    """"Nguyễn Văn An" → "Nguyễn V. A." for public pages that must not identify a person."""
    if not full_name:
        return ""
    parts = full_name.split()
    if len(parts) == 1:
        return parts[0][0] + "."
    return parts[0] + " " + " ".join(p[0] + "." for p in parts[1:])


@register.filter
def yesno_vi(value: bool) -> str:
    return _("Có") if value else _("Không")
