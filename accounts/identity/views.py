"""Sign-in with e-identity: start (redirect to the provider), callback, and the provider's sign-out."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.identity import client
from accounts.identity.client import IdentityRefused, Provider, ProviderUnavailable
from accounts.identity.logout import SIGNED_IN_KEY
from accounts.identity.services import citizen_identity_sign_in, identity_from_claims
from accounts.identity.sessions import identity_session_register, identity_sessions_end
from accounts.throttle import client_ip, rate_limit_hit
from accounts.views import landing_url, language_keep

logger = logging.getLogger(__name__)

FLOWS_KEY = "identity_flows"
FLOW_TTL_SECONDS = 10 * 60
MAX_FLOWS = 5
CALLBACK_WINDOW_SECONDS = 10 * 60


def callback_uri(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("accounts:identity-callback", args=[provider.name]))


def error_page(request: HttpRequest, message: str, *, status: int, provider: Provider | None = None) -> HttpResponse:
    return render(request, "accounts/identity_error.html", {"message": message, "provider": provider}, status=status)


def unavailable_message(provider: Provider) -> str:
    return _("Hệ thống định danh %(name)s hiện không phản hồi. Vui lòng thử lại sau ít phút.") % {
        "name": provider.label}


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


@never_cache
@require_GET
def identity_login(request: HttpRequest, provider_name: str) -> HttpResponse:
    """Send the citizen to the provider with a fresh state, nonce and PKCE verifier kept in the session."""
    provider = client.provider_get(provider_name)
    if provider is None:
        return error_page(request, _("Không có hệ thống định danh này."), status=400)
    try:
        auth = client.authorization_request(provider, callback_uri(request, provider))
    except ProviderUnavailable as exc:
        logger.warning("oidc %s: unavailable at sign-in start: %s", provider.name, exc)
        messages.error(request, unavailable_message(provider))
        return redirect("accounts:login")
    flow_remember(request, provider, auth, kind="citizen")
    return redirect(auth.url)


def flow_remember(request: HttpRequest, provider: Provider, auth: client.AuthorizationRequest, *, kind: str,
                  **extra: Any) -> None:
    """Keep the state, nonce and PKCE verifier of a sign-in just sent to the provider, in the session."""
    now = time.time()
    flows = {state: flow for state, flow in request.session.get(FLOWS_KEY, {}).items()
             if now - flow["started_at"] < FLOW_TTL_SECONDS}
    # A few tabs may sign in at once; older flows beyond that are dropped.
    for state in sorted(flows, key=lambda s: flows[s]["started_at"])[:-(MAX_FLOWS - 1)]:
        del flows[state]
    flows[auth.state] = {"provider": provider.name, "kind": kind, "nonce": auth.nonce,
                         "verifier": auth.code_verifier, "next": _safe_next(request, request.GET.get("next", "")),
                         "started_at": now, **extra}
    request.session[FLOWS_KEY] = flows


def flow_take(request: HttpRequest, state: str, provider: Provider, *, kind: str) -> dict[str, Any] | None:
    """The flow this callback answers (used once), or None: unknown or old state, another provider or
    the other kind of sign-in (a citizen flow's state never completes a staff sign-in, nor the reverse)."""
    flows = request.session.get(FLOWS_KEY, {})
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_KEY] = flows
    if flow is None or time.time() - flow["started_at"] >= FLOW_TTL_SECONDS:
        return None
    if flow["provider"] != provider.name or flow.get("kind", "citizen") != kind:
        return None
    return flow


def account_throttled(provider: Provider, subject: str) -> bool:
    """Too many sign-ins of one provider account within the window (a stolen session replayed, a loop)."""
    key = hashlib.sha256(f"{provider.issuer}|{subject}".encode()).hexdigest()[:32]
    return not rate_limit_hit(scope="oidc-account", key=key, limit=settings.OIDC_ACCOUNT_LIMIT,
                              window_seconds=CALLBACK_WINDOW_SECONDS)


TOO_MANY_FOR_ACCOUNT = gettext_lazy("Tài khoản này vừa đăng nhập quá nhiều lần. Vui lòng thử lại sau ít phút.")


# Log lines of each kind of sign-in start with this, so a log search finds one flow's lines.
LOG_PREFIX = {"citizen": "oidc", "staff": "staff oidc"}


@dataclass(frozen=True)
class VerifiedCallback:
    """A callback that answers a sign-in this browser started (state, nonce and PKCE verifier
    matched), with the tokens the provider exchanged for its code and the validated ID-token claims."""

    flow: dict[str, Any]
    tokens: dict[str, Any]
    claims: dict[str, Any]


def callback_verify(
    request: HttpRequest, provider: Provider, *, kind: str, redirect_uri: str, cancelled_message: str,
    log: logging.Logger,
) -> VerifiedCallback | HttpResponse:
    """The first half of an OpenID Connect callback, the same for citizens and staff (OpenID Connect
    Core 1.0 §3.1.2.5-3.1.3.7, RFC 7636): the per-address limit, the state of a flow of this browser
    and of this kind, the provider's error answers, the code exchanged with the PKCE verifier, the ID
    token checked against the nonce, and the per-account limit. Returns the verified callback, or the
    response to send instead. Log lines carry the provider, error codes and exception texts, never
    claims or the code."""
    prefix = LOG_PREFIX[kind]
    if not rate_limit_hit(scope="oidc-callback", key=client_ip(request), limit=settings.OIDC_CALLBACK_IP_LIMIT,
                          window_seconds=CALLBACK_WINDOW_SECONDS):
        return error_page(request, _("Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau ít phút."),
                          status=429, provider=provider)
    if not request.session.get(FLOWS_KEY):
        return error_page(request, _("Không tìm thấy phiên đăng nhập trên trình duyệt này (phiên đã hết hạn hoặc "
                                     "trình duyệt chặn cookie). Vui lòng bấm đăng nhập lại."),
                          status=400, provider=provider)
    flow = flow_take(request, request.GET.get("state", ""), provider, kind=kind)
    if flow is None:
        return error_page(request, _("Yêu cầu đăng nhập không hợp lệ hoặc đã được dùng (tham số state không khớp). "
                                     "Vui lòng đăng nhập lại."), status=400, provider=provider)
    error = request.GET.get("error", "")
    if error == "access_denied":
        messages.info(request, cancelled_message)
        return redirect("accounts:login")
    if error in ("temporarily_unavailable", "server_error"):
        return error_page(request, unavailable_message(provider), status=503, provider=provider)
    code = request.GET.get("code", "")
    if error or not code or len(code) > 2048:
        log.info("%s %s: callback with error %r", prefix, provider.name, error[:60])
        return error_page(request, _("Hệ thống định danh không xác nhận đăng nhập. Vui lòng đăng nhập lại."),
                          status=400, provider=provider)
    try:
        tokens = client.token_exchange(provider, code=code, redirect_uri=redirect_uri, code_verifier=flow["verifier"])
        claims = client.id_token_verify(provider, tokens["id_token"], nonce=flow["nonce"])
    except (ProviderUnavailable, IdentityRefused) as exc:
        return callback_failure(request, provider, exc, kind=kind, log=log)
    if account_throttled(provider, str(claims["sub"])):
        return error_page(request, str(TOO_MANY_FOR_ACCOUNT), status=429, provider=provider)
    return VerifiedCallback(flow=flow, tokens=tokens, claims=claims)


def callback_failure(request: HttpRequest, provider: Provider, exc: ProviderUnavailable | IdentityRefused, *,
                     kind: str, log: logging.Logger) -> HttpResponse:
    """The page for a provider that failed (503) or a sign-in refused (403) anywhere in a callback."""
    prefix = LOG_PREFIX[kind]
    if isinstance(exc, ProviderUnavailable):
        log.warning("%s %s: unavailable during callback: %s", prefix, provider.name, exc)
        return error_page(request, unavailable_message(provider), status=503, provider=provider)
    log.warning("%s %s: sign-in refused: %s", prefix, provider.name, exc.code)
    return error_page(request, str(exc.message), status=403, provider=provider)


@never_cache
@require_GET
def identity_callback(request: HttpRequest, provider_name: str) -> HttpResponse:
    provider = client.provider_get(provider_name)
    if provider is None:
        return error_page(request, _("Không có hệ thống định danh này."), status=400)
    verified = callback_verify(
        request, provider, kind="citizen", redirect_uri=callback_uri(request, provider), log=logger,
        cancelled_message=_("Bạn đã hủy đăng nhập bằng %(name)s. Bạn có thể đăng nhập lại bất cứ lúc nào.")
        % {"name": provider.label},
    )
    if isinstance(verified, HttpResponse):
        return verified
    flow, tokens, claims = verified.flow, verified.tokens, verified.claims
    try:
        level = client.assurance_level(provider, claims)
        claims = {**claims, **client.userinfo(provider, access_token=tokens.get("access_token", ""),
                                              subject=claims["sub"])}
        identity = identity_from_claims(provider, claims, level=level)
        user = citizen_identity_sign_in(provider=provider, identity=identity)
    except (ProviderUnavailable, IdentityRefused) as exc:
        return callback_failure(request, provider, exc, kind="citizen", log=logger)
    except IntegrityError:
        # Two first sign-ins of one person at the same moment: the other one created the account.
        return error_page(request, _("Tài khoản của bạn vừa được tạo từ một lần đăng nhập khác. Vui lòng đăng nhập lại."),
                      status=409, provider=provider)
    login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
    # Kept for RP-initiated logout: the provider's session ends with ours.
    request.session[SIGNED_IN_KEY] = {"provider": provider.name, "level": level}
    request.session.save()
    identity_session_register(provider=provider.name, sid=claims.get("sid"), subject=identity.subject,
                              session_key=request.session.session_key)
    messages.success(request, _("Đã đăng nhập bằng %(name)s. Thông tin cá nhân được xác thực từ hệ thống định danh.")
                     % {"name": provider.label})
    return language_keep(request, redirect(flow["next"] or landing_url(user)), user)


@require_GET
def identity_signed_out(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Bạn đã đăng xuất khỏi Cổng Dịch vụ công và hệ thống định danh điện tử."))
    return redirect("portal:home")


@csrf_exempt  # called by the provider's server, authenticated by the signed logout token
@require_POST
def identity_backchannel_logout(request: HttpRequest, provider_name: str) -> HttpResponse:
    """OpenID Connect Back-Channel Logout 1.0: the citizen signed out at the provider; end our sessions."""
    return backchannel_logout(request, client.provider_get(provider_name), sessions_of=provider_name)


def backchannel_logout(request: HttpRequest, provider: Provider | None, *, sessions_of: str) -> HttpResponse:
    """End the portal sessions registered under `sessions_of` for the logout token's sid (or sub)."""
    if provider is None:
        return JsonResponse({"error": "invalid_request"}, status=400)
    try:
        claims = client.logout_token_verify(provider, request.POST.get("logout_token", ""))
    except IdentityRefused as exc:
        logger.warning("oidc %s: back-channel logout refused: %s", provider.name, exc.code)
        return JsonResponse({"error": "invalid_request"}, status=400, headers={"Cache-Control": "no-store"})
    except ProviderUnavailable:
        return JsonResponse({"error": "temporarily_unavailable"}, status=503)
    ended = identity_sessions_end(provider=sessions_of, sid=claims.get("sid"), subject=claims.get("sub"))
    logger.info("oidc %s: back-channel logout ended %s session(s)", provider.name, ended)
    return HttpResponse(status=200, headers={"Cache-Control": "no-store"})
