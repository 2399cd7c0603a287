"""Money in integer đồng, written one way everywhere: 8000 → "8.000 đ"."""

from __future__ import annotations


def format_vnd(amount: int | str | None) -> str:
    """Integer đồng the Vietnamese way, dots between thousands and " đ" after: 1250000 → "1.250.000 đ"."""
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " đ"

