"""The staff second factor's pages: enrolment, the code form, the re-check, recovery codes.

These pages are the only ones an unverified member of staff can open (with sign-out), so each
one checks the session's state itself instead of relying on the middleware.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import two_factor
from accounts.identity import client
from accounts.identity.models import ProviderMfaDevice
from accounts.two_factor_forms import CodeForm
from accounts.views import landing_url

REFUSALS = {
    "blocked": (gettext_lazy("Bạn đã nhập sai mã quá nhiều lần. Vì an toàn, việc xác thực bị tạm khóa trong ít phút; "
                  "vui lòng thử lại sau."), 429),
    "wait": (gettext_lazy("Bạn vừa nhập sai mã. Vui lòng chờ vài giây rồi nhập mã mới nhất trên ứng dụng."), 429),
    "wrong": (gettext_lazy("Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới nhất trên ứng dụng."), 400),
}


def _staff_only(request: HttpRequest) -> None:
    if not two_factor.second_factor_required_for(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Trang này chỉ dành cho cán bộ.")


def _next(request: HttpRequest) -> str:
    return two_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _refused(form: CodeForm, reason: str) -> int:
    message, status = REFUSALS[reason]
    form.add_error("otp_token", message)
    return status


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrolment on first sign-in: scan (or type) the secret, prove it with the first code."""
    _staff_only(request)
    user = request.user
    next_url = _next(request)
    if two_factor.has_confirmed_device(user):
        # Adding a device needs the existing one: a stolen password alone must not enrol the thief's phone.
        return redirect(two_factor.url_with_next("two_factor:verify", next_url))
    device = two_factor.totp_device_pending(user)
    form = CodeForm(request.POST or None, app_only=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        verified, reason = two_factor.code_check(request, user, form.cleaned_data["otp_token"], devices=[device])
        if verified is not None:
            codes = two_factor.totp_enrol_confirm(user, verified)
            two_factor.session_verify(request, verified)
            request.session[two_factor.NEW_CODES_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản của bạn."))
            return redirect(two_factor.url_with_next("two_factor:recovery-codes", next_url))
        status = _refused(form, reason)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor/setup.html", {
        "form": form, "next": next_url, "secret": two_factor.totp_secret_base32(device),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
    }, status=status)


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code asked after the password, at every sign-in."""
    _staff_only(request)
    user = request.user
    next_url = _next(request)
    if two_factor.is_verified(user):
        return redirect(next_url or landing_url(user))
    if not two_factor.has_confirmed_device(user):
        return redirect(two_factor.url_with_next("two_factor:setup", next_url))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device, reason = two_factor.code_check(request, user, form.cleaned_data["otp_token"])
        if device is not None:
            two_factor.session_verify(request, device)
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                messages.warning(request, _(
                    "Bạn vừa dùng một mã khôi phục (mỗi mã chỉ dùng được một lần); còn %(left)d mã. "
                    "Nếu đã mất điện thoại, hãy đề nghị quản trị viên đặt lại xác thực hai lớp."
                ) % {"left": two_factor.recovery_codes_left(user)})
            return redirect(next_url or landing_url(user))
        status = _refused(form, reason)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def recheck(request: HttpRequest) -> HttpResponse:
    """The code asked again before a sensitive action; a kept POST is offered for sending again."""
    _staff_only(request)
    user = request.user
    next_url = _next(request)
    if not two_factor.is_verified(user):
        return redirect(two_factor.second_factor_entry_url(user, next_url))
    pending = request.session.get(two_factor.PENDING_POST_KEY)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device, reason = two_factor.code_check(request, user, form.cleaned_data["otp_token"])
        if device is not None:
            two_factor.session_verify(request, device)
            pending = request.session.pop(two_factor.PENDING_POST_KEY, None)
            if pending:
                return render(request, "accounts/two_factor/resubmit.html", {"pending": pending, "next": next_url})
            return redirect(next_url or landing_url(user))
        status = _refused(form, reason)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor/recheck.html", {
        "form": form, "next": next_url, "pending": bool(pending), "own_device": two_factor.has_confirmed_device(user),
        "provider_recheck": _provider_recheck(user, next_url),
    }, status=status)


def _provider_recheck(user, next_url: str) -> dict | None:
    """When the agency's provider did the second factor of this session: the way to do it there again."""
    device = getattr(user, "otp_device", None)
    provider = client.staff_provider_get(device.provider) if isinstance(device, ProviderMfaDevice) else None
    if provider is None:
        return None
    query = urlencode({"fresh": "1", **({"next": next_url} if next_url else {})})
    return {"label": provider.label,
            "url": reverse("accounts:staff-identity-login", args=[provider.name]) + "?" + query}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@two_factor.second_factor_recent_required(when=lambda request, *args, **kwargs: request.method == "POST")
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once, right after they are made; a POST replaces them all."""
    _staff_only(request)
    user = request.user
    next_url = _next(request)
    if not two_factor.is_verified(user):
        return redirect(two_factor.second_factor_entry_url(user, next_url))
    if request.method == "POST":
        request.session[two_factor.NEW_CODES_KEY] = two_factor.recovery_codes_issue(user)
        messages.success(request, _("Đã tạo mã khôi phục mới; các mã cũ không còn dùng được."))
        return redirect(two_factor.url_with_next("two_factor:recovery-codes", next_url))
    codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
    return render(request, "accounts/two_factor/recovery_codes.html", {
        "codes": codes, "left": two_factor.recovery_codes_left(user), "next": next_url or landing_url(user),
    })
