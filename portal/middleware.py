"""Site-wide middleware: the UI language, security headers, no caching of signed-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from accounts import two_factor

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Vietnamese unless the person chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show a
    government portal in English to anyone whose phone is set to English. Here the choice is
    explicit: the language cookie (set by the switcher, and from the user's saved preference at
    login), otherwise Vietnamese. An unknown code falls back to Vietnamese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in SUPPORTED:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (the rest comes from SecurityMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        # The admin uses inline scripts of its own; it gets Django's defaults only.
        if policy and not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is stored by a browser or a proxy.

    Counter PCs in a commune office are shared: after one citizen logs out, the next must not see
    their dossiers through the Back button or a proxy's cache. Anonymous pages keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "public" in response.get("Cache-Control", ""):
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than any legitimate upload before Django reads it.

    Per-file and per-dossier limits are checked by the upload code after the files arrive;
    this cap stops a multi-gigabyte body from being streamed to disk first. (A reverse proxy
    should enforce the same limit: nginx `client_max_body_size`.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_REQUEST_BYTES and request.path.startswith("/api/"):
            # The API answers every error as RFC 9457 problem details.
            return JsonResponse({
                "type": "/api/v1/problems/too-large", "title": _("Yêu cầu quá lớn"), "status": 413,
                "detail": _("Dung lượng gửi lên vượt quá %(limit)s MB.")
                % {"limit": settings.UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024)},
            }, status=413, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False})
        if length > settings.UPLOAD_MAX_REQUEST_BYTES:
            return render(request, "413.html", {"limit_mb": settings.UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024)},
                          status=413)
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Staff reach no page, the admin site included, before passing the second factor.

    Placed after django-otp's OTPMiddleware (which tells whether the session's device passed).
    A member of staff without a device is sent to enrolment, one with a device to the code form;
    only those pages, sign-out, static files and the language switch stay open. A staff session
    also ends after STAFF_SESSION_IDLE_MINUTES without a request, and when the browser closes.
    """

    OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/staff-identity/", "/accounts/logout/", "/static/", "/i18n/",
                     "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not two_factor.second_factor_required_for(user):  # type: ignore[arg-type]
            return self.get_response(request)
        if two_factor.session_idle_expired(request):
            logout(request)
            messages.info(request, _(
                "Phiên làm việc đã kết thúc vì không có thao tác trong %(minutes)d phút. Vui lòng đăng nhập lại."
            ) % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES})
            login_url = reverse(settings.LOGIN_URL)
            return redirect(two_factor.url_with_next(settings.LOGIN_URL, request.get_full_path())
                            if request.method == "GET" else login_url)
        two_factor.session_touch(request)
        if not two_factor.is_verified(user) and not request.path.startswith(self.OPEN_PREFIXES):  # type: ignore[arg-type]
            next_url = request.get_full_path() if request.method == "GET" else ""
            return redirect(two_factor.second_factor_entry_url(user, next_url))  # type: ignore[arg-type]
        return self.get_response(request)
