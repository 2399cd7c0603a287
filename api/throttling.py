"""Rate limits per agency key, per citizen and per address, counted in the shared cache like the
site's own limits (accounts.throttle), so every gunicorn worker adds to one count."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from django.conf import settings

from accounts.throttle import client_ip, rate_limit_hit
from api.models import ApiKey

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class ApiThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        rates = {"key": settings.API_RATE_KEY, "user": settings.API_RATE_USER, "anonymous": settings.API_RATE_ANONYMOUS}
        if isinstance(request.auth, ApiKey):
            scope, key = "key", str(request.auth.pk)
        elif request.user and request.user.is_authenticated:
            scope, key = "user", str(request.user.pk)
        else:
            scope, key = "anonymous", client_ip(request._request)
        limit, self.window = parse_rate(rates[scope])
        return rate_limit_hit(scope=f"api-{scope}", key=key, limit=limit, window_seconds=self.window)

    def wait(self) -> float:
        return float(self.window)
