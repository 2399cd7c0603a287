"""Whole-page cache for the public catalogue as anonymous visitors see it.

Most visits to the portal are anonymous reads of a few pages (home, procedure search, procedure
pages) whose HTML is the same for everyone of the same language. Those pages already cache their
body fragments; this serves the finished response from Redis before the session, CSRF, auth,
second-factor and messages middleware run, which is most of what such a request otherwise costs.

Safe by construction rather than by convention:
- only views decorated with `@anonymous_page_cache` are stored, only for a GET answered 200 to a
  request with no session cookie (messages live in the session, so such a visitor has none), and
  only when the response sets no cookie (a page that rendered a CSRF token sets one: never stored);
- the key holds the language, the host, the path with its query string and the catalogue generation, which
  every catalogue write bumps (procedures/cache.py), so an edit is visible on the next request; the
  entry also expires after PROCEDURE_CACHE_SECONDS (popularity counters, raw SQL);
- headers are stored as the inner middleware left them (CSP, frame options, language), minus
  cookies and the request id, so a cached answer is indistinguishable from a fresh one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from procedures.cache import cache_seconds, catalogue_generation

# A query string longer than this is not cached: real searches are short, and a stream of long
# random ones should not be able to fill the cache.
MAX_CACHED_PATH = 512
# Headers added per request by middleware outside this one (the request id) or never shared.
_NOT_STORED = {"set-cookie", "x-request-id", "content-length"}
CACHEABLE_ATTRIBUTE = "anonymous_page_cacheable"


def anonymous_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let AnonymousPageCacheMiddleware store this view's answers to anonymous visitors."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            setattr(response, CACHEABLE_ATTRIBUTE, True)
        return response

    return wrapped


def _language(request: HttpRequest) -> str:
    # The same choice as portal.middleware.LanguageMiddleware, which has not run yet.
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when the request must not use the cache."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES or not cache_seconds():
        return None
    path = request.get_full_path()
    if len(path) > MAX_CACHED_PATH:
        return None
    # The host and scheme too: a page may print absolute links, and one deployment may answer several
    # names (get_host() refuses a name outside ALLOWED_HOSTS, with a 400, before anything is cached).
    origin = f"{request.scheme}://{request.get_host()}"
    digest = hashlib.sha256(f"{origin}{path}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"page:{catalogue_generation()}:{_language(request)}:{digest}"


class AnonymousPageCacheMiddleware:
    """Placed after WhiteNoise and before SessionMiddleware (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"]:
                response.headers[name] = value
            # For the request metrics: the view this page belongs to, not "<unresolved>".
            request.page_cache_view = entry["view"]  # type: ignore[attr-defined]
            return response
        response = self.get_response(request)
        if (
            getattr(response, CACHEABLE_ATTRIBUTE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            match = getattr(request, "resolver_match", None)
            cache.set(key, {
                "content": response.content,
                "headers": [(name, value) for name, value in response.headers.items()
                            if name.lower() not in _NOT_STORED],
                "view": match.view_name if match else "<unresolved>",
            }, cache_seconds())
        return response
