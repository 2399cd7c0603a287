"""Result by post: the officer's order page, the hand-over slip, and the operator's callback."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import staff_required
from accounts.models import Role
from applications import workflow
from applications.deadlines import local_date
from applications.mailing import slip_mailing_get_for_staff, slip_mailing_mark_mailed, slip_mailings_for_staff
from applications.models import DocumentKind, Status
from applications.selectors import dossier_get_for_staff
from applications.slips import place_name
from portal.lib.pdf import render_to_pdf, vietnamese_long_date
from postal.forms import HandoverDayForm, PostalOrderForm
from postal.models import PostalOrder
from postal.providers.base import PostalError
from postal.providers.registry import provider_available, provider_get
from postal.selectors import orders_handed_over
from postal.services import postal_order_create, postal_update_apply

logger = logging.getLogger(__name__)


def _initial(dossier) -> dict:
    """What the applicant gave at filing: the structured address (street and commune; the province
    apart), the recipient and the phone; older dossiers have only the one-line address."""
    return {
        "expected_version": dossier.version,
        "recipient_name": dossier.delivery_recipient_name or dossier.applicant_name,
        "recipient_phone": dossier.delivery_recipient_phone or dossier.applicant_phone,
        "province": dossier.delivery_province, "commune": dossier.delivery_commune,
        "address": dossier.delivery_street or dossier.delivery_address or dossier.applicant_address,
        "weight_grams": 100,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_staff(request.user, code)
    if dossier.status == Status.DRAFT:
        raise Http404("Không tìm thấy hồ sơ.")
    postal_order = PostalOrder.objects.filter(dossier=dossier).first()
    can_send = postal_order is None and "send_by_post" in workflow.dossier_actions_available(dossier, request.user)
    form = PostalOrderForm(request.POST if request.method == "POST" else None, initial=_initial(dossier))
    status, error = 200, ""
    if request.method == "POST":
        if request.user.role != Role.OFFICER:
            error, status = _("Chỉ cán bộ Bộ phận Một cửa được gửi kết quả qua bưu chính."), 403
        elif form.is_valid():
            data = form.cleaned_data
            try:
                postal_order_create(dossier, actor=request.user, expected_version=data["expected_version"],
                                    recipient_name=data["recipient_name"], recipient_phone=data["recipient_phone"],
                                    address=f'{data["address"]}, {data["commune"]}'[:255],
                                    weight_grams=data["weight_grams"],
                                    province=data["province"], postage_amount=_postage(dossier, data))
            except workflow.WorkflowError as refused:
                error, status = refused.message, refused.status
            else:
                messages.success(request, _("Đã tạo yêu cầu gửi kết quả qua bưu chính công ích."))
                return redirect("postal:order", code=dossier.code)
        else:
            error, status = _("Vui lòng kiểm tra lại thông tin đã nhập."), 400
    updates = list(postal_order.updates.all()) if postal_order else []
    return render(request, "postal/order.html", {
        "dossier": dossier, "order": postal_order, "updates": updates, "form": form,
        "can_send": can_send, "error": error,
    }, status=status)


def _postage(dossier, data: dict) -> int:
    """The postage quoted at filing (what the applicant was charged) when there is one, else the
    tariff's price for the weighed envelope."""
    return dossier.postage_amount if dossier.postage_amount is not None else data["postage"].amount


@staff_required
@require_GET
def handover_slip(request: HttpRequest) -> HttpResponse:
    """The list of envelopes handed to the post on a day, with the officer's and the postman's
    signature cells (printed, signed at the counter, kept with the tracking book)."""
    form = HandoverDayForm(request.GET)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or local_date(timezone.now())
    orders = list(orders_handed_over(request.user, day))
    agency = request.user.agency
    pdf = render_to_pdf("pdf/postal_handover.html", {
        "title": "DANH SÁCH BÀN GIAO BƯU GỬI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "agency_name": agency.name if agency else "",
        "agency_parent_name": agency.parent.name if agency and agency.parent_id else "",
        "place": place_name(agency), "issued_long_date": vietnamese_long_date(timezone.now()),
        "orders": orders, "day": day, "officer": request.user,
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ban-giao-buu-gui-{day:%Y%m%d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def mail_queue(request: HttpRequest) -> HttpResponse:
    """Slips to print and mail back to applicants whose dossier came by post (Mẫu 01)."""
    items = list(slip_mailings_for_staff(request.user))
    rows = [{"item": item, "document": next((d for d in item.dossier.documents.all()
                                              if d.kind == item.document_kind), None)} for item in items]
    return render(request, "postal/mail_queue.html", {"rows": rows, "receipt_kind": DocumentKind.RECEIPT})


@staff_required
@require_POST
def mail_mailed(request: HttpRequest, pk: int) -> HttpResponse:
    item = slip_mailing_get_for_staff(request.user, pk)
    if request.user.role != Role.OFFICER:
        return HttpResponse(_("Chỉ cán bộ Bộ phận Một cửa được ghi nhận gửi thư."), status=403)
    if slip_mailing_mark_mailed(item, actor=request.user):
        messages.success(request, _("Đã ghi nhận gửi %(kind)s của hồ sơ %(code)s qua bưu điện.") % {
            "kind": item.get_document_kind_display(), "code": item.dossier.code})
    return redirect("postal:mail-queue")


@csrf_exempt
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The operator's tracking report. Signature checked first; a replay is answered like the first
    delivery (the operator stops resending) and changes nothing. An operator this deployment does
    not use (the sandbox in production) is 404 whatever the method."""
    if not provider_available(provider_id):
        raise Http404("Không có đơn vị bưu chính này.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    provider = provider_get(provider_id)
    try:
        update = provider.parse_callback(request.body, dict(request.headers))
    except PostalError as error:
        logger.warning("postal callback from %s not understood: %s", provider_id, error)
        reply = provider.callback_reply(accepted=False)
        return HttpResponse(reply.body, status=400, content_type=reply.content_type)
    if update is None:
        reply = provider.callback_reply(accepted=False)
        return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)
    outcome = postal_update_apply(update, source="callback", provider_id=provider_id)
    if outcome == "unknown":
        logger.warning("postal callback from %s for an unknown order %s", provider_id, update.order_id)
    reply = provider.callback_reply(accepted=True)
    return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)
