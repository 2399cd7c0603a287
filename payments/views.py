"""Payment pages: the citizen's pay page and return page, the gateways' notification endpoint, the
officers' fee request and counter payment, and the report."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import citizen_required, role_required, signed_in_user
from accounts.models import Role
from accounts.throttle import client_ip
from accounts.two_factor import export_requested, second_factor_recent_required
from applications.models import Status
from applications.selectors import dossier_get_for_citizen, dossier_get_for_staff
from payments import selectors, services
from payments.forms import CounterPaymentForm, FeeRequestForm, ReportFilterForm
from payments.models import AttemptState
from payments.providers import registry
from payments.providers.base import GatewayRequest, ProviderError, SettleResult
from portal.lib.network import address_allowed
from portal.lib.replica import replica_reads
from procedures.fees import fee_quote_for_dossier

logger = logging.getLogger(__name__)

REPORT_PAGE_LIMIT = 500


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


def _with_form_action(response: HttpResponse, origin: str) -> HttpResponse:
    """Let the page's form redirect to the gateway: CSP form-action also covers redirects after a POST."""
    policy = settings.CONTENT_SECURITY_POLICY
    if policy and origin:
        response.headers["Content-Security-Policy"] = policy.replace("form-action 'self'", f"form-action 'self' {origin}")
    return response


def _gateway_request(request: HttpRequest) -> GatewayRequest:
    """The neutral form of an incoming gateway or return message; the provider reads what it needs."""
    # Gateways send query strings, form posts or JSON; none sends files, so multipart is not read.
    body = b"" if request.content_type == "multipart/form-data" else request.body
    params = request.GET.dict()
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        params = {**params, **request.POST.dict()}
    return GatewayRequest(method=request.method or "GET", params=params, body=body,
                          content_type=request.content_type or "")


# --- Citizen -------------------------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_citizen(signed_in_user(request), code)
    try:
        provider = registry.provider_for_agency(dossier.agency)
    except ImproperlyConfigured:
        logger.exception("no usable payment provider for agency %s", dossier.agency_id)
        messages.error(request, _("Cổng thanh toán trực tuyến của cơ quan chưa sẵn sàng. Vui lòng nộp tại Bộ phận Một cửa hoặc thử lại sau."))
        return redirect("applications:dossier", code=dossier.code)
    if request.method == "POST":
        try:
            attempt = services.payment_start(dossier=dossier, provider_id=provider.id, payer_ip=_client_ip(request))
        except services.PaymentError as exc:
            messages.error(request, str(exc))
            return redirect("payments:pay", code=code)
        return redirect(provider.start_payment(attempt, request))
    paid = dossier.payment_attempts.filter(state=AttemptState.SUCCEEDED).first()
    lines, exemption_reason = services.payment_lines(dossier)
    response = render(request, "payments/pay.html", {
        "dossier": dossier, "lines": lines, "exemption_reason": exemption_reason, "paid": paid,
        "payable": paid is None and dossier.status == Status.AWAITING_PAYMENT and bool(dossier.fee_amount),
        "provider_name": provider.name or provider.id,
        "attempts": dossier.payment_attempts.all()[:10],
    })
    return _with_form_action(response, provider.form_action_origin(request))


@login_required
@require_GET
def payment_return(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The browser's way back from the gateway: shows the outcome, never settles from the browser.

    When the browser says "paid" but no notification has arrived yet, we ask the gateway ourselves
    (querydr, signed both ways) so the payer sees the result at once; that answer is trusted, the
    browser's is not.
    """
    provider_class = registry.provider_class(provider_id)
    if provider_class is None:
        raise Http404
    incoming = _gateway_request(request)
    attempt = services.attempt_find(provider_id, provider_class.reference(incoming))
    try:
        provider = registry.provider_for_attempt_agency(provider_id, attempt.agency if attempt else None)
    except ImproperlyConfigured:
        logger.exception("return from an unconfigured payment provider %s", provider_id)
        raise Http404 from None
    message = provider.parse_return(incoming)
    if not message.signature_valid:
        return render(request, "payments/return.html", {"error": _("Chữ ký dữ liệu trả về không hợp lệ. Giao dịch không được ghi nhận từ trang này.")}, status=400)
    if attempt is None or attempt.dossier.owner_id != request.user.pk:
        raise Http404(_("Không tìm thấy giao dịch."))
    if message.amount != attempt.amount:
        return render(request, "payments/return.html", {"error": _("Số tiền trả về không khớp với giao dịch. Giao dịch không được ghi nhận từ trang này."), "attempt": attempt}, status=400)
    if attempt.state == AttemptState.PENDING and message.state == AttemptState.SUCCEEDED:
        try:
            services.payment_reconcile_attempt(attempt)
        except ProviderError as exc:
            logger.info("querydr from the return page failed for %s: %s", attempt.txn_ref, exc)
        attempt.refresh_from_db()
    return render(request, "payments/return.html", {"attempt": attempt, "dossier": attempt.dossier, "reported": message})


# --- Gateways (server to server) ---------------------------------------------------------------


@csrf_exempt
def payment_notification(request: HttpRequest, provider_id: str) -> HttpResponse:
    """A gateway's notification (VNPay's IPN is a GET at /payments/vnpay/ipn/): authenticated by
    the provider's signature check, answered in the provider's own format."""
    provider_class = registry.provider_class(provider_id)
    if provider_class is None:
        raise Http404
    if request.method not in provider_class.notification_methods:
        return HttpResponseNotAllowed(provider_class.notification_methods)
    allowed = settings.PAYMENT_IPN_ALLOWED_IPS
    if allowed:
        source = client_ip(request)
        if not address_allowed(source, allowed):
            logger.warning("Payment notification refused: %s is not in PAYMENT_IPN_ALLOWED_IPS", source,
                           extra={"provider": provider_id, "source_ip": source})
            reply = provider_class.notification_reply(SettleResult.SOURCE_REFUSED)
            return HttpResponse(reply.body, content_type=reply.content_type, status=reply.status)
    reply = services.payment_notification_receive(provider_id=provider_id, message=_gateway_request(request))
    return HttpResponse(reply.body, content_type=reply.content_type, status=reply.status)


# --- Officers -------------------------------------------------------------------------------------


@role_required(Role.OFFICER, Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def fee_request(request: HttpRequest, code: str) -> HttpResponse:
    """Compute the fee (pages, copies, exemption), let the officer confirm or adjust it with a reason,
    and ask the applicant to pay. "Tính lại" previews; "Yêu cầu nộp phí" records."""
    dossier = dossier_get_for_staff(signed_in_user(request), code)
    form = FeeRequestForm(request.POST or None, initial={"version": dossier.version, "pages": 1, "copies": 1})
    quote = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quote = fee_quote_for_dossier(dossier, pages=data["pages"], copies=data["copies"],
                                      exempt_reason=data["exemption_reason"])
        if "confirm" in request.POST:
            try:
                services.payment_request(
                    dossier=dossier, actor=signed_in_user(request), expected_version=data["version"], quote=quote,
                    pages=data["pages"], copies=data["copies"], amount=data["amount"],
                    adjust_reason=data["adjust_reason"] or "",
                )
            except services.PaymentError as exc:
                messages.error(request, str(exc))
                status = exc.status
            else:
                if quote.total == 0 and data["amount"] in (None, 0):
                    messages.success(request, _("Hồ sơ được miễn phí, lệ phí; đã ghi lý do miễn."))
                else:
                    messages.success(request, _("Đã yêu cầu người nộp thực hiện nghĩa vụ tài chính."))
                return redirect("payments:request", code=code)
    elif request.method == "POST":
        status = 400
    else:
        quote = fee_quote_for_dossier(dossier)
    return render(request, "payments/request.html", {"dossier": dossier, "form": form, "quote": quote},
                  status=status)


@role_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_staff(signed_in_user(request), code)
    # Cash is taken at the dossier's own one-stop shop, not by a parent agency's staff.
    if dossier.agency_id != signed_in_user(request).agency_id:
        raise Http404(_("Không tìm thấy hồ sơ."))
    paid = dossier.payment_attempts.filter(state=AttemptState.SUCCEEDED).first()
    form = CounterPaymentForm(request.POST or None, amount_due=dossier.fee_amount or 0)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record_counter(
                dossier=dossier, officer=signed_in_user(request), method=form.cleaned_data["method"],
                receipt_number=form.cleaned_data["receipt_number"], amount=form.cleaned_data["amount"],
            )
        except services.PaymentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi nhận khoản nộp tại quầy và phát hành biên lai."))
            return redirect("payments:counter", code=code)
    lines, exemption_reason = services.payment_lines(dossier)
    return render(request, "payments/counter.html", {
        "dossier": dossier, "form": form, "paid": paid, "lines": lines, "exemption_reason": exemption_reason,
        "payable": paid is None and dossier.status == Status.AWAITING_PAYMENT and bool(dossier.fee_amount),
    })


@role_required(Role.OFFICER, Role.LEADER, Role.ADMIN)
@second_factor_recent_required(when=export_requested)
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def report(request: HttpRequest) -> HttpResponse:
    """Payments of the user's agencies; a malformed filter is answered 400 with the form's message."""
    agencies = selectors.report_agencies(signed_in_user(request))
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("date_from") and not data.get("date_to"):
        data["date_from"] = data["date_to"] = today.isoformat()
    form = ReportFilterForm(data, agencies=agencies)
    if not form.is_valid():
        return render(request, "payments/report.html", {"form": form, "report": None, "rows": []}, status=400)
    cleaned = form.cleaned_data
    filters = selectors.ReportFilters(
        date_from=cleaned["date_from"], date_to=cleaned["date_to"], agency_id=cleaned["agency"],
        procedure_code=cleaned["procedure"], channel=cleaned["channel"], state=cleaned["state"],
    )
    result = selectors.payment_report(signed_in_user(request), filters)
    if cleaned["format"] == "xlsx":
        response = HttpResponse(
            selectors.payment_report_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="thanh-toan-{today:%Y%m%d}.xlsx"'
        return response
    rows = selectors.report_rows(result, REPORT_PAGE_LIMIT)
    export_query = data.copy()
    export_query["format"] = "xlsx"
    return render(request, "payments/report.html", {
        "form": form, "report": result, "rows": rows[:REPORT_PAGE_LIMIT], "truncated": len(rows) > REPORT_PAGE_LIMIT,
        "export_url": "?" + export_query.urlencode(),
    })
