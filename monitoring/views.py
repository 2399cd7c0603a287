"""GET /metrics for Prometheus: never public. With neither METRICS_TOKEN nor METRICS_ALLOWED_IPS set
the page does not exist (404); otherwise a matching bearer token or an allowed client address
(either is enough) gets it, anyone else 403."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET

from accounts.throttle import client_ip
from monitoring.metrics import render_metrics
from portal.lib.network import address_allowed


def _token_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, presented = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS
    if not token and not networks:
        raise Http404
    if not ((token and _token_matches(request, token)) or (networks and address_allowed(client_ip(request), networks))):
        return HttpResponseForbidden("Forbidden", content_type="text/plain")
    response = HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
