"""Fee arithmetic: how much a dossier owes under a procedure version's fee lines (integer đồng).

Rules (Circular 85/2019/TT-BTC for local fees, Circular 226/2016/TT-BTC for certification fees,
Circular 75/2022/TT-BTC for residence fees, Law on Civil Status 2014 Art 11):
- only the lines in force on the given day count (effective_from / effective_to, both inclusive);
- only the lines for the dossier's channel count: a line is for online filing, for the counter (in
  person or by post), or for any channel; online filing often has the lower rate;
- a line with a condition is evaluated against the dossier: a late-registration line is charged only
  when the event date in the e-form (birth, death) is more than the statutory days before filing,
  otherwise it stays on the quote at 0 đ with the reason (on-time registration is free);
- per case: the amount once (capped by the line's cap, if any);
- per copy: the amount for each copy (the cap limits each copy);
- per page: page bands (page_from..page_to, open-ended when page_to is empty) priced per page, for
  each copy. All per-page lines together form one charge per copy, and the smallest cap among them
  limits that charge per copy ("2.000đ/page for pages 1–2, 1.000đ/page from page 3, at most
  200.000đ per copy"); the cut is taken from the later bands, so the lines still add up to the total;
- an exemption typed by the officer (its reason is required) makes every line 0 and keeps the lines
  and the reason.

Every line carries `rules`: short sentences saying why its amount is what it is (channel, condition
met or not, band, cap), shown to the officer and to the citizen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.money import format_vnd
from procedures.models import Fee, FeeBasis, FeeChannel, FeeCondition, ProcedureVersion


class FeeDossier(Protocol):
    """What the quote reads from a dossier (applications.Dossier has these)."""

    procedure_version: ProcedureVersion
    channel: str
    form_data: dict
    submitted_at: datetime | None
    result_delivery: str
    delivery_province: str
    postage_amount: int | None
    postage_paid_by_agency: bool


# The kind of the postage line: not a fee or charge (phí, lệ phí) but the price of the public-post
# service carrying the result (Decree 42/2022 Art 11); collected with the fees, reported on its own.
POSTAGE_KIND = "cuoc_buu_chinh"


@dataclass(frozen=True)
class QuoteLine:
    name: str
    kind: str
    basis: str
    quantity: int
    unit_amount: int
    amount: int
    legal_basis: str = ""
    channel: str = FeeChannel.ANY
    rules: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rules"] = list(self.rules)
        return data


@dataclass(frozen=True)
class Quote:
    lines: list[QuoteLine] = field(default_factory=list)
    total: int = 0
    exemption_reason: str = ""
    channel: str = ""
    # Lines in force for another channel: not charged, listed so the officer sees why.
    other_channel_lines: tuple[str, ...] = ()

    def lines_as_dicts(self) -> list[dict]:
        return [line.as_dict() for line in self.lines]


def fee_channel_for(dossier_channel: str) -> str:
    """The fee channel of a dossier filed through `dossier_channel` (online / in_person / post)."""
    return FeeChannel.ONLINE if dossier_channel == "online" else FeeChannel.COUNTER


def fees_in_force(version: ProcedureVersion, on: date) -> list[Fee]:
    return [
        fee for fee in version.fees.all()
        if (fee.effective_from is None or fee.effective_from <= on) and (fee.effective_to is None or on <= fee.effective_to)
    ]


def pages_in_band(fee: Fee, pages: int) -> int:
    first = fee.page_from or 1
    last = pages if fee.page_to is None else min(fee.page_to, pages)
    return max(last - first + 1, 0)


def _capped(amount: int, cap: int | None) -> int:
    return amount if cap is None else min(amount, cap)


def fee_quote_for_dossier(
    dossier: FeeDossier, *, pages: int = 1, copies: int = 1, exempt_reason: str = "", on: date | None = None
) -> Quote:
    """The quote for a dossier: its channel, its e-form answers and its filing day decide the lines."""
    filed_on = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else None
    quote = fee_quote(
        dossier.procedure_version, channel=fee_channel_for(dossier.channel), form_data=dossier.form_data or {},
        filed_on=filed_on, pages=pages, copies=copies, exempt_reason=exempt_reason, on=on,
    )
    postage = postage_line(dossier)
    if postage is None:
        return quote
    return Quote(lines=[*quote.lines, postage], total=quote.total + postage.amount,
                 exemption_reason=quote.exemption_reason, channel=quote.channel,
                 other_channel_lines=quote.other_channel_lines)


def postage_line(dossier: FeeDossier) -> QuoteLine | None:
    """The postage quoted at filing for a result by post, as its own line: charged to the applicant,
    or 0 đ when the procedure puts it on the agency. A fee exemption does not cover it (it is a
    service price, not a fee). None when the result does not go by post."""
    if dossier.result_delivery != "post" or dossier.postage_amount is None:
        return None
    name = _("Cước bưu chính công ích trả kết quả")
    if dossier.postage_paid_by_agency:
        return QuoteLine(name=name, kind=POSTAGE_KIND, basis=FeeBasis.PER_CASE, quantity=1, unit_amount=0,
                         amount=0, rules=(_("Cơ quan giải quyết trả cước (%(amount)s), người nộp không phải nộp") % {
                             "amount": format_vnd(dossier.postage_amount)},))
    rule = _("Theo biểu cước bưu chính, gửi đến %(province)s") % {"province": dossier.delivery_province}
    return QuoteLine(name=name, kind=POSTAGE_KIND, basis=FeeBasis.PER_CASE, quantity=1,
                     unit_amount=dossier.postage_amount, amount=dossier.postage_amount, rules=(rule,))


def fee_quote(
    version: ProcedureVersion, *, channel: str, form_data: Mapping[str, Any] | None = None,
    filed_on: date | None = None, pages: int = 1, copies: int = 1, exempt_reason: str = "", on: date | None = None,
) -> Quote:
    """The fee lines and total for `pages` pages and `copies` copies on day `on` (today by default),
    for a dossier filed through `channel` (FeeChannel.ONLINE or COUNTER) on `filed_on` with `form_data`."""
    if pages < 0 or copies < 0:
        raise ValueError("pages and copies cannot be negative")
    on = on or timezone.localdate()
    filed_on = filed_on or on
    in_force = fees_in_force(version, on)
    fees = [fee for fee in in_force if fee.channel in (FeeChannel.ANY, channel)]
    skipped = tuple(
        _("%(name)s (%(amount)s): chỉ áp dụng khi %(channel)s") % {
            "name": fee.name, "amount": format_vnd(fee.amount), "channel": fee.get_channel_display().lower()}
        for fee in in_force if fee not in fees
    )
    lines: list[tuple[Fee, QuoteLine]] = []
    for fee in fees:
        if fee.basis == FeeBasis.PER_CASE:
            unit = _capped(fee.amount, fee.cap)
            lines.append(_line(fee, quantity=1, unit=unit, amount=unit, rules=_cap_rule(fee, fee.amount, unit)))
        elif fee.basis == FeeBasis.PER_COPY:
            unit = _capped(fee.amount, fee.cap)
            lines.append(_line(fee, quantity=copies, unit=unit, amount=unit * copies,
                               rules=_cap_rule(fee, fee.amount, unit)))
    lines.extend(_per_page_lines([fee for fee in fees if fee.basis == FeeBasis.PER_PAGE], pages, copies))
    quoted = [_apply_condition(line, fee, form_data or {}, filed_on) for fee, line in lines]
    if exempt_reason.strip():
        quoted = [
            QuoteLine(**{**asdict(line), "amount": 0,
                         "rules": (*line.rules, _("Cán bộ xác định được miễn: %(reason)s") % {
                             "reason": exempt_reason.strip()})})
            for line in quoted
        ]
    return Quote(lines=quoted, total=sum(line.amount for line in quoted), exemption_reason=exempt_reason.strip(),
                 channel=channel, other_channel_lines=skipped)


def _channel_rule(fee: Fee) -> tuple[str, ...]:
    if fee.channel == FeeChannel.ANY:
        return ()
    return (_("Mức thu khi %(channel)s") % {"channel": fee.get_channel_display().lower()},)


def _cap_rule(fee: Fee, uncapped: int, charged: int) -> tuple[str, ...]:
    if fee.cap is None:
        return ()
    if charged < uncapped:
        return (_("Đã áp dụng mức thu tối đa %(cap)s") % {"cap": format_vnd(fee.cap)},)
    return (_("Mức thu tối đa %(cap)s, chưa đến mức tối đa") % {"cap": format_vnd(fee.cap)},)


def _band_rule(fee: Fee, band_pages: int) -> str:
    if fee.page_to:
        band = _("trang %(first)s–%(last)s") % {"first": fee.page_from or 1, "last": fee.page_to}
    else:
        band = _("từ trang %(first)s") % {"first": fee.page_from or 1}
    return _("%(unit)s/trang cho %(band)s: %(pages)s trang mỗi bản") % {
        "unit": format_vnd(fee.amount), "band": band, "pages": band_pages}


def _per_page_lines(fees: list[Fee], pages: int, copies: int) -> list[tuple[Fee, QuoteLine]]:
    caps = [fee.cap for fee in fees if fee.cap is not None]
    cap = min(caps) if caps else None
    remaining = cap  # what one copy may still cost
    lines = []
    for fee in sorted(fees, key=lambda f: (f.page_from or 1, f.order, f.pk or 0)):
        band_pages = pages_in_band(fee, pages)
        uncapped = per_copy = fee.amount * band_pages
        rules = [_band_rule(fee, band_pages)]
        if remaining is not None:
            per_copy = min(per_copy, remaining)
            remaining -= per_copy
            if per_copy < uncapped:
                rules.append(_("Đã áp dụng mức thu tối đa %(cap)s mỗi bản") % {"cap": format_vnd(cap)})
            else:
                rules.append(_("Mức thu tối đa %(cap)s mỗi bản, chưa đến mức tối đa") % {"cap": format_vnd(cap)})
        lines.append(_line(fee, quantity=band_pages * copies, unit=fee.amount, amount=per_copy * copies,
                           rules=tuple(rules)))
    return lines


def _event_date(form_data: Mapping[str, Any], key: str) -> date | None:
    value = form_data.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _apply_condition(line: QuoteLine, fee: Fee, form_data: Mapping[str, Any], filed_on: date) -> QuoteLine:
    if fee.condition != FeeCondition.LATE_REGISTRATION:
        return line
    event = _event_date(form_data, fee.condition_field)
    days = fee.condition_days or 0
    if event is None:
        rule = _("Thu khi đăng ký quá hạn %(days)s ngày; tờ khai chưa có ngày để xác định đúng hạn, cán bộ kiểm "
                 "tra lại") % {"days": days}
        return QuoteLine(**{**asdict(line), "rules": (*line.rules, rule)})
    deadline = event + timedelta(days=days)
    facts = {"event": event.strftime("%d/%m/%Y"), "filed": filed_on.strftime("%d/%m/%Y"), "days": days,
             "deadline": deadline.strftime("%d/%m/%Y")}
    if filed_on <= deadline:
        rule = _("Đăng ký đúng hạn (sự kiện ngày %(event)s, nộp ngày %(filed)s, trong hạn %(days)s ngày đến "
                 "%(deadline)s): miễn") % facts
        return QuoteLine(**{**asdict(line), "amount": 0, "rules": (*line.rules, rule)})
    rule = _("Đăng ký quá hạn (sự kiện ngày %(event)s, nộp ngày %(filed)s, quá hạn %(days)s ngày kể từ "
             "%(deadline)s): thu") % facts
    return QuoteLine(**{**asdict(line), "rules": (*line.rules, rule)})


def _line(fee: Fee, *, quantity: int, unit: int, amount: int, rules: tuple[str, ...] = ()
          ) -> tuple[Fee, QuoteLine]:
    return fee, QuoteLine(
        name=fee.name, kind=fee.kind, basis=fee.basis, quantity=quantity, unit_amount=unit, amount=amount,
        legal_basis=fee.legal_basis, channel=fee.channel, rules=(*_channel_rule(fee), *rules),
    )
