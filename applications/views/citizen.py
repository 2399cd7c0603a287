from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import citizen_required


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/my_dossiers.html", {"dossiers": []})


def track(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/track.html", {})


def apply(request: HttpRequest, code: str) -> HttpResponse:
    # Placeholder until the filing issue lands.
    return render(request, "applications/track.html", {})
