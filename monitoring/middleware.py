"""The first middleware: gives the request its id, times it, counts it for Prometheus and writes the
one access line per request (method, path without its query string, status, duration, user id)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from monitoring.context import accepted_request_id, request_id_var
from monitoring.metrics import REQUEST_LATENCY

access_log = logging.getLogger("portal.access")


class RequestMonitoringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            # A view name, never the raw path: unknown URLs must not grow the label set.
            # (A page served whole from the page cache names the view that rendered it.)
            view = match.view_name if match else getattr(request, "page_cache_view", "<unresolved>")
            REQUEST_LATENCY.labels(view, request.method, f"{response.status_code // 100}xx").observe(duration)
            user = _loaded_user(request)
            user_id = user.pk if user is not None and user.is_authenticated else None
            # A page served whole for a signed-in person (portal/lib/personal_pages.py) loaded no user.
            user_id = user_id or getattr(request, "page_cache_user_id", None)
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={
                    "method": request.method,
                    # request.path carries no query string (tracking codes, tokens stay out of the log).
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "user_id": user_id,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _loaded_user(request: HttpRequest):
    """The signed-in user if the view already loaded it; never a session or user query of its own."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user
