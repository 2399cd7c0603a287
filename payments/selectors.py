"""Read-side queries for payments: the staff report (rows + totals that add up) and its Excel file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import staff_agency_ids
from accounts.models import Agency, User
from payments.models import PaymentAttempt, PaymentChannel


@dataclass
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    agency_id: int | None = None
    procedure_code: str = ""
    channel: str = ""
    state: str = ""


@dataclass
class PaymentReport:
    rows: QuerySet[PaymentAttempt]
    count: int = 0
    amount: int = 0
    # channel → {"label", "count", "amount"}; the subtotals add up to the totals.
    by_channel: dict[str, dict] = field(default_factory=dict)


def report_agencies(user: User) -> list[tuple[int, str]]:
    return list(Agency.objects.filter(pk__in=staff_agency_ids(user)).order_by("eid_code").values_list("pk", "name"))


def payment_report(user: User, filters: ReportFilters) -> PaymentReport:
    """Attempts of the user's agency subtree matching the filters (by the day they were made)."""
    allowed = staff_agency_ids(user)
    rows = PaymentAttempt.objects.filter(agency_id__in=allowed)
    if filters.agency_id:
        rows = rows.filter(agency_id=filters.agency_id if filters.agency_id in allowed else -1)
    if filters.date_from:
        rows = rows.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(created_at__date__lte=filters.date_to)
    if filters.procedure_code:
        rows = rows.filter(dossier__procedure_version__procedure__code=filters.procedure_code.strip())
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.state:
        rows = rows.filter(state=filters.state)
    rows = rows.select_related("dossier__procedure_version__procedure", "agency", "recorded_by").order_by(
        "created_at", "pk"
    )
    report = PaymentReport(rows=rows)
    labels = dict(PaymentChannel.choices)
    for item in rows.order_by().values("channel").annotate(count=Count("pk"), amount=Sum("amount")):
        report.by_channel[item["channel"]] = {
            "label": labels.get(item["channel"], item["channel"]), "count": item["count"], "amount": item["amount"] or 0
        }
        report.count += item["count"]
        report.amount += item["amount"] or 0
    return report


def payment_report_xlsx(report: PaymentReport) -> bytes:
    """The same rows and totals as the page, as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Thanh toán")
    header = [_("Ngày"), _("Mã giao dịch"), _("Mã hồ sơ"), _("Thủ tục"), _("Cơ quan"), _("Hình thức"),
              _("Cổng / cách nộp"), _("Trạng thái"), _("Số biên lai"), _("Số tiền (đồng)")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for attempt in report.rows.iterator(chunk_size=500):
        sheet.append([
            timezone.localtime(attempt.created_at).strftime("%d/%m/%Y %H:%M"), attempt.txn_ref, attempt.dossier.code,
            attempt.dossier.procedure_version.procedure.code, attempt.agency.name, attempt.get_channel_display(),
            attempt.get_counter_method_display() if attempt.counter_method else attempt.get_provider_display(),
            attempt.get_state_display(), attempt.receipt_number or "", attempt.amount,
        ])
    sheet.append([])
    for subtotal in report.by_channel.values():
        sheet.append([_("Cộng %(channel)s") % {"channel": subtotal["label"]}, "", "", "", "", "", "", "",
                      subtotal["count"], subtotal["amount"]])
    sheet.append([_("Tổng cộng"), "", "", "", "", "", "", "", report.count, report.amount])
    sheet[sheet.max_row][0].font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (17, 24, 34, 12, 30, 12, 22, 16, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
