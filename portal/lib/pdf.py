"""HTML → PDF with WeasyPrint, and the small helpers every printed paper needs.

WeasyPrint is imported inside the functions: it takes ~0.5 s to import and only the document
worker needs it (ruff bans a module-level import).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any

import segno

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


@functools.lru_cache(maxsize=1)
def _renderer() -> tuple[Any, list[Any]]:
    """One font configuration and one parsed stylesheet per process: parsing them costs more than
    laying out a one-page slip, so a worker pays it once."""
    from weasyprint import CSS  # noqa: TID251
    from weasyprint.text.fonts import FontConfiguration  # noqa: TID251

    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(PRINT_STYLESHEET), font_config=font_config)
    return font_config, [stylesheet]


def html_to_pdf(html: str, *, stylesheets: bool = True) -> bytes:
    from weasyprint import HTML  # noqa: TID251

    font_config, sheets = _renderer()
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=sheets if stylesheets else None, font_config=font_config)


def render_to_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to PDF bytes with the A4 print stylesheet (static/css/print.css)."""
    html = render_to_string(template_name, {**context, "for_browser": False})
    return html_to_pdf(html)


def qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI (vector: sharp when printed, tiny in the PDF)."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def vietnamese_long_date(value: date | datetime | None) -> str:
    """"ngày 05 tháng 01 năm 2026", the way administrative documents write their date
    (two-digit day and month, as in Decree 30/2020 on document formats)."""
    if value is None:
        return "ngày …… tháng …… năm ……"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _read_triple(number: int, *, full: bool) -> list[str]:
    """Read 0–999; `full` when a higher group precedes it ("không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 5 and tens:
            words.append("lăm")
        elif units == 1 and tens > 1:
            words.append("mốt")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return words


def vietnamese_amount_in_words(amount: int) -> str:
    """1250000 → "Một triệu hai trăm năm mươi nghìn đồng" (the "bằng chữ" line of a receipt)."""
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    value = abs(amount)
    while value:
        groups.append(value % 1000)
        value //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        triple = groups[index]
        if triple == 0:
            # "tỷ" repeats for each further 10^9, even when that group is empty.
            if index % 3 == 0 and index and index // 3 and any(groups[index:]):
                words.append("tỷ")
            continue
        words += _read_triple(triple, full=bool(words))
        unit = _GROUPS[index % 3] if index % 3 else ("tỷ" if index else "")
        if unit:
            words.append(unit)
    text = " ".join(words + ["đồng"])
    return ("Âm " if amount < 0 else "") + text[0].upper() + text[1:]
