from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from procedures.models import Procedure


def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "procedures/list.html", {})


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=code, is_published=True)
    return render(request, "procedures/detail.html", {"procedure": procedure})
