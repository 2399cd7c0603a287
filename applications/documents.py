"""Official documents (slips, e-results, receipts) as PDF rows.

`document_request` runs inside the transaction of its cause and writes a pending row with a
snapshot of what the paper says; after commit a task on the `documents` queue renders it
(`document_generate`). The row makes everything idempotent: a retried transition finds the same
row, a redelivered task finds it ready and does nothing, and a ready document never changes.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications import slips
from applications.models import (
    Document,
    DocumentKind,
    DocumentNumberCounter,
    DocumentState,
    Dossier,
    DossierEvent,
)
from applications.page_versions import dossier_pages_changed
from portal.lib.dispatch import dispatch_on_commit
from portal.lib.pdf import qr_data_uri, render_to_pdf
from vault.services import Purpose, SigningError, sign_pdf, signing_configured, signing_key_check, signing_key_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3

# Which papers carry a digital signature, and whose (Decree 45/2020 Art 3, Decree 30/2020: the
# competent agency signs the result; the one-stop shop signs what it receives and hands out).
SIGNED_KINDS = {
    DocumentKind.RESULT: Purpose.RESULT,
    DocumentKind.NOT_ELIGIBLE: Purpose.RESULT,
    DocumentKind.RECEIPT: Purpose.SLIP,
    DocumentKind.SUPPLEMENT: Purpose.SLIP,
    DocumentKind.REFUSAL: Purpose.SLIP,
    DocumentKind.APOLOGY: Purpose.SLIP,
    DocumentKind.STOP: Purpose.SLIP,
    DocumentKind.PAYMENT_RECEIPT: Purpose.SLIP,
}


def document_request(
    dossier: Dossier | None, kind: str, *, source_key: str, issued_by: User | None = None,
    context: dict | None = None, event: DossierEvent | None = None,
) -> Document:
    """Record that a document must be made; call inside the transaction of its cause.

    Idempotent: a second call with the same (kind, source_key) returns the existing row.
    The PDF is rendered by a Celery task after commit (and by the sweeper if that task is lost).
    """
    existing = Document.objects.filter(kind=kind, source_key=source_key).first()
    if existing is not None:
        return existing
    if event is None and source_key.startswith("event:"):
        event = DossierEvent.objects.filter(pk=source_key.split(":", 1)[1]).first()
    legal_basis = slips.legal_basis_for(dossier, kind)
    snapshot = slips.slip_context(
        kind, dossier, legal_basis=legal_basis, event=event, issued_by=issued_by, extra=context
    )
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            kind=kind, source_key=source_key,
            defaults={
                "dossier": dossier, "issued_by": issued_by, "context": snapshot, "legal_basis": legal_basis,
                "number": _next_number(dossier, kind, legal_basis, issued_by),
                "issued_at": timezone.now(),
            },
        )
    if created:
        from applications.tasks import document_render

        dispatch_on_commit(document_render, document.pk)
    return document


def _next_number(dossier: Dossier | None, kind: str, legal_basis: str, issued_by: User | None) -> str:
    spec = slips.form_spec(kind, legal_basis)
    if spec.series is None:
        return dossier.code or "" if dossier else ""
    agency = dossier.agency if dossier else (issued_by.agency if issued_by else None)
    scope = agency.eid_code if agency else "portal"
    year = timezone.localdate().year
    counter, _created = DocumentNumberCounter.objects.get_or_create(scope=scope, year=year, series=spec.series)
    # A conditional increment, then a read: two concurrent requests get two numbers.
    DocumentNumberCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    counter.refresh_from_db(fields=["last_value"])
    return f"{counter.last_value:02d}/{spec.series}"


def _issuing_agency(dossier: Dossier | None, issued_by: User | None):  # type: ignore[no-untyped-def]
    return dossier.agency if dossier else (issued_by.agency if issued_by else None)


def document_signing_plan(document: Document) -> tuple[Any, User | None, str] | None:
    """(agency, signer, purpose) when this document is to be signed, else None."""
    purpose = SIGNED_KINDS.get(document.kind)
    agency = _issuing_agency(document.dossier, document.issued_by)
    if purpose is None or agency is None or not signing_configured(agency=agency):
        return None
    return agency, document.issued_by, purpose


def document_signing_preflight(dossier: Dossier, kind: str, *, issued_by: User) -> str | None:
    """Before a transition that issues a signed paper: the Vietnamese reason it cannot be signed
    (expired, revoked, missing or mismatched certificate), or None. A key that is only unreachable
    now (token unplugged) does not block: the worker retries."""
    purpose = SIGNED_KINDS.get(kind)
    agency = _issuing_agency(dossier, issued_by)
    if purpose is None or agency is None or not signing_configured(agency=agency):
        return None
    try:
        signing_key_check(agency=agency, signer=issued_by, purpose=purpose)
    except SigningError as exc:
        return exc.message if exc.permanent else None
    return None


def verify_url(document: Document) -> str:
    return settings.SITE_URL + reverse("applications:verify", args=[document.verify_token])


def render_context(document: Document, *, for_browser: bool = False) -> dict[str, Any]:
    url = verify_url(document)
    return {
        **document.context,
        "document": document,
        "number": document.number,
        "verify_url": url,
        "verify_code": document.verify_token,
        "qr": qr_data_uri(url),
        "for_browser": for_browser,
        # Only a paper that will carry a digital signature may present itself as the valid e-result.
        "digitally_signed": document_signing_plan(document) is not None,
    }


def document_template(document: Document) -> str:
    return slips.form_spec(document.kind, document.legal_basis or slips.C03_2025).template


def document_generate(*, document_id: int) -> str:
    """Render a pending document to PDF and mark it ready. Idempotent and safe to run twice at once.

    The row is locked while rendering: a concurrent run skips it, and if the worker dies the
    lock goes with its connection and the row stays pending for the redelivered task or the
    sweeper. Returns the document's state afterwards.
    """
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True).filter(pk=document_id).first()
        )
        if document is None:
            return "locked"
        if document.state != DocumentState.PENDING:
            return document.state
        delay = float(getattr(settings, "PDF_RENDER_DELAY_SECONDS", 0) or 0)
        if delay:
            time.sleep(delay)  # test-only knob: lets reliability tests kill a worker mid-render
        try:
            pdf = render_to_pdf(document_template(document), render_context(document))
        except Exception as exc:  # any renderer failure counts as an attempt
            return _record_failure(document, exc)
        # Signed last: anything changed in the PDF after signing would break the signature.
        plan = document_signing_plan(document)
        if plan is not None:
            agency, signer, purpose = plan
            try:
                pdf = sign_pdf(pdf, agency=agency, signer=signer, purpose=purpose)
            except SigningError as exc:
                return _record_signing_failure(document, exc)
            document.signed_by = signing_key_for(agency=agency, signer=signer, purpose=purpose).signer_name
            document.signed_at = timezone.now()
        document.file.save(_file_name(document), ContentFile(pdf), save=False)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.state = DocumentState.READY
        document.attempts = F("attempts") + 1
        document.error = ""
        document.signing_error = ""
        document.save(update_fields=[
            "file", "sha256", "state", "attempts", "error", "signed_by", "signed_at", "signing_error",
        ])
    logger.info("document %s (%s) ready", document.pk, document.kind)
    return DocumentState.READY


def _record_signing_failure(document: Document, exc: SigningError) -> str:
    """An expired, revoked or mismatched certificate will not heal by retrying: the document fails
    at once and the officer sees why; an unreachable token or timestamp server is swept later."""
    state = DocumentState.FAILED if exc.permanent else DocumentState.PENDING
    # A token may stay unplugged for hours: the row stays pending, without a retry budget, and the
    # documents sweep tries again every few minutes.
    Document.objects.filter(pk=document.pk).update(
        attempts=F("attempts") + 1, state=state, error=f"{type(exc).__name__}: {exc}"[:2000],
        signing_error=exc.message[:500],
    )
    dossier_pages_changed(document.dossier_id)  # an update sends no signal: the pages show the state
    logger.warning("document %s not signed (%s): %s", document.pk, state, type(exc).__name__)
    return state


def _record_failure(document: Document, exc: BaseException) -> str:
    attempts = document.attempts + 1
    state = DocumentState.FAILED if attempts >= MAX_ATTEMPTS else DocumentState.PENDING
    Document.objects.filter(pk=document.pk).update(
        attempts=attempts, state=state, error=f"{type(exc).__name__}: {exc}"[:2000]
    )
    dossier_pages_changed(document.dossier_id)
    logger.warning("document %s render failed (attempt %s): %s", document.pk, attempts, exc)
    if state == DocumentState.PENDING:
        from applications.tasks import document_render

        dispatch_on_commit(document_render, document.pk, countdown=30 * attempts)
    return state


def _file_name(document: Document) -> str:
    # Random: the stored path reveals neither the dossier code nor a guessable sequence.
    return f"{document.kind}-{secrets.token_hex(12)}.pdf"


def documents_sweep(*, older_than_seconds: int = 120, limit: int = 200) -> int:
    """Re-dispatch documents still pending after `older_than_seconds` (their task was lost)."""
    from applications.tasks import document_render

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Document.objects.filter(state=DocumentState.PENDING, created_at__lte=cutoff)
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        dispatch_on_commit(document_render, pk)
    return len(ids)


def document_download_name(document: Document) -> str:
    code = (document.dossier.code if document.dossier_id else "") or str(document.pk)
    return f"{document.kind}-{code}.pdf".replace("/", "_")


def document_matches(document: Document, uploaded: bytes) -> bool:
    return bool(document.sha256) and secrets.compare_digest(hashlib.sha256(uploaded).hexdigest(), document.sha256)


__all__ = [
    "MAX_ATTEMPTS", "DocumentKind", "document_generate", "document_matches", "document_request", "documents_sweep",
    "render_context", "verify_url",
]
