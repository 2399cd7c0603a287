"""The tracking book (Mẫu 07) for a period, on screen and as an Excel file."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from openpyxl import load_workbook

from applications.models import Status
from tests.applications.officer.conftest import drive, new_draft

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _make(cast, version, commune, citizen, day, state):
    with time_machine.travel(datetime(2026, 3, day, 9, tzinfo=VN), tick=False):
        return drive(new_draft(version, commune, citizen), state, cast)


def test_the_excel_export_opens_and_has_one_row_per_received_dossier(login, officer, cast, version, commune,
                                                                      citizen):
    first = _make(cast, version, commune, citizen, 2, Status.RETURNED)
    second = _make(cast, version, commune, citizen, 3, Status.PROCESSING)
    outside = _make(cast, version, commune, citizen, 20, Status.RECEIVED)
    never_received = _make(cast, version, commune, citizen, 4, Status.REFUSED)

    response = login(officer).get("/officer/tracking-book/export/", {"from": "2026-03-01", "to": "2026-03-10"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "so-theo-doi-ho-so-20260301-20260310.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == "SỔ THEO DÕI HỒ SƠ"
    header = values[4]
    assert header[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    rows = values[5:]
    assert [row[1] for row in rows] == [first.code, second.code]
    assert rows[0][0] == 1 and rows[0][8] == "09:00 02/03/2026"
    assert rows[0][10] == "02/03/2026"  # transferred the same day
    assert rows[0][12]  # returned
    assert "Đã trả kết quả" in rows[0][14]
    assert outside.code not in str(values) and never_received.code not in str(values)


def test_the_page_shows_the_period_and_defaults_to_this_month(login, officer, cast, version, commune, citizen):
    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=VN), tick=False):
        dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
        html = login(officer).get("/officer/tracking-book/").content.decode()
    assert "Từ ngày 01/03/2026 đến ngày 12/03/2026: 1 hồ sơ." in html
    assert dossier.code in html
