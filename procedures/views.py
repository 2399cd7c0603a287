"""Public catalogue pages. Their URLs are printed on paper: keep them stable.

The list and detail bodies hold nothing user-specific, so their rendered HTML is cached per
language and query string (procedures/cache.py); the page shell around them is rendered per request.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.core.cache import cache, caches
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.lib.page_cache import anonymous_page_cache
from portal.lib.personal_pages import personal_page
from portal.lib.text import normalize_search
from procedures.cache import cache_seconds, catalogue_cache_key, catalogue_scope
from procedures.forms import ProcedureSearchForm
from procedures.selectors import component_template_get, procedure_get_public, procedure_search

# Returns (template name, context for it, extra values the page shell needs, such as the title).
LOCAL_FRAGMENT_SECONDS = 30
FragmentBuilder = Callable[[], tuple[str, dict[str, Any], dict[str, Any]]]


def _cached_fragment(key: str, build: FragmentBuilder) -> tuple[str, dict[str, Any]]:
    """(html, context) of a page body: from the cache, or built, rendered and stored.

    Only the HTML and the `extra` values are cached; on a hit the context holds just `extra`.
    """
    seconds = cache_seconds()
    # Two layers: this process's memory, then Redis. The key carries the catalogue generation, so a
    # local copy is never older than the generation memo (1 s) except for writes that bypass the
    # services, which show within LOCAL_FRAGMENT_SECONDS more. Signed-in pages skip the page cache
    # and would otherwise pay a Redis round trip for each body.
    local_seconds = min(seconds, LOCAL_FRAGMENT_SECONDS)
    cached = caches["shell"].get(key) if local_seconds else None
    if cached is None and seconds:
        cached = cache.get(key)
        if cached is not None and local_seconds:
            caches["shell"].set(key, cached, local_seconds)
    if cached is not None:
        return mark_safe(cached["html"]), cached["extra"]  # noqa: S308 - our own rendered template
    template_name, context, extra = build()
    html = render_to_string(template_name, context)
    if seconds:
        cache.set(key, {"html": html, "extra": extra}, seconds)
        if local_seconds:
            caches["shell"].set(key, {"html": html, "extra": extra}, local_seconds)
    return html, {**context, **extra}


@require_GET
@anonymous_page_cache
@personal_page(catalogue_scope)
def procedure_list(request: HttpRequest) -> HttpResponse:
    def build():
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
        return "procedures/_list_content.html", context, {}

    key = catalogue_cache_key("list", get_language(), sorted(request.GET.lists()))
    content, context = _cached_fragment(key, build)
    return render(request, "procedures/list.html", {**context, "content": content})


@require_GET
@anonymous_page_cache
@personal_page(catalogue_scope)
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    def build():
        procedure = procedure_get_public(code)  # 404 before anything is cached
        context = {"procedure": procedure, "version": procedure.current_version}
        return "procedures/_detail_content.html", context, {"title": procedure.current_version.name}

    content, context = _cached_fragment(catalogue_cache_key("detail", get_language(), code), build)
    return render(request, "procedures/detail.html", {**context, "content": content})


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
