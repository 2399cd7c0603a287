from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import staff_required


@staff_required
def officer_home(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/officer/home.html", {})
