""""Giấy tờ của tôi" (the citizen's document store), and choosing from it when filing.

Every object comes through an owner-scoped selector (docstore.selectors) or the filing flow's
access helper (applications.selectors): another citizen's paper, or a dossier of another agency,
is a 404.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import citizen_required, role_required, signed_in_user
from accounts.models import Role
from applications.documents import document_download_name
from applications.filing import EDITABLE_STATES
from applications.models import Document, Dossier
from applications.selectors import filing_get_for_citizen, guided_get_for_staff
from applications.uploads import INLINE_TYPES, PDF
from docstore.forms import ReuseForm
from docstore.selectors import RESULT, StoreItem, store_item_get, store_items, store_offers
from docstore.services import StoreError, store_item_delete, store_item_keep, store_item_reuse

logger = logging.getLogger(__name__)
officer_required = role_required(Role.OFFICER)


@citizen_required
@require_GET
def my_documents(request: HttpRequest) -> HttpResponse:
    items = store_items(signed_in_user(request))
    return render(request, "docstore/my_documents.html", {"items": items})


@citizen_required
@require_GET
def download(request: HttpRequest, source: str, pk: int) -> FileResponse:
    owner = signed_in_user(request)
    item = store_item_get(owner, source, pk)  # 404 for anyone else's
    if isinstance(item, Document):
        name, content_type = document_download_name(item), PDF
    else:
        name, content_type = item.original_name, item.content_type
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Không tìm thấy tệp.") from exc
    logger.info("store_item_opened source=%s item=%s user=%s", source, pk, owner.pk)
    response = FileResponse(handle, content_type=content_type, as_attachment=content_type not in INLINE_TYPES,
                            filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # As for attachments: nothing in a stored file may run in the portal's origin (Chromium's PDF
    # viewer needs object-src and no sandbox; images get the sandbox).
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'; frame-ancestors 'none'" if content_type == PDF
        else "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
    )
    return response


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, source: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST takes the paper out of the store (never a state-issued result)."""
    owner = signed_in_user(request)
    item = store_item_get(owner, source, pk)
    if request.method != "POST":
        return render(request, "docstore/delete.html", {"item": item, "source": source,
                                                        "is_result": source == RESULT})
    try:
        store_item_delete(owner=owner, source=source, pk=pk)
    except StoreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa giấy tờ khỏi kho. Bản đã nộp trong hồ sơ vẫn được cơ quan lưu giữ."))
    return redirect("docstore:my-documents")


@citizen_required
@require_POST
def keep(request: HttpRequest, pk: int) -> HttpResponse:
    """After filing: keep one paper of one's own dossier in the store."""
    owner = signed_in_user(request)
    try:
        attachment = store_item_keep(owner=owner, pk=pk)
    except StoreError as exc:
        messages.error(request, exc.message)
        return redirect("docstore:my-documents")
    messages.success(request, _("Đã lưu «%(name)s» vào Giấy tờ của tôi.") % {"name": attachment.original_name})
    return redirect("applications:dossier", attachment.dossier.code)


def _reuse(request: HttpRequest, dossier: Dossier, *, attachments_url: str, guided: bool) -> HttpResponse:
    if dossier.status not in EDITABLE_STATES:
        return redirect(attachments_url)
    components = list(
        dossier.procedure_version.components.filter(document_type__isnull=False)
        .select_related("document_type").order_by("order", "pk")
    )
    if request.method == "POST":
        form = ReuseForm(request.POST)
        chosen = form.cleaned_data["component"] if form.is_valid() else None
        component = next((c for c in components if c.pk == chosen), None)
        if component is None:
            messages.error(request, _("Thành phần hồ sơ không hợp lệ."))
            return redirect(request.path)
        try:
            store_item_reuse(dossier=dossier, component=component, source=form.cleaned_data["source"],
                             pk=form.cleaned_data["item"], by=signed_in_user(request))
        except StoreError as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}#reuse-{component.pk}")
        messages.success(request, _("Đã dùng lại giấy tờ đã lưu cho «%(name)s», không cần tải lên lại.")
                         % {"name": component.name})
        return redirect(f"{attachments_url}#component-{component.pk}")
    offers = store_offers(dossier.owner, components)
    rows: list[tuple[object, list[StoreItem]]] = [(component, offers.get(component.pk, [])) for component in components]
    return render(request, "docstore/reuse.html", {
        "dossier": dossier, "rows": rows, "attachments_url": attachments_url, "guided": guided,
    })


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's own store, offered for each component of their draft."""
    dossier = filing_get_for_citizen(signed_in_user(request), pk)
    return _reuse(request, dossier, attachments_url=reverse("applications:draft-attachments", args=[dossier.pk]),
                  guided=False)


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def guided_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """At the counter: the applicant's store only (the dossier's owner), for a dossier of the officer's agency."""
    dossier = guided_get_for_staff(signed_in_user(request), pk)
    return _reuse(request, dossier, attachments_url=reverse("applications:guided-attachments", args=[dossier.pk]),
                  guided=True)
