"""Site-wide middleware: the UI language, security headers, no caching of signed-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

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
        if length > settings.UPLOAD_MAX_REQUEST_BYTES:
            return render(request, "413.html", {"limit_mb": settings.UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024)},
                          status=413)
        return self.get_response(request)
