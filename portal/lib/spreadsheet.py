"""Writing rows to an Excel sheet so that people's data stays data.

A name, address or note typed by an applicant may start with "=", "+", "-", "@", a tab or a carriage
return; openpyxl would store "=HYPERLINK(…)" as a live formula that runs when an officer opens the
export (CSV/formula injection, OWASP). Every export appends its rows through `sheet_append_row`, which
stores such text as a text cell with Excel's quote prefix: it shows exactly what was typed and
stays text when edited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def cell_set_text_safe(cell: Cell, value: Any) -> Cell:
    """Put `value` in `cell`; text that Excel would read as a formula is kept as plain text."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = TYPE_STRING
        cell.quotePrefix = True
    return cell


def sheet_append_row(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append one row like `sheet.append`, with every text value written safely; returns its row number."""
    values = list(values)
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if is_formula_like(value):
            cell_set_text_safe(sheet.cell(row=row, column=column), value)
    return row
