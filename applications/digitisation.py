"""Digitisation at receipt (Decree 118/2025 Art 17 k1c; Circular 01/2023/TT-VPCP Art 8).

The officer scans each paper a walk-in hands in; `filing.attachments_add_batch` records the scan
as digitised (who, when), puts it in the applicant's document store and marks it pending
certification. The law then wants the scanned copy certified with the one-stop shop's digital
signature: after commit a task on the `documents` queue (`digitised_scan_certify`) signs it once.

- A PDF scan is signed as it is; a JPEG/PNG scan cannot carry a PAdES signature, so it is laid on
  an A4 page (WeasyPrint) and that PDF is signed: the certified copy is what the law asks for, and
  the picture is kept at full resolution inside it. The name keeps its stem and ends in .pdf.
- The stored file is replaced by the signed one, with its sha256 and size, in one transaction; the
  old file is deleted only after commit. If anything fails the original stays as it was.
- An agency without a one-stop shop key leaves the scan unsigned (as papers were before signing).
- An expired/revoked/untrusted certificate is recorded with its reason (shown to the officer); an
  unreachable token or timestamp server leaves the scan pending for the documents sweep.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from datetime import timedelta
from io import BytesIO
from pathlib import PurePath

from pyhanko.pdf_utils.reader import PdfFileReader

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from applications.models import Attachment, Certification, Dossier, ScanStatus
from applications.page_versions import dossier_pages_changed
from applications.uploads import JPEG, PDF, PNG
from portal.lib.dispatch import dispatch_on_commit
from portal.lib.pdf import html_to_pdf
from vault.services import Purpose, SigningError, sign_pdf, signing_configured, signing_key_for

logger = logging.getLogger(__name__)

CERTIFIED, UNSIGNED, FAILED, PENDING = "certified", "unsigned", "failed", "pending"
LOCKED, WAITING, GONE = "locked", "waiting", "gone"

# The page an image scan is laid on. The bottom margin keeps the signature stamp (bottom right,
# vault.services.STAMP_BOX, about 35 mm high) clear of the scanned picture.
_IMAGE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 10mm 10mm 40mm 10mm; }}
html, body {{ margin: 0; }}
img {{ display: block; margin: 0 auto; max-width: 190mm; max-height: 247mm; image-orientation: from-image; }}
</style></head><body><img src="data:{content_type};base64,{data}" alt="{alt}"></body></html>"""


class _Permanent(SigningError):
    """A scan that can never be signed as it is (no page, a format that cannot be certified)."""


class _StoreFailed(SigningError):
    """The signed file could not be stored: the original stays, the sweep tries again."""

    permanent = False


def digitised_scans_dispatch(attachment_ids: list[int]) -> None:
    """Queue the certification of these scans once the current transaction commits."""
    from applications.tasks import document_scan_certify

    for pk in attachment_ids:
        dispatch_on_commit(document_scan_certify, pk)


def image_scan_to_pdf(data: bytes, *, content_type: str, name: str) -> bytes:
    """A one-page A4 PDF holding the scanned picture, ready to be signed."""
    encoded = base64.b64encode(data).decode("ascii")
    return html_to_pdf(
        _IMAGE_PAGE.format(content_type=content_type, data=encoded, alt=escape(name)), stylesheets=False,
    )


def _certified_name(original_name: str) -> str:
    return f"{PurePath(original_name).stem or 'ban-so-hoa'}.pdf"


def _pdf_to_sign(attachment: Attachment) -> bytes:
    """The bytes to sign: the PDF scan itself, or an image scan laid on a page. Raises _Permanent."""
    with attachment.file.open("rb") as handle:
        data = handle.read()
    if attachment.content_type in (JPEG, PNG):
        return image_scan_to_pdf(data, content_type=attachment.content_type, name=attachment.original_name)
    if attachment.content_type != PDF:
        raise _Permanent(_("Chỉ ký số được bản số hóa dạng PDF, JPG hoặc PNG."))
    try:
        pages = int(PdfFileReader(BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except Exception:  # not a readable PDF; sign_pdf would say the same
        pages = -1
    if pages == 0:
        raise _Permanent(_("Tệp PDF không có trang nào: không thể ký số."))
    return data


def digitised_scan_certify(*, attachment_id: int) -> str:
    """Certify one digitised scan with the one-stop shop's signature. Idempotent and safe to run
    twice at once: the row is locked while signing (a concurrent run skips it) and only a pending
    scan is signed, so a certified scan is never signed again. Returns what happened."""
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update(skip_locked=True).order_by()  # no join to the component's order
            .filter(pk=attachment_id).first()
        )
        if attachment is None:
            return GONE if not Attachment.objects.filter(pk=attachment_id).exists() else LOCKED
        if attachment.certification != Certification.PENDING:
            return attachment.certification or GONE
        if attachment.scan_status == ScanStatus.QUARANTINED:
            return WAITING  # not opened before the malware rescan releases it; the sweep comes back
        agency = Dossier.objects.select_related("agency").get(pk=attachment.dossier_id).agency
        if not signing_configured(agency=agency):
            attachment.certification = Certification.UNSIGNED
            attachment.save(update_fields=["certification"])
            logger.info("digitised_scan_uncertified attachment=%s (no signing key)", attachment.pk)
            return UNSIGNED
        try:
            signed = sign_pdf(_pdf_to_sign(attachment), agency=agency, purpose=Purpose.DIGITISED)
            signer_name = signing_key_for(agency=agency, signer=None, purpose=Purpose.DIGITISED).signer_name
        except SigningError as exc:
            return _record_failure(attachment, exc)
        except FileNotFoundError:
            return _record_failure(attachment, _Permanent(_("Không tìm thấy tệp bản số hóa đã lưu.")))
        return _store_signed(attachment, signed, signer_name)


def _store_signed(attachment: Attachment, signed: bytes, signer_name: str) -> str:
    """Swap the stored file for the signed one. Called inside the row's transaction: the row and
    the file change together; the old file goes after commit, a new file left by a failure is removed."""
    old_name, storage = attachment.file.name, attachment.file.storage
    name = _certified_name(attachment.original_name) if attachment.content_type != PDF else attachment.original_name
    try:
        with transaction.atomic():
            attachment.file.save(name, ContentFile(signed), save=False)
            attachment.original_name = name
            attachment.content_type = PDF
            attachment.size = len(signed)
            attachment.sha256 = hashlib.sha256(signed).hexdigest()
            attachment.certification = Certification.CERTIFIED
            attachment.certified_at = timezone.now()
            attachment.certified_by = signer_name[:255]
            attachment.certification_error = ""
            attachment.certification_attempts = F("certification_attempts") + 1
            attachment.save(update_fields=[
                "file", "original_name", "content_type", "size", "sha256", "certification", "certified_at",
                "certified_by", "certification_error", "certification_attempts",
            ])
    except Exception as exc:
        if attachment.file.name != old_name:
            storage.delete(attachment.file.name)
        logger.warning("digitised scan %s: signed file not stored: %s", attachment.pk, exc)
        return _record_failure(attachment, _StoreFailed(_("Không lưu được bản đã ký số: sẽ thử lại.")))
    transaction.on_commit(lambda: storage.delete(old_name))
    logger.info("digitised scan %s certified", attachment.pk)
    return CERTIFIED


def _record_failure(attachment: Attachment, exc: SigningError) -> str:
    """A refusal that retrying cannot heal (expired or revoked certificate, a page-less PDF) is
    recorded with its reason; an unreachable token keeps the scan pending for the sweep, without a
    retry budget (a token may stay unplugged for hours). The stored file is untouched either way."""
    state = Certification.FAILED if exc.permanent else Certification.PENDING
    Attachment.objects.filter(pk=attachment.pk).update(
        certification=state, certification_error=exc.message[:500],
        certification_attempts=F("certification_attempts") + 1,
    )
    dossier_pages_changed(attachment.dossier_id)  # an update sends no signal; the pages show the state
    logger.warning("digitised scan %s not certified (%s): %s", attachment.pk, state, type(exc).__name__)
    return FAILED if exc.permanent else PENDING


def digitised_scans_sweep(*, older_than_seconds: int = 120, limit: int = 200) -> int:
    """Re-dispatch scans still pending after `older_than_seconds`: a lost task, a token that was
    unreachable, a file that was still in quarantine."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Attachment.objects.filter(certification=Certification.PENDING, digitised_at__lte=cutoff)
        .order_by("digitised_at").values_list("pk", flat=True)[:limit]
    )
    digitised_scans_dispatch(ids)
    return len(ids)
