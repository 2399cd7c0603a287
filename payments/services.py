"""Payment use-cases: ask for fees, start an online payment, settle it from the gateway, record a
counter payment, reconcile and expire.

Invariants kept here:
- an attempt's state changes only by `UPDATE … WHERE state='pending'` (a final state is never left);
- every settlement first locks the dossier row, so settlements of one dossier run one at a time
  and the dossier moves on at most once;
- only the gateway's signed notification or our own signed query settles an online attempt; the
  browser's return is display only.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications import workflow
from applications.documents import document_request
from applications.models import DocumentKind, Dossier, Status
from applications.page_versions import dossier_pages_changed
from applications.rows import dossier_lock
from payments.models import (
    AttemptState,
    CounterMethod,
    FeeAssessment,
    PaymentAttempt,
    PaymentChannel,
    ProviderId,
)
from payments.providers import registry
from payments.providers.base import GatewayMessage, GatewayReply, GatewayRequest, ProviderError, SettleResult
from portal.lib.money import format_vnd
from procedures.fees import POSTAGE_KIND, Quote, fee_quote_for_dossier

logger = logging.getLogger(__name__)

# Unambiguous upper-case letters and digits (no 0/O, 1/I): readable over the phone.
TXN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PaymentError(Exception):
    """A payment use-case was refused; the message is shown to the user as is, and `status` is the
    HTTP status a page answers with (403 role or agency, 409 state or stale page, 400 bad input)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def txn_ref_new() -> str:
    """ASCII, 22 characters, about 80 random bits: unguessable and new for every attempt."""
    stamp = timezone.localtime().strftime("%y%m%d")
    return "P" + stamp + "".join(secrets.choice(TXN_ALPHABET) for _ in range(15))


def fee_assessment_current(dossier: Dossier) -> FeeAssessment | None:
    """The assessment behind the amount now due (None when the amount came from elsewhere)."""
    assessment = dossier.fee_assessments.order_by("-assessed_at", "-pk").first()
    if assessment is None or assessment.amount != dossier.fee_amount:
        return None
    return assessment


def payment_lines(dossier: Dossier) -> tuple[list[dict], str]:
    """The fee lines to show and snapshot for the amount due, and the exemption reason."""
    assessment = fee_assessment_current(dossier)
    if assessment is not None:
        lines = list(assessment.lines)
        if assessment.amount != assessment.quoted_total:
            lines.append({
                "name": _("Điều chỉnh của cán bộ: %(reason)s") % {"reason": assessment.adjust_reason},
                "kind": "", "basis": "", "quantity": 1, "unit_amount": assessment.amount - assessment.quoted_total,
                "amount": assessment.amount - assessment.quoted_total, "legal_basis": "", "rules": [],
            })
        return lines, assessment.exemption_reason
    amount = dossier.fee_amount or 0
    # Asked for without an assessment (e.g. from the back office): the schedule's lines if they match.
    quote = fee_quote_for_dossier(dossier)
    if quote.lines and quote.total == amount:
        return quote.lines_as_dicts(), ""
    name = dossier.fee_note or _("Phí, lệ phí giải quyết thủ tục hành chính")
    return [{"name": name, "kind": "", "basis": "per_case", "quantity": 1, "unit_amount": amount,
             "amount": amount, "legal_basis": "", "rules": []}], ""


def postage_in(lines: list[dict]) -> int:
    """The postage part of a payment's lines (đồng)."""
    return sum(int(line.get("amount") or 0) for line in lines if line.get("kind") == POSTAGE_KIND)


def _ensure_payable(dossier: Dossier) -> int:
    """The amount due, after checking that the dossier can be paid now."""
    if PaymentAttempt.objects.filter(dossier=dossier, state=AttemptState.SUCCEEDED).exists():
        raise PaymentError(_("Hồ sơ này đã được thanh toán, không cần nộp thêm."))
    if dossier.status != Status.AWAITING_PAYMENT:
        raise PaymentError(_("Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính."))
    if not dossier.fee_amount:
        raise PaymentError(_("Hồ sơ không có khoản phí, lệ phí nào phải nộp."))
    return dossier.fee_amount


# --- Asking for payment -------------------------------------------------------------------------


@transaction.atomic
def payment_request(
    *, dossier: Dossier, actor: User, expected_version: int, quote: Quote, pages: int, copies: int,
    amount: int | None = None, adjust_reason: str = "",
) -> FeeAssessment:
    """Record the officer's fee assessment and put the dossier into "awaiting payment".

    `amount` other than the quote's total needs `adjust_reason` (the database checks it too).
    """
    amount = quote.total if amount is None else amount
    # Who, which agency, which version and which state come first: nothing is written for a refused
    # request (an unassigned specialist, a stale page, a dossier not yet received).
    try:
        workflow.dossier_payment_request_allowed(dossier, actor=actor, expected_version=expected_version)
    except workflow.WorkflowError as exc:
        raise PaymentError(exc.message, status=exc.status) from exc
    if amount != quote.total and not adjust_reason.strip():
        raise PaymentError(_("Cần ghi lý do khi điều chỉnh số tiền khác biểu phí."))
    assessment = FeeAssessment.objects.create(
        dossier=dossier, pages=pages, copies=copies, lines=quote.lines_as_dicts(), quoted_total=quote.total,
        amount=amount, exemption_reason=quote.exemption_reason, adjust_reason=adjust_reason.strip(),
        assessed_by=actor, assessed_at=timezone.now(),
    )
    parts = [f"{line.name}: {format_vnd(line.amount)}" for line in quote.lines]
    if quote.exemption_reason:
        parts.append(_("Miễn: %(reason)s") % {"reason": quote.exemption_reason})
    if adjust_reason.strip():
        parts.append(_("Điều chỉnh: %(reason)s") % {"reason": adjust_reason.strip()})
    if amount == 0:
        # Exempt: nothing to pay, so the dossier does not wait; the assessment keeps the reason.
        return assessment
    try:
        workflow.dossier_request_payment(
            dossier, actor=actor, expected_version=expected_version, amount=amount, note="; ".join(parts)[:500]
        )
    except workflow.WorkflowError as exc:
        raise PaymentError(exc.message, status=exc.status) from exc
    return assessment


# --- Online payment -------------------------------------------------------------------------------


@transaction.atomic
def payment_start(*, dossier: Dossier, provider_id: str, payer_ip: str | None = None) -> PaymentAttempt:
    """A new pending attempt for the amount due. Each trip to the gateway gets its own reference,
    so a payer who gave up can simply try again."""
    dossier = dossier_lock(dossier, "procedure_version", "agency")
    amount = _ensure_payable(dossier)
    lines, exemption_reason = payment_lines(dossier)
    now = timezone.now()
    return PaymentAttempt.objects.create(
        dossier=dossier, agency=dossier.agency, txn_ref=txn_ref_new(), provider=provider_id,
        channel=PaymentChannel.ONLINE, amount=amount, lines=lines, exemption_reason=exemption_reason,
        postage_amount=postage_in(lines),
        payer_ip=payer_ip or None, created_at=now,
        expires_at=now + timedelta(minutes=settings.PAYMENT_ATTEMPT_TTL_MINUTES),
    )


def attempt_find(provider_id: str, txn_ref: str) -> PaymentAttempt | None:
    if not txn_ref:
        return None
    return PaymentAttempt.objects.select_related("agency").filter(provider=provider_id, txn_ref=txn_ref).first()


def payment_notification_receive(*, provider_id: str, message: GatewayRequest) -> GatewayReply:
    """Handle a gateway's server-to-server notification and return the reply it expects.

    Checks run in the order gateways specify: signature, reference, amount, already final, then
    settle; any unexpected error (an unconfigured gateway included) gets the provider's "error"
    reply so the gateway retries. `provider_id` must be one registry.provider_class() knows.
    """
    provider_class = registry.provider_class(provider_id)
    if provider_class is None:
        raise ImproperlyConfigured(f"Payment provider {provider_id!r} is unknown or not available here")
    try:
        attempt = attempt_find(provider_id, provider_class.reference(message))
        # The secret depends on the agency's merchant account, so find the attempt first (read only).
        provider = registry.provider_for_attempt_agency(provider_id, attempt.agency if attempt else None)
        parsed = provider.parse_notification(message)
        if not parsed.signature_valid:
            result = SettleResult.INVALID_SIGNATURE
        elif attempt is None:
            result = SettleResult.NOT_FOUND
        else:
            result = payment_settle(attempt=attempt, message=parsed)
    except Exception:
        logger.exception("payment notification failed (provider=%s)", provider_id)
        result = SettleResult.ERROR
    return provider_class.notification_reply(result)


@transaction.atomic
def payment_settle(*, attempt: PaymentAttempt, message: GatewayMessage) -> SettleResult:
    """Apply a verified gateway message (notification or query answer) to a pending attempt.

    Idempotent: a second message for a final attempt changes nothing and says ALREADY_CONFIRMED.
    """
    if message.amount is None or message.amount != attempt.amount:
        return SettleResult.INVALID_AMOUNT
    if message.state not in (AttemptState.SUCCEEDED, AttemptState.FAILED, AttemptState.CANCELLED):
        return SettleResult.ALREADY_CONFIRMED if attempt.is_final else SettleResult.ERROR
    if attempt.state == AttemptState.SUCCEEDED:
        # A replay (the common duplicate): nothing to lock or flag.
        return SettleResult.ALREADY_CONFIRMED
    dossier = dossier_lock(attempt.dossier, "procedure_version", "agency")
    state = message.state
    needs_refund = False
    if state == AttemptState.SUCCEEDED and PaymentAttempt.objects.filter(
        dossier=dossier, state=AttemptState.SUCCEEDED
    ).exclude(pk=attempt.pk).exists():
        # The payer completed two attempts (two tabs): keep the first, flag this one for a refund.
        state, needs_refund = AttemptState.FAILED, True
    now = timezone.now()
    changed = PaymentAttempt.objects.filter(pk=attempt.pk, state=AttemptState.PENDING).update(
        state=state, needs_refund=needs_refund, response_code=message.response_code[:4],
        transaction_status=message.transaction_status[:4], provider_txn_no=message.provider_txn_no or None,
        bank_code=message.bank_code[:20], notification=message.raw, settled_at=now,
    )
    dossier_pages_changed(attempt.dossier_id)  # updates send no signal; the pages show the payment
    if not changed:
        if state == AttemptState.SUCCEEDED:
            # Paid at the gateway after we gave up on the attempt (expired, cancelled): the state
            # stays final, but someone must refund or apply the money.
            PaymentAttempt.objects.filter(pk=attempt.pk).exclude(state=AttemptState.SUCCEEDED).update(needs_refund=True)
        return SettleResult.ALREADY_CONFIRMED
    if needs_refund:
        logger.warning("payment %s succeeded for an already paid dossier: refund needed", attempt.txn_ref)
    if state == AttemptState.SUCCEEDED:
        attempt.refresh_from_db()
        _payment_succeeded(attempt, dossier, actor=None)
    return SettleResult.CONFIRMED


def _payment_succeeded(attempt: PaymentAttempt, dossier: Dossier, *, actor: User | None) -> None:
    """Move the dossier on and order the e-receipt, in the settling transaction."""
    workflow.dossier_payment_confirmed(dossier, actor=actor, reference=attempt.txn_ref, channel=attempt.channel)
    document_request(
        dossier, DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}", issued_by=actor,
        context=receipt_context(attempt, dossier),
    )


def receipt_context(attempt: PaymentAttempt, dossier: Dossier) -> dict:
    paid_at = timezone.localtime(attempt.settled_at or timezone.now())
    return {
        "payer": dossier.applicant_name,
        "payer_address": dossier.applicant_address,
        "dossier_code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.agency.name,
        "amount": attempt.amount,
        # "fee_lines" / "transaction_ref" are the names templates/pdf/payment_receipt.html reads.
        "lines": attempt.lines,
        "fee_lines": attempt.lines,
        "exemption_reason": attempt.exemption_reason,
        "txn_ref": attempt.txn_ref,
        "transaction_ref": attempt.txn_ref,
        "provider": attempt.get_provider_display(),
        "provider_txn_no": attempt.provider_txn_no or "",
        "channel": attempt.get_channel_display(),
        # Codes, not labels: the e-receipt words the channel itself (labels follow the officer's language).
        "payment_channel": attempt.channel,
        "payment_method": attempt.counter_method or "",
        "counter_method": attempt.get_counter_method_display() if attempt.counter_method else "",
        "receipt_number": attempt.receipt_number or "",
        "paid_at": paid_at.isoformat(),
        "paid_at_display": paid_at.strftime("%H:%M %d/%m/%Y"),
    }


# --- Counter payment ---------------------------------------------------------------------------------


@transaction.atomic
def payment_record_counter(
    *, dossier: Dossier, officer: User, method: str, receipt_number: str, amount: int
) -> PaymentAttempt:
    """A cash or card payment taken at the one-stop shop; it moves the dossier on like an online one."""
    dossier = dossier_lock(dossier, "procedure_version", "agency")
    _ensure_payable(dossier)
    if amount != dossier.fee_amount:
        raise PaymentError(_("Số tiền thu phải đúng số tiền phải nộp (%(due)s).") % {
            "due": format_vnd(dossier.fee_amount)})
    if method not in CounterMethod.values:
        raise PaymentError(_("Hình thức nộp không hợp lệ."))
    receipt_number = receipt_number.strip()
    if PaymentAttempt.objects.filter(agency=dossier.agency, receipt_number=receipt_number).exists():
        raise PaymentError(_("Số biên lai này đã được dùng."))
    lines, exemption_reason = payment_lines(dossier)
    now = timezone.now()
    try:
        with transaction.atomic():
            attempt = PaymentAttempt.objects.create(
                dossier=dossier, agency=dossier.agency, txn_ref=txn_ref_new(), provider=ProviderId.COUNTER,
                channel=PaymentChannel.COUNTER, amount=amount, lines=lines, exemption_reason=exemption_reason,
                postage_amount=postage_in(lines),
                state=AttemptState.SUCCEEDED, counter_method=method, receipt_number=receipt_number,
                recorded_by=officer, created_at=now, settled_at=now,
            )
    except IntegrityError as exc:
        raise PaymentError(_("Số biên lai này đã được dùng.")) from exc
    _payment_succeeded(attempt, dossier, actor=officer)
    return attempt


# --- Reconciliation and expiry ----------------------------------------------------------------------


def payment_expire(attempt: PaymentAttempt) -> bool:
    """pending → expired; False when the attempt had already reached a final state."""
    expired = bool(PaymentAttempt.objects.filter(pk=attempt.pk, state=AttemptState.PENDING).update(
        state=AttemptState.EXPIRED, settled_at=timezone.now()
    ))
    if expired:
        dossier_pages_changed(attempt.dossier_id)  # an update sends no signal
    return expired


def payment_reconcile_attempt(attempt: PaymentAttempt) -> str:
    """Ask the gateway about one pending attempt and settle or expire it. Returns what happened.

    Raises ProviderError when the gateway cannot be asked (the next run tries again).
    """
    if attempt.state != AttemptState.PENDING or attempt.channel != PaymentChannel.ONLINE:
        return "final"
    try:
        provider = registry.provider_for_attempt_agency(attempt.provider, attempt.agency)
    except ImproperlyConfigured:
        # A gateway this deployment no longer has (the sandbox, in a database once run in
        # development) or lost credentials for: nobody can be asked, so the attempt runs out.
        logger.warning("cannot ask gateway %s about %s: not configured", attempt.provider, attempt.txn_ref)
        if attempt.expires_at and timezone.now() >= attempt.expires_at:
            return "expired" if payment_expire(attempt) else "final"
        return "unconfigured"
    message = provider.query(attempt)
    if not message.signature_valid:
        logger.warning("querydr answer for %s has a bad signature; ignored", attempt.txn_ref)
        return "bad_signature"
    if not message.found or message.state == AttemptState.PENDING:
        if attempt.expires_at and timezone.now() >= attempt.expires_at:
            return "expired" if payment_expire(attempt) else "final"
        return "pending"
    result = payment_settle(attempt=attempt, message=message)
    return {SettleResult.CONFIRMED: "settled", SettleResult.ALREADY_CONFIRMED: "final"}.get(result, result.value)


def payment_reconcile_due(*, now=None, limit: int = 200) -> dict[str, int]:
    """Reconcile pending online attempts older than PAYMENT_RECONCILE_AFTER_MINUTES. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    counts: dict[str, int] = {}
    due = PaymentAttempt.objects.select_related("agency", "dossier").filter(
        state=AttemptState.PENDING, channel=PaymentChannel.ONLINE, created_at__lte=cutoff
    ).order_by("created_at")[:limit]
    for attempt in due:
        try:
            outcome = payment_reconcile_attempt(attempt)
        except ProviderError as exc:
            logger.warning("reconciliation of %s failed: %s", attempt.txn_ref, exc)
            outcome = "unreachable"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
