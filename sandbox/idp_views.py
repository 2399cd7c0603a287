"""HTTP endpoints of the sandbox identity provider (OpenID Connect Core 1.0, Discovery, RP-initiated logout).

Registered clients and the global switches (unavailable, slow) come from settings.SANDBOX_IDP_*."""

from __future__ import annotations

import base64
import binascii
import logging
import time
import urllib.error
import urllib.request
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox import idp

SESSION_COOKIE = "sandbox_idp_sid"
logger = logging.getLogger(__name__)


def issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri("/sandbox/idp").rstrip("/")


def switches(view):  # type: ignore[no-untyped-def]
    """The whole provider down (503) or slow, as the tests need it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.SANDBOX_IDP_DELAY_SECONDS:
            time.sleep(settings.SANDBOX_IDP_DELAY_SECONDS)
        if settings.SANDBOX_IDP_UNAVAILABLE:
            return HttpResponse("Service Unavailable", status=503, content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def _registered(client_id: str, uri: str, kind: str) -> bool:
    client = settings.SANDBOX_IDP_CLIENTS.get(client_id)
    parts = urlsplit(uri)
    return bool(client) and parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path in client[kind]


@require_GET
@switches
def discovery(request: HttpRequest) -> JsonResponse:
    base = issuer(request)
    return JsonResponse({
        "issuer": base,
        "authorization_endpoint": base + "/authorize",
        "token_endpoint": base + "/token",
        "jwks_uri": base + "/jwks",
        "userinfo_endpoint": base + "/userinfo",
        "end_session_endpoint": base + "/logout",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "scopes_supported": ["openid", "profile", "email"],
        "acr_values_supported": [idp.ACR_LEVEL_1, idp.ACR_LEVEL_2],
        "claims_supported": ["sub", "name", "birthdate", "gender", "phone_number", "address", "id_number", "acr",
                             "amr", "email"],
    })


@require_GET
@switches
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(idp.jwks())


@never_cache
@require_http_methods(["GET", "POST"])
@switches
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    if not _registered(client_id, redirect_uri, "redirect_paths"):
        # Never redirect to an unregistered address: that would make the provider an open redirector.
        return render(request, "sandbox/idp_login.html", {"error": _("Ứng dụng hoặc địa chỉ trả về chưa đăng ký.")},
                      status=400)
    state = params.get("state", "")

    def back(**result: str) -> HttpResponse:
        return redirect(f"{redirect_uri}?{urlencode({**result, 'state': state})}")

    if (params.get("response_type") != "code" or "openid" not in params.get("scope", "").split()
            or params.get("code_challenge_method") != "S256" or not params.get("code_challenge")):
        return back(error="invalid_request", error_description="code flow with openid scope and S256 PKCE required")
    request_fields = {name: params.get(name, "") for name in (
        "client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method", "acr_values", "prompt")}
    # prompt=login: authenticate the person again, whatever session this provider already has.
    current = None if params.get("prompt") == "login" else idp.session_person(request.COOKIES.get(SESSION_COOKIE))
    staff_client = bool(settings.SANDBOX_IDP_CLIENTS[client_id].get("staff"))
    page = {"request_fields": request_fields, "people": idp.STAFF_PEOPLE if staff_client else idp.PEOPLE,
            "scenarios": idp.SCENARIOS.items(), "current": current, "staff_client": staff_client}
    if request.method == "GET":
        return render(request, "sandbox/idp_login.html", page)
    scenario = request.POST.get("scenario", "normal")
    if request.POST.get("cancel") or scenario == "access_denied":
        return back(error="access_denied", error_description="The user cancelled the sign-in")
    who = idp.person(request.POST.get("person", ""))
    if who is None or scenario not in idp.SCENARIOS:
        page["error"] = _("Chọn một người dân để đăng nhập.")
        return render(request, "sandbox/idp_login.html", page, status=400)
    sid = request.COOKIES.get(SESSION_COOKIE) if current and current["sub"] == who["sub"] else None
    sid = sid or idp.session_start(who["sub"])
    idp.session_client_add(sid, client_id, redirect_uri)
    code = idp.code_issue({
        "client_id": client_id, "redirect_uri": redirect_uri, "sub": who["sub"], "nonce": params.get("nonce", ""),
        "code_challenge": params["code_challenge"], "scenario": scenario, "sid": sid,
    })
    response = back(code=code)
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="Lax", path="/sandbox/idp/")
    return response


def _client_credentials(request: HttpRequest, token_url: str) -> str | None:
    """The authenticated client id (client_secret_basic, client_secret_post or private_key_jwt), or None."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
    elif request.POST.get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
        client_id = request.POST.get("client_id", "")
        client = settings.SANDBOX_IDP_CLIENTS.get(client_id)
        if not client or not client.get("public_key"):
            return None
        try:
            assertion = jwt.decode(request.POST.get("client_assertion", ""),
                                   RSAKey.import_key(client["public_key"]), algorithms=["RS256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": client_id},
                                  sub={"essential": True, "value": client_id},
                                  aud={"essential": True, "value": token_url}, exp={"essential": True}
                                  ).validate(assertion.claims)
        except (JoseError, ValueError):
            return None
        return client_id
    else:
        client_id, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    client = settings.SANDBOX_IDP_CLIENTS.get(client_id)
    return client_id if client and secret and constant_time_compare(secret, client["secret"]) else None


@csrf_exempt
@require_POST
@switches
def token(request: HttpRequest) -> JsonResponse:
    client_id = _client_credentials(request, issuer(request) + "/token")
    if client_id is None:
        return _oauth_error("invalid_client", "client authentication failed", status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return _oauth_error("unsupported_grant_type", "only authorization_code")
    grant = idp.code_redeem(request.POST.get("code", ""))
    if grant is None or grant["client_id"] != client_id or grant["redirect_uri"] != request.POST.get("redirect_uri"):
        return _oauth_error("invalid_grant", "unknown, expired or already used code")
    if not constant_time_compare(idp.s256(request.POST.get("code_verifier", "")), grant["code_challenge"]):
        return _oauth_error("invalid_grant", "PKCE verification failed")
    if grant["scenario"] == "token_unavailable":
        return _oauth_error("temporarily_unavailable", "try again later", status=503)
    return JsonResponse({
        "access_token": idp.access_token_issue(grant), "token_type": "Bearer", "expires_in": idp.TOKEN_TTL,
        "id_token": idp.id_token(issuer=issuer(request), client_id=client_id, grant=grant),
    }, headers={"Cache-Control": "no-store"})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@switches
def userinfo(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    grant = idp.access_token_grant(header[7:]) if header.startswith("Bearer ") else None
    who = idp.person(grant["sub"]) if grant else None
    if who is None:
        return JsonResponse({"error": "invalid_token"}, status=401,
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return JsonResponse({"sub": who["sub"], **idp.identity_claims(who, grant["scenario"])})


def _backchannel_logout(request: HttpRequest, client_id: str, redirect_uri: str, *, sub: str, sid: str) -> None:
    """POST a logout token to the relying party's back-channel logout URI, at the address it signed in from."""
    path = settings.SANDBOX_IDP_CLIENTS.get(client_id, {}).get("backchannel_logout_path")
    if not path:
        return
    parts = urlsplit(redirect_uri)
    token = idp.logout_token(issuer=issuer(request), client_id=client_id, sub=sub, sid=sid)
    outgoing = urllib.request.Request(f"{parts.scheme}://{parts.netloc}{path}", method="POST",
                                      data=urlencode({"logout_token": token}).encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(outgoing, timeout=5):  # noqa: S310 (http(s) only)
            pass
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        logger.warning("sandbox idp: back-channel logout to %s failed: %s", outgoing.full_url, exc)


@never_cache
@require_GET
@switches
def logout(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: the provider's own session ends, then the browser goes back if asked to."""
    sid = request.COOKIES.get(SESSION_COOKIE)
    for ended_client, redirect_uri, sub in idp.session_end(sid):
        # The client that asked for this logout has ended its own session already.
        if ended_client != request.GET.get("client_id"):
            _backchannel_logout(request, ended_client, redirect_uri, sub=sub, sid=sid or "")
    target = request.GET.get("post_logout_redirect_uri", "")
    client_id = request.GET.get("client_id", "")
    if target and _registered(client_id, target, "post_logout_paths"):
        state = request.GET.get("state")
        response = redirect(f"{target}?{urlencode({'state': state})}" if state else target)
    else:
        response = render(request, "sandbox/idp_login.html", {"logged_out": True})
    response.delete_cookie(SESSION_COOKIE, path="/sandbox/idp/", samesite="Lax")
    return response
