"""Public catalogue pages. Their URLs are printed on paper: keep them stable."""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.lib.text import normalize_search
from procedures.forms import ProcedureSearchForm
from procedures.selectors import component_template_get, procedure_get_public, procedure_search


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET)
    page = procedure_search(form.query, form.filters(), page=request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "procedures": page.object_list,
        "query": form.query,
        "querystring": params.urlencode(),
        "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, "procedures/list.html", context)


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_get_public(code)
    version = procedure.current_version
    return render(request, "procedures/detail.html", {"procedure": procedure, "version": version})


@require_GET
def component_template_download(request: HttpRequest, code: str, component_id: int) -> FileResponse:
    component = component_template_get(code, component_id)
    try:
        handle = component.template_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(code) from exc
    filename = os.path.basename(component.template_file.name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = normalize_search(filename).encode("ascii", "ignore").decode() or "mau-don"
    ascii_name = ascii_name.replace('"', "").replace("\\", "").replace(" ", "-")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
