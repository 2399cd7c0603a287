"""The one-stop-shop statistics report (tình hình, kết quả giải quyết TTHC) per sector and procedure
for a period and an agency scope, the shape of the periodic reports under Circular 01/2018/TT-VPCP
Art 25 and Circular 03/2025/TT-VPCP: received in the period, carried over, resolved early/on time
and late, in progress (not yet due / overdue), refused, withdrawn or stopped.

Figures come from the same daily summary as the dashboard, so the two agree to the dossier; only
"in progress, overdue" reads the raw rows (a deadline is a point in time, not a daily count).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from applications.models import Dossier, DossierEvent, Event
from portal.lib.spreadsheet import sheet_append_row
from procedures.models import Procedure
from quality.selectors import Scope, summed
from quality.summary import RESOLVED_EVENTS
from workdays.services import local_time_zone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("carried_over", "received", "to_handle", "resolved", "resolved_in_time", "resolved_late",
           "in_progress", "in_progress_in_time", "in_progress_overdue", "refused", "withdrawn", "stopped")


def column_labels() -> dict[str, str]:
    return {
        "carried_over": _("Từ kỳ trước chuyển sang"), "received": _("Tiếp nhận trong kỳ"),
        "to_handle": _("Tổng số phải giải quyết"), "resolved": _("Đã giải quyết"),
        "resolved_in_time": _("Trước hạn, đúng hạn"), "resolved_late": _("Quá hạn"),
        "in_progress": _("Đang giải quyết"), "in_progress_in_time": _("Chưa đến hạn"),
        "in_progress_overdue": _("Quá hạn"), "refused": _("Từ chối tiếp nhận"), "withdrawn": _("Rút hồ sơ"),
        "stopped": _("Dừng giải quyết"),
    }


@dataclass
class ReportRow:
    sector: str
    procedure: str
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))


@dataclass
class Report:
    scope: Scope
    rows: list[ReportRow]
    total: ReportRow


def _end_bound(scope: Scope) -> datetime:
    return datetime.combine(scope.end + timedelta(days=1), time.min, tzinfo=local_time_zone())


def _overdue_by_procedure(scope: Scope) -> dict[int, int]:
    """Dossiers received before the period's end, neither resolved nor stopped by then, and past due at
    that moment (their deadline as it stands today, after pauses, extensions and an apology)."""
    end = _end_bound(scope)
    events = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=end)
    dossiers = Dossier.objects.filter(
        Exists(events.filter(action=Event.RECEIVED)),
        ~Exists(events.filter(action__in=(*RESOLVED_EVENTS, Event.STOPPED))), due_current__lt=end)
    if scope.agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=scope.agency_ids)
    if scope.procedure_id:
        dossiers = dossiers.filter(procedure_version__procedure_id=scope.procedure_id)
    if scope.sector_id:
        dossiers = dossiers.filter(procedure_version__procedure__sector_id=scope.sector_id)
    rows = dossiers.values("procedure_version__procedure_id").annotate(n=Count("pk"))
    return {row["procedure_version__procedure_id"]: row["n"] for row in rows}


def _open_by_procedure(scope: Scope, before: date) -> dict[int, int]:
    rows = summed(scope, None, before - timedelta(days=1), ("received", "resolved", "stopped"), group_by="procedure_id")
    return {pk: row["received"] - row["resolved"] - row["stopped"] for pk, row in rows.items() if pk is not None}


def statistics_report(scope: Scope) -> Report:
    found_sums = summed(scope, scope.start, scope.end, ("received", "resolved", "resolved_early", "resolved_on_time",
                                                        "resolved_late", "refused", "withdrawn", "stopped"),
                        group_by="procedure_id")
    sums = {pk: {"received_sum": row["received"], "resolved_sum": row["resolved"], "early": row["resolved_early"],
                 "on_time": row["resolved_on_time"], "late": row["resolved_late"], "refused_sum": row["refused"],
                 "withdrawn_sum": row["withdrawn"], "stopped_sum": row["stopped"]}
            for pk, row in found_sums.items() if pk is not None}
    carried = _open_by_procedure(scope, scope.start)
    open_at_end = _open_by_procedure(scope, scope.end + timedelta(days=1))
    overdue = _overdue_by_procedure(scope)
    ids = {pk for pk in (*sums, *carried, *open_at_end) if sums.get(pk) or carried.get(pk) or open_at_end.get(pk)}
    procedures = Procedure.objects.filter(pk__in=ids).select_related("sector", "current_version").order_by(
        "sector__order", "sector__name", "code")
    rows, total = [], ReportRow(sector="", procedure=_("Tổng cộng"))
    for procedure in procedures:
        found = sums.get(procedure.pk, {})
        row = ReportRow(procedure.sector.name,
                        procedure.current_version.name if procedure.current_version else procedure.code)
        values = row.values
        values["carried_over"] = carried.get(procedure.pk, 0)
        values["received"] = found.get("received_sum", 0)
        values["to_handle"] = values["carried_over"] + values["received"]
        values["resolved"] = found.get("resolved_sum", 0)
        values["resolved_in_time"] = found.get("early", 0) + found.get("on_time", 0)
        values["resolved_late"] = found.get("late", 0)
        values["in_progress"] = open_at_end.get(procedure.pk, 0)
        values["in_progress_overdue"] = overdue.get(procedure.pk, 0)
        values["in_progress_in_time"] = values["in_progress"] - values["in_progress_overdue"]
        values["refused"] = found.get("refused_sum", 0)
        values["withdrawn"] = found.get("withdrawn_sum", 0)
        values["stopped"] = found.get("stopped_sum", 0)
        for name in COLUMNS:
            total.values[name] += values[name]
        rows.append(row)
    return Report(scope, rows, total)


def statistics_report_xlsx(report: Report, *, agency_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thong ke"
    labels = column_labels()
    sheet_append_row(sheet, [_("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")])
    sheet["A1"].font = Font(bold=True)
    sheet_append_row(sheet, [agency_name])
    sheet_append_row(sheet, [_("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{report.scope.start:%d/%m/%Y}", "end": f"{report.scope.end:%d/%m/%Y}"}])
    sheet_append_row(sheet, [])
    header = sheet_append_row(sheet, [_("STT"), _("Lĩnh vực"), _("Thủ tục"), *(labels[name] for name in COLUMNS)])
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(report.rows, start=1):
        sheet_append_row(sheet, [number, row.sector, row.procedure, *(row.values[name] for name in COLUMNS)])
    total = sheet_append_row(sheet, ["", "", report.total.procedure, *(report.total.values[name] for name in COLUMNS)])
    for cell in sheet[total]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def drill_xlsx(dossiers: QuerySet[Dossier], label: str, scope: Scope) -> bytes:
    """The dossiers behind one figure: codes, procedure, dates, state (no applicant details)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ho so"
    sheet_append_row(sheet, [label])
    sheet_append_row(sheet, [_("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{scope.start:%d/%m/%Y}", "end": f"{scope.end:%d/%m/%Y}"}])
    sheet_append_row(sheet, [_("Mã hồ sơ"), _("Thủ tục"), _("Cơ quan"), _("Kênh nộp"), _("Tiếp nhận"),
                             _("Hạn trả ban đầu"), _("Có kết quả"), _("Trạng thái")])
    zone = local_time_zone()

    def moment(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%H:%M %d/%m/%Y") if value else ""

    for dossier in dossiers.iterator(chunk_size=2000):
        sheet_append_row(sheet, [dossier.code, dossier.procedure_version.name, dossier.agency.name,
                                 dossier.get_channel_display(), moment(dossier.received_at),
                                 moment(dossier.due_original), moment(dossier.resolved_at),
                                 dossier.get_status_display()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_report_pdf(report: Report, *, agency_name: str) -> bytes:
    from portal.lib.pdf import render_to_pdf

    labels = column_labels()
    return render_to_pdf("pdf/quality_statistics.html", {
        "report": report, "agency_name": agency_name, "columns": [(name, labels[name]) for name in COLUMNS],
        "rows": [(row, [row.values[name] for name in COLUMNS]) for row in report.rows],
        "total": [report.total.values[name] for name in COLUMNS],
    })


__all__ = ["COLUMNS", "XLSX", "Report", "ReportRow", "drill_xlsx", "statistics_report", "statistics_report_pdf",
           "statistics_report_xlsx"]
