"""Read-side queries for payments: the staff report (rows + totals that add up) and its Excel file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import staff_agency_ids
from accounts.models import Agency, User
from applications.models import Document, DocumentKind
from payments.models import AttemptState, PaymentAttempt, PaymentChannel
from portal.lib.spreadsheet import sheet_append_row


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
    """Every attempt matching the filters (`rows`, `attempt_count` of them), and the money actually
    received among them: succeeded online attempts and counter receipts. Failed, cancelled, expired,
    pending and refund-flagged attempts are listed but are not money."""

    rows: QuerySet[PaymentAttempt]
    attempt_count: int = 0
    count: int = 0  # receipts: attempts that brought money in
    amount: int = 0  # đồng received
    # Of `amount`, the postage of results by post: a service price collected with the fees, reported apart.
    postage: int = 0
    postage_count: int = 0
    # channel → {"label", "count", "amount"} of money received; the subtotals add up to the totals.
    by_channel: dict[str, dict] = field(default_factory=dict)


def is_money_received(attempt: PaymentAttempt) -> bool:
    return attempt.state == AttemptState.SUCCEEDED


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
    # An online payment's receipt number is the number of the e-receipt issued when it settled.
    e_receipt = Document.objects.filter(
        kind=DocumentKind.PAYMENT_RECEIPT, source_key=Concat(Value("payment:"), Cast(OuterRef("pk"), CharField()))
    ).values("number")[:1]
    rows = rows.select_related("dossier__procedure_version__procedure", "agency", "recorded_by").annotate(
        e_receipt_number=Subquery(e_receipt)
    ).order_by("created_at", "pk")
    report = PaymentReport(rows=rows)
    labels = dict(PaymentChannel.choices)
    for item in rows.order_by().values("channel").annotate(
        attempts=Count("pk"),
        count=Count("pk", filter=Q(state=AttemptState.SUCCEEDED)),
        amount=Sum("amount", filter=Q(state=AttemptState.SUCCEEDED)),
        postage=Sum("postage_amount", filter=Q(state=AttemptState.SUCCEEDED)),
        postage_count=Count("pk", filter=Q(state=AttemptState.SUCCEEDED, postage_amount__gt=0)),
    ):
        report.attempt_count += item["attempts"]
        if not item["count"]:
            continue
        report.by_channel[item["channel"]] = {
            "label": labels.get(item["channel"], item["channel"]), "count": item["count"], "amount": item["amount"] or 0
        }
        report.count += item["count"]
        report.amount += item["amount"] or 0
        report.postage += item["postage"] or 0
        report.postage_count += item["postage_count"]
    return report


def receipt_number(attempt: PaymentAttempt) -> str:
    """The counter receipt's number, or the online payment's e-receipt number (paid rows only)."""
    if not is_money_received(attempt):
        return ""
    return attempt.receipt_number or getattr(attempt, "e_receipt_number", None) or ""


@dataclass(frozen=True)
class ReportRow:
    attempt: PaymentAttempt
    receipt_number: str
    received: int  # đồng this attempt brought in (0 unless paid)


def report_rows(report: PaymentReport, limit: int) -> list[ReportRow]:
    """The first `limit` (+1, to tell whether there are more) rows of the report, ready to show."""
    return [
        ReportRow(attempt=attempt, receipt_number=receipt_number(attempt),
                  received=attempt.amount if is_money_received(attempt) else 0)
        for attempt in report.rows[: limit + 1]
    ]


def payment_report_xlsx(report: PaymentReport) -> bytes:
    """The same rows and totals as the page, as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Thanh toán")
    header = [_("Ngày"), _("Mã giao dịch"), _("Mã hồ sơ"), _("Người nộp"), _("Thủ tục"), _("Cơ quan"),
              _("Hình thức"), _("Cổng / cách nộp"), _("Trạng thái"), _("Số biên lai"), _("Số tiền giao dịch (đồng)"),
              _("Số tiền đã thu (đồng)"), _("Trong đó cước bưu chính (đồng)")]
    sheet_append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for attempt in report.rows.iterator(chunk_size=500):
        sheet_append_row(sheet, [
            timezone.localtime(attempt.created_at).strftime("%d/%m/%Y %H:%M"), attempt.txn_ref, attempt.dossier.code,
            attempt.dossier.applicant_name, attempt.dossier.procedure_version.procedure.code, attempt.agency.name,
            attempt.get_channel_display(),
            attempt.get_counter_method_display() if attempt.counter_method else attempt.get_provider_display(),
            attempt.get_state_display(), receipt_number(attempt), attempt.amount,
            attempt.amount if is_money_received(attempt) else 0,
            attempt.postage_amount if is_money_received(attempt) else 0,
        ])
    sheet_append_row(sheet, [])
    blanks = [""] * 9
    for subtotal in report.by_channel.values():
        sheet_append_row(sheet, [_("Cộng đã thu %(channel)s") % {"channel": subtotal["label"]}, *blanks[1:],
                                 subtotal["count"], "", subtotal["amount"]])
    if report.postage_count:
        sheet_append_row(sheet, [_("Trong đó cước bưu chính công ích"), *blanks[1:], report.postage_count, "",
                                 "", report.postage])
    sheet_append_row(sheet, [_("Tổng cộng đã thu"), *blanks[1:], report.count, "", report.amount, report.postage])
    sheet[sheet.max_row][0].font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLM", (17, 24, 34, 24, 12, 30, 12, 22, 16, 14, 16, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
