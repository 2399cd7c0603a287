"""Signing out of the provider too, when the citizen signed in through it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.identity import client

SIGNED_IN_KEY = "identity_sign_in"


def identity_logout_response(request: HttpRequest, signed_in: dict[str, Any] | None,
                             response: HttpResponse) -> HttpResponse:
    """After our own sign-out, end the provider's session too (RP-initiated logout).

    A page that navigates on, not a redirect: the logout is a form POST and the site's CSP
    `form-action 'self'` would block a redirect to the provider's origin."""
    lookup = client.staff_provider_get if signed_in and signed_in.get("staff") else client.provider_get
    provider = lookup(signed_in["provider"]) if signed_in else None
    if provider is None:
        return response
    url = client.end_session_url(provider, post_logout_redirect_uri=request.build_absolute_uri(
                                     reverse("accounts:identity-signed-out")))
    if url is None:
        return response
    page = render(request, "accounts/identity_logout.html", {"url": url, "provider": provider})
    for name, morsel in response.cookies.items():
        page.cookies[name] = morsel
    return page
