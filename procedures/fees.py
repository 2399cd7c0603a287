"""Fee arithmetic: how much a dossier owes under a procedure version's fee lines (integer đồng).

Rules (domain §5.4, Circular 226/2016 for certification fees):
- only the lines in force on the given day count (effective_from / effective_to, both inclusive);
- per case: the amount once (capped by the line's cap, if any);
- per copy: the amount for each copy (the cap limits each copy);
- per page: page bands (page_from..page_to, open-ended when page_to is empty) priced per page, for
  each copy. All per-page lines together form one charge per copy, and the smallest cap among them
  limits that charge per copy ("2.000đ/page for pages 1–2, 1.000đ/page from page 3, at most
  200.000đ per copy"); the cut is taken from the later bands, so the lines still add up to the total;
- an exemption (its reason is required) makes every line 0 and keeps the lines and the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone

from procedures.models import Fee, FeeBasis, ProcedureVersion


@dataclass(frozen=True)
class QuoteLine:
    name: str
    kind: str
    basis: str
    quantity: int
    unit_amount: int
    amount: int
    legal_basis: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Quote:
    lines: list[QuoteLine] = field(default_factory=list)
    total: int = 0
    exemption_reason: str = ""

    def lines_as_dicts(self) -> list[dict]:
        return [line.as_dict() for line in self.lines]


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


def fee_quote(
    version: ProcedureVersion, *, pages: int = 1, copies: int = 1, exempt_reason: str = "", on: date | None = None
) -> Quote:
    """The fee lines and total for `pages` pages and `copies` copies on day `on` (today by default)."""
    if pages < 0 or copies < 0:
        raise ValueError("pages and copies cannot be negative")
    on = on or timezone.localdate()
    fees = fees_in_force(version, on)
    lines: list[QuoteLine] = []
    for fee in fees:
        if fee.basis == FeeBasis.PER_CASE:
            unit = _capped(fee.amount, fee.cap)
            lines.append(_line(fee, quantity=1, unit=unit, amount=unit))
        elif fee.basis == FeeBasis.PER_COPY:
            unit = _capped(fee.amount, fee.cap)
            lines.append(_line(fee, quantity=copies, unit=unit, amount=unit * copies))
    lines.extend(_per_page_lines([fee for fee in fees if fee.basis == FeeBasis.PER_PAGE], pages, copies))
    if exempt_reason.strip():
        lines = [QuoteLine(**{**line.as_dict(), "amount": 0}) for line in lines]
    return Quote(lines=lines, total=sum(line.amount for line in lines), exemption_reason=exempt_reason.strip())


def _per_page_lines(fees: list[Fee], pages: int, copies: int) -> list[QuoteLine]:
    caps = [fee.cap for fee in fees if fee.cap is not None]
    remaining = min(caps) if caps else None  # what one copy may still cost
    lines = []
    for fee in sorted(fees, key=lambda f: (f.page_from or 1, f.order, f.pk or 0)):
        band_pages = pages_in_band(fee, pages)
        per_copy = fee.amount * band_pages
        if remaining is not None:
            per_copy = min(per_copy, remaining)
            remaining -= per_copy
        lines.append(_line(fee, quantity=band_pages * copies, unit=fee.amount, amount=per_copy * copies))
    return lines


def _line(fee: Fee, *, quantity: int, unit: int, amount: int) -> QuoteLine:
    return QuoteLine(
        name=fee.name, kind=fee.kind, basis=fee.basis, quantity=quantity, unit_amount=unit, amount=amount,
        legal_basis=fee.legal_basis,
    )
