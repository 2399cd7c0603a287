"""What goes on each official paper (the forms of Circular 01/2018/TT-VPCP and 03/2025/TT-VPCP), keyed
by legal basis.

A dossier received before 1/7/2025 prints the Circular 01/2018/TT-VPCP variant, later ones the
Circular 03/2025/TT-VPCP variant. Builders run inside the transaction of the cause and return a
JSON-safe snapshot (stored in Document.context), so a slip rendered later by a worker still shows
the facts as they were when it was issued. Every text is capped so that a 10,000-character field
cannot make the renderer hang.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import Agency, User
from applications.eforms import display_value, eform_filled_components, form_definitions
from applications.models import (
    Apology,
    Channel,
    DocumentKind,
    Dossier,
    DossierEvent,
    Event,
    ResultDelivery,
    Status,
    SupplementRequest,
)
from applications.tracking_book import tracking_book_number, tracking_note
from portal.lib.pdf import vietnamese_amount_in_words, vietnamese_long_date
from workdays.constants import TimeUnit

C01_2018 = "c01_2018"
C03_2025 = "c03_2025"
# Decree 118/2025 and Circular 03/2025 apply to dossiers received from this day.
NEW_REGIME_FROM = date(2025, 7, 1)

MAX_TEXT_CHARS = 3000
MAX_LIST_ITEMS = 60
# A list (supplement items, fee lines…) stops once it holds this much text.
MAX_LIST_CHARS = 12000
MAX_WORD_CHARS = 60
MAX_HTML_CHARS = 20000
# Markup made by the procedure's own result template (admin data): capped, but never cut inside words.
HTML_KEYS = {"result_body"}
TRUNCATION_NOTE = " … [Nội dung quá dài đã được rút gọn; xem toàn văn trên hệ thống.]"

LEGAL_BASIS_NAMES = {
    C01_2018: "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
    C03_2025: "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ",
}


@dataclass(frozen=True)
class FormSpec:
    number: str | None  # "01"…"07"; None for papers that are not a form of the Circular
    title: str
    template: str
    series: str | None  # number series ("HDHS"); None when the dossier code is the number


_COMMON = {
    DocumentKind.RECEIPT: FormSpec("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "pdf/receipt.html", None),
    DocumentKind.SUPPLEMENT: FormSpec(
        "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "pdf/supplement.html", "HDHS"
    ),
    DocumentKind.REFUSAL: FormSpec("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "pdf/refusal.html", "TCHS"),
    DocumentKind.RESULT: FormSpec(None, "", "pdf/result.html", "KQ"),
    DocumentKind.NOT_ELIGIBLE: FormSpec(
        None, "Thông báo về việc hồ sơ không đủ điều kiện giải quyết", "pdf/not_eligible.html", "TB-KĐK"
    ),
    DocumentKind.PAYMENT_RECEIPT: FormSpec(None, "Biên lai thu phí, lệ phí", "pdf/payment_receipt.html", "BL"),
}
FORMS: dict[str, dict[str, FormSpec]] = {
    C01_2018: {
        **_COMMON,
        DocumentKind.APOLOGY: FormSpec(
            "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "pdf/apology.html", "XL"
        ),
        DocumentKind.CONTROL_SHEET: FormSpec(
            "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "pdf/control_sheet.html", None
        ),
        DocumentKind.TRACKING_BOOK: FormSpec("06", "Sổ theo dõi hồ sơ", "pdf/tracking_book.html", None),
    },
    C03_2025: {
        **_COMMON,
        DocumentKind.APOLOGY: FormSpec(
            "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "pdf/apology.html", "XL"
        ),
        DocumentKind.STOP: FormSpec("05", "Thông báo dừng giải quyết hồ sơ", "pdf/stop.html", "TB-DGQ"),
        DocumentKind.CONTROL_SHEET: FormSpec(
            "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "pdf/control_sheet.html", None
        ),
        DocumentKind.TRACKING_BOOK: FormSpec("07", "Sổ theo dõi hồ sơ", "pdf/tracking_book.html", None),
    },
}
# Papers the one-stop shop issues (the others come from the processing agency and its head).
ONE_STOP_KINDS = {
    DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT, DocumentKind.REFUSAL, DocumentKind.CONTROL_SHEET,
    DocumentKind.TRACKING_BOOK, DocumentKind.PAYMENT_RECEIPT,
}


def legal_basis_for(dossier: Dossier | None, kind: str) -> str:
    """The Circular whose form this paper follows: the one in force when the dossier was received.

    A stop notice exists only in Circular 03/2025 (Mẫu 05), and a stop always happens under it.
    """
    if dossier is None or kind == DocumentKind.STOP:
        return C03_2025
    moment = dossier.received_at or dossier.submitted_at or timezone.now()
    return C01_2018 if timezone.localtime(moment).date() < NEW_REGIME_FROM else C03_2025


def form_spec(kind: str, legal_basis: str) -> FormSpec:
    return FORMS[legal_basis][kind]


# --- Formatting helpers ------------------------------------------------------------------------


_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS}}}")


def cap_text(value: Any, limit: int = MAX_TEXT_CHARS) -> str:
    """At most `limit` characters (with a note when cut), and no unbreakable run longer than
    MAX_WORD_CHARS: Pango's search for a break inside one huge word is what makes layout crawl."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[:limit] + TRUNCATION_NOTE
    return _LONG_WORD.sub(lambda match: match.group(0) + "\u200b", text)


def cap_all(value: Any) -> Any:
    """Cap every string and list in a JSON-like structure (the renderer's input guard)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return cap_text(value)
    if isinstance(value, list | tuple):
        items: list[Any] = []
        total = 0
        for item in value[:MAX_LIST_ITEMS]:
            if total > MAX_LIST_CHARS:
                break
            capped = cap_all(item)
            total += len(str(capped))
            items.append(capped)
        if len(items) < len(value):
            items.append(f"… và {len(value) - len(items)} mục khác (xem trên hệ thống).")
        return items
    if isinstance(value, dict):
        return {
            key: (item[:MAX_HTML_CHARS] if key in HTML_KEYS else cap_all(item))
            for key, item in list(value.items())[:MAX_LIST_ITEMS * 4]
        }
    return value


def time_and_date(moment: datetime | None) -> str:
    """"08 giờ 30 phút, ngày 05 tháng 01 năm 2026" (Mẫu 01 writes receipt and appointment so)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} phút, {vietnamese_long_date(local)}"


def short_date(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return f"{moment:%d/%m/%Y}"


_PLACE_PREFIX = re.compile(
    r"^(ủy ban nhân dân|ubnd|trung tâm phục vụ hành chính công)\s+(xã|phường|thị trấn|đặc khu|tỉnh|thành phố)?\s*",
    re.IGNORECASE,
)


def place_name(agency: Agency | None) -> str:
    """"UBND xã An Phú" → "An Phú", the place written before the date."""
    if agency is None:
        return ""
    return _PLACE_PREFIX.sub("", agency.short_name or agency.name).strip() or agency.name


def processing_time_text(dossier: Dossier) -> str:
    version = dossier.procedure_version
    if version.processing_time_unit == TimeUnit.SAME_DAY:
        return "Trong ngày"
    unit = {
        TimeUnit.WORKING_DAYS: "ngày làm việc", TimeUnit.DAYS: "ngày", TimeUnit.HOURS: "giờ làm việc",
    }.get(version.processing_time_unit, "")
    return f"{version.processing_time_value:02d} {unit}"


DEFAULT_HEAD_TITLE = "Thủ trưởng cơ quan"


def person_label(user: User | None) -> str:
    return user.full_name if user else ""


# --- Per-kind builders ---------------------------------------------------------------------------


def _common(dossier: Dossier | None, kind: str, legal_basis: str, issued_by: User | None) -> dict[str, Any]:
    agency = dossier.agency if dossier else (issued_by.agency if issued_by else None)
    spec = form_spec(kind, legal_basis)
    now = timezone.now()
    context: dict[str, Any] = {
        "legal_basis": legal_basis,
        "legal_basis_name": LEGAL_BASIS_NAMES[legal_basis],
        "form_number": spec.number or "",
        "title": spec.title,
        "agency_name": agency.name if agency else "",
        "agency_parent_name": agency.parent.name if agency and agency.parent_id else "",
        "agency_address": agency.address if agency else "",
        "agency_phone": agency.phone if agency else "",
        "issuing_unit": _issuing_unit(kind, legal_basis),
        "place": place_name(agency),
        "issued_date": short_date(now),
        "issued_long_date": vietnamese_long_date(now),
        "officer_name": person_label(issued_by),
        # Papers the agency itself issues are signed by its head, never by whoever pressed the button.
        "head_title": (agency.head_title if agency else "") or DEFAULT_HEAD_TITLE,
        "head_name": agency.head_name if agency else "",
    }
    if dossier is not None:
        version = dossier.procedure_version
        context.update({
            "dossier_code": dossier.code or "",
            "procedure_name": version.name,
            "procedure_code": version.procedure.code,
            "applicant_name": dossier.applicant_name,
            "subject_name": dossier.subject_name,
            "applicant_address": dossier.applicant_address,
            "applicant_phone": dossier.applicant_phone,
            "applicant_email": dossier.applicant_email,
            "channel": Channel(dossier.channel).label if dossier.channel else "",
            "received_at": time_and_date(dossier.received_at),
            "received_date": short_date(dossier.received_at),
            "due_at": time_and_date(dossier.due_current),
            "due_date": short_date(dossier.due_current),
        })
    return context


def _issuing_unit(kind: str, legal_basis: str) -> str:
    if kind not in ONE_STOP_KINDS:
        return ""
    # Decree 118/2025 Art 7 k3 turned the commune one-stop shop into a service centre.
    return "Bộ phận Một cửa" if legal_basis == C01_2018 else "Trung tâm Phục vụ hành chính công"


def _receipt(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    version = dossier.procedure_version
    uploaded = dict(
        dossier.attachments.values_list("component_id").annotate(n=Count("pk")).values_list("component_id", "n")
    )
    components = []
    by_eform = eform_filled_components(version)
    for component in version.components.all():
        count = uploaded.get(component.pk, 0)
        if dossier.channel in (Channel.ONLINE, Channel.NATIONAL):
            if not count and not component.is_required:
                continue
            form, quantity = "Bản điện tử", max(count, 1)
        else:
            if not count and component.pk not in by_eform:
                continue  # not handed in at the counter: the receipt lists only what was received
            form = "Bản chính" if component.originals else "Bản sao"
            quantity = component.originals or component.copies or 1
        components.append({"name": component.name, "form": form, "quantity": f"{quantity:02d}"})
    delivery = ResultDelivery(dossier.result_delivery).label if dossier.result_delivery else ""
    if dossier.result_delivery == ResultDelivery.POST and dossier.delivery_address:
        delivery = f"{delivery}: {dossier.delivery_address}"
    return {
        "components": components,
        "sets": "01",
        "processing_time": processing_time_text(dossier),
        "result_place": delivery,
        "book_volume": str(dossier.book_year or ""),
        "book_sequence": _book_number_text(dossier),
        # Only a result handed over at the counter in the same visit has no appointment: a same-day
        # procedure received after the cut-off, or before a holiday, is due on a later working day.
        "result_at_once": dossier.status == Status.RETURNED or dossier.due_current is None,
    }


def _book_number_text(dossier: Dossier) -> str:
    number = tracking_book_number(dossier)
    return "" if number is None else str(number)


def _supplement(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    items = list((event.data or {}).get("items", [])) if event else []
    if not items:
        request = SupplementRequest.objects.filter(dossier=dossier).order_by("-requested_at").first()
        items = list(request.items) if request else []
    return {"items": [_item_text(item) for item in items], "note": event.note if event else ""}


def _item_text(item: Any) -> str:
    if isinstance(item, dict):
        parts = [str(item.get(key, "")) for key in ("name", "text", "label", "reason") if item.get(key)]
        return " — ".join(parts) or str(item)
    return str(item)


def _reason(event: DossierEvent | None) -> str:
    if event is None:
        return ""
    data = event.data or {}
    return str(data.get("reason") or event.note or "")


def _apology(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    apology = Apology.objects.filter(dossier=dossier).first()
    if apology is None:
        return {"reason": _reason(event), "due_before": "", "due_after": time_and_date(dossier.due_current)}
    return {
        "reason": apology.reason,
        "due_before": time_and_date(apology.due_before),
        "due_after": time_and_date(apology.due_after),
        "due_after_date": short_date(apology.due_after),
    }


def _stop(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    requested = dossier.events.filter(action=Event.STOP_REQUESTED).order_by("-at").first()
    return {
        "reason": _reason(event) or (_reason(requested) if requested else ""),
        "requested_date": short_date(requested.at) if requested else "",
        "stopped_long_date": vietnamese_long_date(event.at if event else timezone.now()),
    }


def _not_eligible(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    return {"reason": _reason(event) or dossier.result_summary}


_result_engine = Engine(autoescape=True)


DEFAULT_RESULT_TITLE = "Kết quả giải quyết thủ tục hành chính"


def result_document_name(catalogue_result: str) -> str:
    """The result paper's own name from the catalogue's "Kết quả thực hiện" phrase.

    The national catalogue describes what the applicant receives ("Giấy khai sinh (bản chính) và bản
    sao Giấy khai sinh nếu có yêu cầu"); the paper itself is titled by the first document named
    ("Giấy khai sinh").
    """
    name = (catalogue_result or "").strip()
    for separator in (" (", ";", " và ", " hoặc ", ", kèm", "\n"):
        name = name.split(separator, 1)[0].strip()
    return name.rstrip(".,:") or DEFAULT_RESULT_TITLE


def _answers(dossier: Dossier) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The e-form answers as the e-form formats them (addresses on one line, choices by label, dates
    dd/mm/yyyy), by section, without unanswered questions; and the same text by key for templates."""
    sections: list[dict[str, Any]] = []
    by_key: dict[str, str] = {}
    stored = dossier.form_data or {}
    for definition in form_definitions(dossier.procedure_version):
        text = display_value(definition, stored.get(definition.key))
        by_key[definition.key] = text
        if not text:
            continue
        if not sections or sections[-1]["name"] != definition.section:
            sections.append({"name": definition.section, "fields": []})
        sections[-1]["fields"].append({"label": definition.label, "value": text})
    return sections, by_key


def _result(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    """The e-result: the procedure's own template (admin data) rendered with the dossier's answers."""
    version = dossier.procedure_version
    sections, by_key = _answers(dossier)
    body = ""
    if version.result_template.strip():
        data = {
            **by_key,
            "dossier_code": dossier.code, "applicant_name": dossier.applicant_name,
            "subject_name": dossier.subject_name, "result_summary": dossier.result_summary,
        }
        try:
            body = _result_engine.from_string(cap_text(version.result_template, 20000)).render(Context(data))
        except TemplateSyntaxError as exc:
            body = f"[Mẫu kết quả có lỗi: {exc}]"
    return {
        "title": result_document_name(version.result_name),
        "result_body": body,
        "sections": sections,
        "result_summary": dossier.result_summary,
    }


def _control_sheet(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    entries = [
        {
            "step": entry.step, "from_party": entry.from_party, "to_party": entry.to_party,
            "handed_at": timezone.localtime(entry.handed_at).strftime("%H:%M %d/%m/%Y"),
            "due_at": short_date(entry.due_at), "result": entry.get_result_display(), "note": entry.note,
            # Each hand-over is signed by the person who gave the dossier and the one who took it.
            "from_person": person_label(entry.from_user), "to_person": person_label(entry.to_user),
        }
        for entry in dossier.control_sheet.select_related("from_user", "to_user")
    ]
    return {"entries": entries, "coordinating": dossier.procedure_version.coordinating_agencies}


def _tracking_book(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    transferred = dossier.events.filter(action=Event.TRANSFERRED).order_by("at").first()
    return {
        "sequence": _book_number_text(dossier),
        "book_volume": str(dossier.book_year or ""),
        "sets": "01",
        "received_datetime": _cell_time(dossier.received_at),
        "due_datetime": _cell_time(dossier.due_current),
        "returned_datetime": _cell_time(dossier.returned_at),
        "book_note": tracking_note(dossier),
        "transferred_date": short_date(transferred.at) if transferred else "",
        "resolved_date": short_date(dossier.resolved_at),
        "returned_date": short_date(dossier.returned_at),
        "lead_agency": dossier.procedure_version.competent_authority or dossier.agency.name,
    }


def _cell_time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _payment_receipt(dossier: Dossier | None, extra: dict[str, Any]) -> dict[str, Any]:
    amount = int(extra.get("amount") or 0)
    paid_at = extra.get("paid_at")
    paid = datetime.fromisoformat(paid_at) if isinstance(paid_at, str) and paid_at else None
    at_counter = _paid_at_counter(extra)
    return {
        "paid_at_counter": at_counter,
        "payment_method_text": _payment_method_text(extra, at_counter=at_counter),
        "payer": extra.get("payer") or (dossier.applicant_name if dossier else ""),
        "amount": amount,
        "amount_in_words": extra.get("amount_in_words") or vietnamese_amount_in_words(amount),
        "fee_lines": list(extra.get("fee_lines") or []),
        "transaction_ref": extra.get("transaction_ref", ""),
        "provider": extra.get("provider", ""),
        "paid_at_text": time_and_date(paid) if paid else extra.get("paid_at_text", ""),
    }


COUNTER_METHODS = {"cash": "tiền mặt", "card": "thẻ ngân hàng"}


def _paid_at_counter(extra: dict[str, Any]) -> bool:
    # "payment_channel" is the attempt's channel code; snapshots taken before it existed carry only the
    # counter method's label ("counter_method"), which online payments leave empty.
    return extra.get("payment_channel") == "counter" or bool(extra.get("payment_method") or extra.get("counter_method"))


def _payment_method_text(extra: dict[str, Any], *, at_counter: bool) -> str:
    """How the money was paid, in the words of the channel actually used (a cash payment at the desk is
    not an online payment)."""
    if at_counter:
        method = COUNTER_METHODS.get(str(extra.get("payment_method") or ""), "")
        return "Nộp trực tiếp tại Bộ phận Một cửa" + (f", bằng {method}" if method else "")
    provider = extra.get("provider") or ""
    return "Thanh toán trực tuyến" + (f" qua {provider}" if provider else "")


BUILDERS: dict[str, Callable[[Dossier, DossierEvent | None], dict[str, Any]]] = {
    DocumentKind.RECEIPT: _receipt,
    DocumentKind.SUPPLEMENT: _supplement,
    DocumentKind.REFUSAL: lambda dossier, event: {"reason": _reason(event)},
    DocumentKind.APOLOGY: _apology,
    DocumentKind.STOP: _stop,
    DocumentKind.RESULT: _result,
    DocumentKind.NOT_ELIGIBLE: _not_eligible,
    DocumentKind.CONTROL_SHEET: _control_sheet,
    DocumentKind.TRACKING_BOOK: _tracking_book,
}


def slip_context(
    kind: str, dossier: Dossier | None, *, legal_basis: str, event: DossierEvent | None = None,
    issued_by: User | None = None, extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The snapshot stored on the Document: common header facts + the kind's own facts + `extra`."""
    extra = dict(extra or {})
    # Official papers are Vietnamese whatever language the officer's screen is in.
    with translation.override("vi"):
        context = _common(dossier, kind, legal_basis, issued_by)
        if kind == DocumentKind.PAYMENT_RECEIPT:
            context.update(_payment_receipt(dossier, extra))
        elif dossier is not None:
            context.update(BUILDERS[kind](dossier, event))
        context.update({key: value for key, value in extra.items() if key not in context})
        return cap_all(context)
