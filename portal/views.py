"""Site-wide pages: home, health probe, error pages."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.lib.page_cache import anonymous_page_cache
from procedures.selectors import home_page_context


@require_GET
@anonymous_page_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", home_page_context())


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down" to a health probe
        return False


def _broker_ok() -> bool | None:
    """None when no broker is configured (tasks run in-process)."""
    if not settings.CELERY_BROKER_URL:
        return None
    from portal.celery import app

    try:
        # The URL from our settings: Celery itself would prefer the CELERY_BROKER_URL env var.
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def _cache_ok() -> bool:
    from django.core.cache import cache

    try:
        cache.set("healthz", "ok", 5)
        return cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    broker = _broker_ok()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from portal.lib.pagination import PageRefused

    # Only messages written for people are shown (others may be technical, or echo the request).
    reason = str(exception) if isinstance(exception, PageRefused) else None
    return render(request, "400.html", {"reason": reason}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever broke may be in a context processor.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({"PORTAL_NAME": settings.PORTAL_NAME}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
