"""The one-stop-shop statistics report (Excel, PDF) reconciles with the dashboard to the dossier."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from accounts.access import agency_subtree_ids
from quality.history import history_generate
from quality.reports import COLUMNS, statistics_report
from quality.selectors import Scope, drill_dossiers, summary_totals
from quality.summary import summary_rebuild
from tests.quality.conftest import HISTORY_START

QUARTER = {"period": "quarter", "year": 2026, "quarter": 2}


@pytest.fixture
def small_history(commune, other_commune, hamlet, versions, officer):
    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=500,
                     start=HISTORY_START, days=300, seed=25)
    summary_rebuild()


def test_report_totals_reconcile_with_the_dashboard_to_the_dossier(commune, small_history):
    scope = Scope(agency_subtree_ids(commune.pk), date(2026, 4, 1), date(2026, 6, 30))

    report = statistics_report(scope)

    totals, row = summary_totals(scope), report.total.values
    assert row["received"] == totals["received"] == drill_dossiers(scope, "received").count() > 0
    assert row["resolved"] == totals["resolved"] == drill_dossiers(scope, "resolved").count()
    assert row["resolved_in_time"] == drill_dossiers(scope, "resolved_in_time").count()
    assert row["resolved_late"] == totals["resolved_late"] == drill_dossiers(scope, "resolved_late").count()
    assert row["refused"] == totals["refused"] and row["withdrawn"] == totals["withdrawn"]
    # Carried over + received = resolved + stopped + still in progress at the end of the period.
    assert row["to_handle"] == row["resolved"] + row["stopped"] + row["in_progress"]
    assert row["in_progress"] == row["in_progress_in_time"] + row["in_progress_overdue"]
    assert row["carried_over"] > 0


def test_the_excel_report_holds_the_same_totals(client, leader, commune, small_history):
    client.force_login(leader)

    response = client.get(reverse("quality:report", args=["xlsx"]), QUARTER)

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    last = [cell.value for cell in sheet[sheet.max_row]]
    expected = statistics_report(Scope(agency_subtree_ids(commune.pk), date(2026, 4, 1), date(2026, 6, 30))).total
    assert last[3:3 + len(COLUMNS)] == [expected.values[name] for name in COLUMNS]
    assert sheet["A1"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"


def test_the_pdf_report_is_a_pdf(client, leader, small_history):
    client.force_login(leader)

    response = client.get(reverse("quality:report", args=["pdf"]), QUARTER)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_unknown_report_format_is_not_found(client, leader):
    client.force_login(leader)

    assert client.get(reverse("quality:report", args=["docx"])).status_code == 404
