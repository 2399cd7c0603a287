"""Public tracking (tra cứu hồ sơ): anyone holding a dossier code sees where it stands.

Only what the national portal shows publicly: the procedure, the status in plain words, the
dates received and due, whether a supplement is needed, and a masked name. Lookups are limited
per IP address so codes cannot be enumerated.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.throttle import client_ip, rate_limit_hit
from applications.forms_filing import TrackForm
from applications.models import Dossier, Status

WINDOW_SECONDS = 10 * 60
NEEDS_SUPPLEMENT = (Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION)


def tracking_allowed(request: HttpRequest) -> bool:
    """Count one lookup for this IP in the current 10-minute window; False past the limit.

    Counted in the shared cache, so every gunicorn worker adds to one count per address.
    """
    return rate_limit_hit(
        scope="track", key=client_ip(request), limit=settings.TRACKING_RATE_LIMIT, window_seconds=WINDOW_SECONDS,
    )


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
