"""Attachments served from private storage, only to the dossier's owner or its agency's staff."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.access_log import dossier_access_record
from applications.models import AccessKind
from applications.selectors import attachment_get_for_user
from applications.uploads import INLINE_TYPES, PDF

logger = logging.getLogger(__name__)


def _file_policy(content_type: str) -> str:
    """Even if a file slipped through the checks, it cannot run scripts in the portal's origin.

    PDFs are the exception to `sandbox` and `object-src 'none'`: Chromium's built-in viewer
    counts as a plugin and refuses to open under either."""
    if content_type == PDF:
        return "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
    return "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse | HttpResponse:
    attachment = attachment_get_for_user(request.user, pk)  # 404 for anyone else
    if attachment.is_quarantined:
        # Not scanned for malware yet (the scanner was down): nobody opens it until the rescan releases it.
        return render(request, "applications/attachment_quarantined.html", {
            "message": _("Tệp này đang chờ quét mã độc nên chưa mở được. Hệ thống sẽ tự quét lại trong ít phút; "
                         "vui lòng thử lại sau."),
        }, status=409)
    if not attachment.file:  # deleted past the dossier's retention period (retention app)
        raise Http404("Không tìm thấy tệp.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp.") from exc
    # Access log for personal data (Law 91/2025): who opened which file; ids only, no names.
    logger.info("attachment_opened attachment=%s dossier=%s user=%s", attachment.pk, attachment.dossier_id,
                request.user.pk)
    dossier_access_record(dossier_id=attachment.dossier_id, user=request.user, kind=AccessKind.ATTACHMENT,
                          object_id=attachment.pk)
    response = FileResponse(
        handle, content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES, filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = _file_policy(attachment.content_type)
    return response
