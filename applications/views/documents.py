"""Issued documents: the owner's download, the back office's print, and public verification."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import citizen_required, staff_required
from applications.access_log import dossier_access_record
from applications.documents import (
    document_download_name,
    document_matches,
    document_request,
    document_template,
    render_context,
)
from applications.models import AccessKind, Document, DocumentKind, DocumentState, Dossier, verify_token_as_typed
from applications.selectors import (
    citizen_documents_list,
    document_get_for_citizen,
    dossier_get_for_citizen,
    dossier_get_for_staff,
)
from vault.services import SignatureReport, pdf_signatures_validate

MAX_VERIFY_UPLOAD_BYTES = 20 * 1024 * 1024


def _ready_document(dossier: Dossier, pk: int) -> Document:
    document = dossier.documents.filter(pk=pk, state=DocumentState.READY).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    return document


def _pdf_response(document: Document, *, as_attachment: bool) -> FileResponse:
    if not document.file:  # deleted past its retention period (retention app)
        raise Http404("Không tìm thấy văn bản.")
    response = FileResponse(
        document.file.open("rb"), as_attachment=as_attachment, filename=document_download_name(document),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _documents_fragment(request: HttpRequest, dossier: Dossier, documents: Iterable[Document], viewer: str) -> HttpResponse:
    return render(request, "applications/includes/_documents.html",
                  {"documents": list(documents), "dossier": dossier, "viewer": viewer})


@citizen_required
@require_GET
def citizen_documents(request: HttpRequest, code: str) -> HttpResponse:
    """The documents list fragment; the dossier page polls it while a document is being made."""
    dossier = dossier_get_for_citizen(request.user, code)
    return _documents_fragment(request, dossier, citizen_documents_list(dossier), "citizen")


@citizen_required
@require_GET
def citizen_document_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    return _pdf_response(document_get_for_citizen(request.user, code, pk), as_attachment=True)


@staff_required
@require_GET
def staff_documents(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_staff(request.user, code)
    return _documents_fragment(request, dossier, dossier.documents.order_by("created_at", "pk"), "staff")


@staff_required
@require_GET
def staff_document_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = dossier_get_for_staff(request.user, code)
    document = _ready_document(dossier, pk)
    dossier_access_record(dossier_id=dossier.pk, user=request.user, kind=AccessKind.DOCUMENT, object_id=document.pk)
    return _pdf_response(document, as_attachment=False)


@staff_required
@require_GET
def staff_document_print(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The slip as a printable page (same template as the PDF, browser print stylesheet)."""
    dossier = dossier_get_for_staff(request.user, code)
    document = dossier.documents.filter(pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    html = render_to_string(document_template(document), render_context(document, for_browser=True), request)
    return HttpResponse(html)


# Papers an officer prints on demand (the others are issued by the workflow's transitions).
ON_DEMAND_KINDS = (DocumentKind.CONTROL_SHEET, DocumentKind.TRACKING_BOOK)


@staff_required
@require_POST
def staff_document_issue(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Issue the control sheet (Mẫu 06) or the tracking-book extract (Mẫu 07) as the dossier stands
    now; asking again without a change in between gives the same document."""
    dossier = dossier_get_for_staff(request.user, code)
    if kind not in ON_DEMAND_KINDS:
        raise Http404("Không có loại văn bản này.")
    with transaction.atomic():
        document_request(dossier, kind, source_key=f"{kind}:{dossier.pk}:v{dossier.version}", issued_by=request.user)
    return redirect("applications:officer-dossier", code=dossier.code)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_VERIFY_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return uploaded


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what the document is, who issued it and when; does an uploaded copy match it?

    Only issued (ready) documents are shown; any other token is a 404, like a wrong one.
    """
    document = get_object_or_404(
        Document.objects.select_related("dossier__agency", "issued_by"),
        verify_token__in={token, verify_token_as_typed(token)}, state=DocumentState.READY,
    )
    match: bool | None = None
    signatures: list[SignatureReport] | None = None
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"].read()
        match = document_matches(document, uploaded)
        signatures = pdf_signatures_validate(uploaded)
    return render(request, "applications/verify.html", {
        "document": document, "form": form, "match": match, "signatures": signatures,
        "title": document.context.get("title") or document.get_kind_display(),
        "agency_name": document.context.get("agency_name", ""), "site_url": settings.SITE_URL,
    })
