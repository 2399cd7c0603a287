"""Public tracking (tra cứu hồ sơ): anyone holding a dossier code sees where it stands.

Only what the national portal shows publicly: the procedure, the status in plain words, the
dates received and due, whether a supplement is needed, and a masked name. Lookups are limited
per IP address so codes cannot be enumerated.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from applications.forms_filing import TrackForm
from applications.models import Dossier, Status

WINDOW_SECONDS = 10 * 60
NEEDS_SUPPLEMENT = (Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION)


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # so trusting it would let anyone reset their own limit. Behind a proxy, the proxy must set
    # REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips with the proxy's address).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def tracking_allowed(request: HttpRequest) -> bool:
    """Count one lookup for this IP in the current 10-minute window; False past the limit."""
    key = f"track:{_client_ip(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= settings.TRACKING_RATE_LIMIT


def tracking_lookup(code: str) -> Dossier | None:
    return (
        Dossier.objects.exclude(status=Status.DRAFT)
        .select_related("procedure_version__procedure", "agency")
        .only(
            "code", "status", "submitted_at", "received_at", "due_current", "returned_at", "resolved_at",
            "applicant_name", "subject_name", "procedure_version__name", "procedure_version__procedure__code",
            "agency__name",
        )
        .filter(code=code)
        .first()
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else (request.GET if "code" in request.GET else None)
    form = TrackForm(data)
    context: dict = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        if not tracking_allowed(request):
            return render(request, "applications/track_limited.html", {"form": TrackForm()}, status=429)
        dossier = tracking_lookup(form.cleaned_data["code"])
        context.update({
            "searched": True, "dossier": dossier,
            "needs_supplement": dossier is not None and dossier.status in NEEDS_SUPPLEMENT,
        })
    response = render(request, "applications/track.html", context)
    # Results must not linger in shared caches.
    response["Cache-Control"] = "no-store"
    return response
