"""The simulated bank of the sandbox payment gateway: a payment page and the querydr API.

Like VNPay, it checks the merchant's signature, lets the payer choose, notifies the merchant's IPN
over HTTP, then sends the browser back to the merchant's return URL."""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sandbox import gateway, national, post
from sandbox.models import NationalPortalDossier, NationalPortalPush, NationalPortalSwitch, SandboxParcel

logger = logging.getLogger(__name__)


def _merchant_request(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {key: value for key, value in source.dict().items() if key.startswith("vnp_")}


@require_http_methods(["GET", "POST"])
def bank(request: HttpRequest) -> HttpResponse:
    params = _merchant_request(request)
    if (not gateway.verify(params, settings.SANDBOX_PAYMENT_SECRET)
            or params.get("vnp_TmnCode") != settings.SANDBOX_PAYMENT_TMN_CODE):
        return render(request, "sandbox/bank.html", {"error": _("Chữ ký của đơn vị bán hàng không hợp lệ.")}, status=400)
    return_url = params.get("vnp_ReturnUrl", "")
    if urlparse(return_url).scheme not in ("http", "https") or not urlparse(return_url).netloc:
        return render(request, "sandbox/bank.html", {"error": _("Địa chỉ trả về không hợp lệ.")}, status=400)
    page = {
        "params": params, "amount": int(params.get("vnp_Amount", "0")) // 100,
        "choices": [
            ("success", _("Thanh toán thành công"), "btn-success"),
            ("failure", _("Thanh toán thất bại"), "btn-outline-danger"),
            ("cancel", _("Hủy giao dịch"), "btn-outline-secondary"),
        ],
    }
    if request.method == "GET":
        return render(request, "sandbox/bank.html", page)
    choice = request.POST.get("choice", "")
    if choice not in gateway.CHOICES:
        return render(request, "sandbox/bank.html", page, status=400)
    result = gateway.bank_decide(params, choice, settings.SANDBOX_PAYMENT_SECRET)
    reply = gateway.ipn_deliver(gateway.ipn_url(return_url), result)
    logger.info("sandbox bank: IPN for %s answered %s", result["vnp_TxnRef"], reply)
    return redirect(f"{return_url}?{urlencode(result)}")


@csrf_exempt
@require_POST
def api(request: HttpRequest) -> JsonResponse:
    """querydr (a JSON POST), as VNPay's /merchant_webapi/api/transaction."""
    try:
        body = json.loads(request.body.decode() or "{}")
    except ValueError:
        return JsonResponse({"vnp_ResponseCode": "03", "vnp_Message": "Invalid format"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"vnp_ResponseCode": "03", "vnp_Message": "Invalid format"}, status=400)
    return JsonResponse(gateway.ledger_query(
        body, tmn_code=settings.SANDBOX_PAYMENT_TMN_CODE, secret=settings.SANDBOX_PAYMENT_SECRET
    ))


# --- The postal operator ------------------------------------------------------------------------


def _post_authorised(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.SANDBOX_POSTAL_API_KEY}"
    return hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected.encode())


@csrf_exempt
@require_POST
def post_orders(request: HttpRequest) -> JsonResponse:
    if not _post_authorised(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        body = json.loads(request.body.decode() or "{}")
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"error": "invalid JSON"}, status=400)
    status, answer = post.order_accept(body)
    return JsonResponse(answer, status=status)


@require_http_methods(["GET"])
def post_order(request: HttpRequest, order_id: str) -> JsonResponse:
    if not _post_authorised(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    parcel = SandboxParcel.objects.filter(order_id=order_id).first()
    if parcel is None:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(post.parcel_json(parcel))


@require_http_methods(["GET", "POST"])
def post_console(request: HttpRequest) -> HttpResponse:
    """The operator's desk: each parcel's journey, and buttons that report the next step."""
    if request.method == "POST":
        parcel = SandboxParcel.objects.filter(order_id=request.POST.get("order_id", "")).first()
        status = request.POST.get("status", "")
        if parcel is None or status not in post.REPORTS or parcel.status in post.FINAL:
            return render(request, "sandbox/post.html", {
                "parcels": SandboxParcel.objects.all()[:50], "reports": post.REPORTS,
                "error": _("Không thể cập nhật bưu gửi này.")}, status=400)
        reply = post.report(parcel, status, request.POST.get("note", ""), settings.SANDBOX_POSTAL_CALLBACK_SECRET)
        logger.info("sandbox post: callback for %s answered %s", parcel.order_id, reply)
        return redirect("sandbox:post")
    return render(request, "sandbox/post.html", {"parcels": SandboxParcel.objects.all()[:50], "reports": post.REPORTS})


# --- The national public-service portal (sandbox/national.py) ------------------------------------


def _national_authorised(request: HttpRequest) -> bool:
    from national.protocol import SIGNATURE_HEADER, bearer_valid, signature_valid

    return bearer_valid(settings.SANDBOX_NATIONAL_TOKEN, request.headers.get("Authorization")) and (
        request.method == "GET"
        or signature_valid(settings.SANDBOX_NATIONAL_SECRET, request.body, request.headers.get(SIGNATURE_HEADER))
    )


@csrf_exempt
@require_http_methods(["POST"])
def national_sync(request: HttpRequest) -> HttpResponse:
    """DongBoHoSo: one status change of a provincial dossier."""
    broken = national.fault()
    if broken is not None:
        return HttpResponse(broken[1], status=broken[0], content_type="text/plain; charset=utf-8")
    if not _national_authorised(request):
        return JsonResponse({"error_code": "401", "message": "Sai mã xác thực"}, status=401)
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error_code": "400", "message": "JSON không hợp lệ"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"error_code": "400", "message": "JSON không hợp lệ"}, status=400)
    status, answer = national.push_accept(body)
    return JsonResponse(answer, status=status)


@require_http_methods(["GET"])
def national_outbox(request: HttpRequest) -> HttpResponse:
    """For pull mode: the dossiers filed here that the province has not taken yet."""
    if not _national_authorised(request):
        return JsonResponse({"error_code": "401"}, status=401)
    items = [row.body for row in NationalPortalDossier.objects.filter(taken=False).order_by("pk")[:100]]
    return JsonResponse({"items": items})


@csrf_exempt
@require_http_methods(["POST"])
def national_outbox_ack(request: HttpRequest) -> HttpResponse:
    if not _national_authorised(request):
        return JsonResponse({"error_code": "401"}, status=401)
    try:
        codes = json.loads(request.body).get("MaHoSo", [])
    except (ValueError, AttributeError):
        return JsonResponse({"error_code": "400"}, status=400)
    NationalPortalDossier.objects.filter(national_code__in=[str(code) for code in codes]).update(taken=True)
    return JsonResponse({"error_code": "0"})


@require_http_methods(["GET"])
def national_file(request: HttpRequest, name: str) -> HttpResponse:
    """A paper of a dossier filed here, fetched by URL."""
    broken = national.fault()
    if broken is not None:
        return HttpResponse(broken[1], status=broken[0])
    return HttpResponse(national.DEMO_PDF, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
def national_console(request: HttpRequest) -> HttpResponse:
    """The national portal's desk: its switch, the syncs it recorded, and a button that files a demo
    dossier and sends it to the province."""
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in NationalPortalSwitch.Mode.values:
            national.switch_set(action)
            return redirect("sandbox:national")
        if action == "send":
            sent = national.demo_dossier(procedure_code=request.POST.get("procedure_code", ""),
                                         agency_code=request.POST.get("agency_code", ""),
                                         answers=national.demo_answers(request.POST.get("procedure_code", "")),
                                         papers=national.demo_papers(request.POST.get("procedure_code", "")))
            target = national.inbound_settings()
            national.send_in(sent, url=target["url"], token=target["token"], secret=target["secret"])
            return redirect("sandbox:national")
        error = _("Thao tác không hợp lệ.")
    return render(request, "sandbox/national.html", {
        "switch": national.switch(), "modes": NationalPortalSwitch.Mode.choices, "error": error,
        "pushes": NationalPortalPush.objects.order_by("-pk")[:50],
        "dossiers": NationalPortalDossier.objects.all()[:20],
    }, status=400 if error else 200)
