"""Staff sign-in through an agency OpenID Connect provider.

The provider only says who is signing in: the account is an existing staff account matched on a
configured claim (accounts.identity.services.staff_identity_match), never one created or given a role
from claims. The provider's amr/acr stand in for our second factor only when the settings say the
provider enforces one; otherwise the authenticator-app code is asked next, as after a password.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts import two_factor
from accounts.identity import client
from accounts.identity.client import IdentityRefused, Provider, ProviderUnavailable
from accounts.identity.logout import SIGNED_IN_KEY
from accounts.identity.services import provider_mfa_device, provider_mfa_proven, staff_identity_match
from accounts.identity.sessions import identity_session_register
from accounts.identity.views import (
    backchannel_logout,
    callback_failure,
    callback_verify,
    error_page,
    flow_remember,
    unavailable_message,
)
from accounts.views import landing_url, language_keep

logger = logging.getLogger(__name__)


def _sessions_of(provider: Provider) -> str:
    """The key staff sessions are registered under for back-channel logout (apart from citizens')."""
    return f"staff-{provider.name}"


def _callback_uri(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("accounts:staff-identity-callback", args=[provider.name]))


@never_cache
@require_GET
def staff_identity_login(request: HttpRequest, provider_name: str) -> HttpResponse:
    """Send the member of staff to the agency's provider. `?fresh=1` (the re-check before a sensitive
    action) asks the provider to authenticate them again, whatever session it already has."""
    provider = client.staff_provider_get(provider_name)
    if provider is None:
        return error_page(request, _("Không có hệ thống định danh này."), status=400)
    fresh = request.GET.get("fresh") == "1" and request.user.is_authenticated
    try:
        auth = client.authorization_request(provider, _callback_uri(request, provider), fresh=fresh)
    except ProviderUnavailable as exc:
        logger.warning("staff oidc %s: unavailable at sign-in start: %s", provider.name, exc)
        messages.error(request, unavailable_message(provider))
        return redirect("accounts:login")
    flow_remember(request, provider, auth, kind="staff", fresh_for=request.user.pk if fresh else None)
    return redirect(auth.url)


@never_cache
@require_GET
def staff_identity_callback(request: HttpRequest, provider_name: str) -> HttpResponse:
    provider = client.staff_provider_get(provider_name)
    if provider is None:
        return error_page(request, _("Không có hệ thống định danh này."), status=400)
    verified = callback_verify(
        request, provider, kind="staff", redirect_uri=_callback_uri(request, provider), log=logger,
        cancelled_message=_("Bạn đã hủy đăng nhập bằng %(name)s.") % {"name": provider.label},
    )
    if isinstance(verified, HttpResponse):
        return verified
    flow, tokens, claims = verified.flow, verified.tokens, verified.claims
    try:
        claims = {**client.userinfo(provider, access_token=tokens.get("access_token", ""), subject=claims["sub"]),
                  **claims}
        user = staff_identity_match(provider=provider, claims=claims)
    except (ProviderUnavailable, IdentityRefused) as exc:
        return callback_failure(request, provider, exc, kind="staff", log=logger)
    mfa = provider_mfa_proven(provider=provider, claims=claims)
    if flow.get("fresh_for") is not None:
        return _recheck_done(request, provider, flow, user=user, mfa=mfa)
    login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
    request.session[SIGNED_IN_KEY] = {"provider": provider.name, "staff": True}
    logger.info("staff oidc %s: user %s signed in (provider second factor: %s)", provider.name, user.pk, mfa)
    next_url = flow["next"] or landing_url(user)
    if mfa:
        two_factor.session_verify(request, provider_mfa_device(user=user, provider=provider))
        messages.success(request, _("Đã đăng nhập bằng %(name)s (đã xác thực hai lớp tại hệ thống của cơ quan).")
                         % {"name": provider.label})
        target = next_url
    else:
        # The agency's provider does not vouch for a second factor: ours is asked, as after a password.
        target = (two_factor.second_factor_entry_url(user, flow["next"])
                  if two_factor.second_factor_required_for(user) else next_url)
    request.session.save()
    identity_session_register(provider=_sessions_of(provider), sid=claims.get("sid"), subject=str(claims["sub"]),
                              session_key=request.session.session_key)
    return language_keep(request, redirect(target), user)


@csrf_exempt  # called by the provider's server, authenticated by the signed logout token
@require_POST
def staff_identity_backchannel_logout(request: HttpRequest, provider_name: str) -> HttpResponse:
    """The member of staff signed out at the agency's provider (or was switched off there): end our sessions."""
    provider = client.staff_provider_get(provider_name)
    return backchannel_logout(request, provider, sessions_of=_sessions_of(provider) if provider else "")


def _recheck_done(request: HttpRequest, provider: Provider, flow: dict, *, user, mfa: bool) -> HttpResponse:
    """The re-check before a sensitive action, done again at the provider: same person, second factor shown."""
    if flow["fresh_for"] != request.user.pk or user.pk != request.user.pk:
        logger.warning("staff oidc %s: re-check by another account (%s for %s)", provider.name, user.pk,
                       flow["fresh_for"])
        return error_page(request, _("Bạn đã xác thực lại bằng một tài khoản khác với tài khoản đang đăng nhập."),
                          status=403, provider=provider)
    if not mfa:
        return error_page(request, _("Hệ thống định danh của cơ quan không xác nhận lớp xác thực thứ hai. "
                                     "Vui lòng nhập mã từ ứng dụng xác thực."), status=403, provider=provider)
    two_factor.session_verify(request, provider_mfa_device(user=user, provider=provider))
    pending = request.session.pop(two_factor.PENDING_POST_KEY, None)
    if pending:
        return render(request, "accounts/two_factor/resubmit.html", {"pending": pending, "next": flow["next"]})
    return redirect(flow["next"] or landing_url(user))
