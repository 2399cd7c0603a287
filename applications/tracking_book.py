"""The dossier tracking book (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025; Mẫu 06 of 01/2018).

One row per dossier received in the period, in order of receipt, with the dates the law asks
for: received, appointment, transferred to the processing unit, result back from it, returned.
A row's number is the dossier's number in its agency's book for the year (the one the receipt,
Mẫu 01, prints), so any period shows the same numbers. It is taken when the dossier is received
(`tracking_book_number_next`, inside the receive transaction) and stored on the dossier.
The Excel file is built with openpyxl in memory (a month of a commune is a few hundred rows).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery

from applications.models import Dossier, DossierEvent, Event, Status, TrackingBookCounter
from applications.rows import counter_row_locked
from portal.lib.spreadsheet import sheet_append_row
from workdays.constants import Timeliness
from workdays.services import local_time_zone

HEADERS = [
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên người nộp", "Địa chỉ", "Số điện thoại",
    "Cơ quan chủ trì giải quyết", "Ngày, giờ nhận hồ sơ", "Ngày, giờ hẹn trả kết quả", "Ngày chuyển hồ sơ",
    "Ngày nhận kết quả từ cơ quan giải quyết", "Ngày, giờ trả kết quả", "Người nhận kết quả ký tên", "Ghi chú",
]
WIDTHS = [6, 28, 40, 10, 24, 30, 14, 28, 17, 17, 14, 17, 17, 16, 28]


@dataclass
class TrackingRow:
    number: int | None
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    processing_agency: str
    received_at: datetime | None
    due_current: datetime | None
    transferred_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    note: str


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = local_time_zone()
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)


def tracking_note(dossier: Dossier) -> str:
    """The book's "Ghi chú": status, timeliness and a moved appointment."""
    parts = [Status(dossier.status).label]
    if dossier.timeliness:
        parts.append(str(Timeliness(dossier.timeliness).label))
    if dossier.due_original and dossier.due_current and dossier.due_original != dossier.due_current:
        parts.append("Hẹn trả ban đầu " + dossier.due_original.astimezone(local_time_zone()).strftime("%d/%m/%Y"))
    return "; ".join(str(part) for part in parts)


@transaction.atomic
def tracking_book_number_next(agency_id: int, received_at: datetime) -> tuple[int, int]:
    """(volume, number) for a dossier the agency `agency_id` receives at `received_at`.

    The rule: each receiving agency keeps one book (quyển) per calendar year (Vietnam time),
    numbered from 1 in order of receipt; the receipt (Mẫu 01), the extract (Mẫu 07) and the book
    for any period print it. Call it inside the receive transaction: the counter row stays locked
    until it commits, so concurrent receipts are numbered one after the other, and a rolled-back
    receipt gives its number back.
    """
    year = received_at.astimezone(local_time_zone()).year
    counter = counter_row_locked(TrackingBookCounter, agency_id=agency_id, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return year, counter.last_value


def tracking_book_number(dossier: Dossier) -> int | None:
    """The dossier's number (số thứ tự) in its agency's tracking book; None before it is received."""
    return dossier.book_number


def tracking_book_rows(agency_ids: list[int], start: date, end: date) -> list[TrackingRow]:
    """Dossiers of `agency_ids` received between `start` and `end` (inclusive), in two queries."""
    first, after = _bounds(start, end)
    transferred = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Event.TRANSFERRED)
        .values("dossier").annotate(first=Min("at")).values("first")
    )
    dossiers = (
        Dossier.objects.filter(agency_id__in=agency_ids, received_at__gte=first, received_at__lt=after)
        .select_related("procedure_version", "agency")
        .annotate(transferred_at=Subquery(transferred))
        .order_by("received_at", "pk")
    )
    return [
        TrackingRow(
            number=dossier.book_number, code=dossier.code or "", procedure_name=dossier.procedure_version.name, sets=1,
            applicant_name=dossier.applicant_name, applicant_address=dossier.applicant_address,
            applicant_phone=dossier.applicant_phone,
            processing_agency=dossier.procedure_version.competent_authority or dossier.agency.name,
            received_at=dossier.received_at, due_current=dossier.due_current, transferred_at=dossier.transferred_at,
            resolved_at=dossier.resolved_at, returned_at=dossier.returned_at, note=tracking_note(dossier),
        )
        for dossier in dossiers
    ]


def _cell_time(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(local_time_zone())
    return local.strftime("%H:%M %d/%m/%Y" if with_time else "%d/%m/%Y")


def tracking_book_xlsx(rows: list[TrackingRow], start: date, end: date, *, agency_name: str = "") -> bytes:
    """The tracking book as an .xlsx file (dates as dd/mm/yyyy text, as printed on the paper form)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ theo dõi hồ sơ"  # Excel allows Unicode sheet names (31 characters at most)
    sheet_append_row(sheet, [agency_name.upper()])
    sheet_append_row(sheet, ["SỔ THEO DÕI HỒ SƠ"])
    sheet_append_row(sheet, [f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    sheet_append_row(sheet, [])
    sheet_append_row(sheet, HEADERS)
    header_row = sheet.max_row
    for row in rows:
        sheet_append_row(sheet, [
            row.number, row.code, row.procedure_name, row.sets, row.applicant_name, row.applicant_address,
            row.applicant_phone, row.processing_agency, _cell_time(row.received_at), _cell_time(row.due_current),
            _cell_time(row.transferred_at, with_time=False), _cell_time(row.resolved_at),
            _cell_time(row.returned_at), "", row.note,
        ])
    thin = Side(style="thin")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for line in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in line:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet["A2"].font = Font(bold=True, size=14)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
