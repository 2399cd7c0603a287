"""Who is calling the API: an agency system (X-Api-Key), a citizen with an access token from the
configured identity provider (Authorization: Bearer), or a signed-in browser session (with CSRF)."""

from __future__ import annotations

import hashlib

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.identity.client import ProviderUnavailable, access_token_subject, providers_all
from accounts.identity.models import IdentityLink
from accounts.models import Role, User
from api.keys import KEY_PREFIX, api_key_check, api_key_touch

TOKEN_CACHE_SECONDS = 60


class AgencyKeyAuthentication(authentication.BaseAuthentication):
    """`X-Api-Key: dvc_…`: the request acts as the key's staff account; `request.auth` is the key."""

    def authenticate(self, request: Request):
        raw = request.headers.get("X-Api-Key", "").strip()
        if not raw:
            return None
        key = api_key_check(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("Khóa API không hợp lệ hoặc đã bị thu hồi."))
        api_key_touch(key)
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return "ApiKey"


class IdentityBearerAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <access token>` issued to a citizen by a configured OpenID provider.

    The token is checked with the provider's userinfo endpoint (the answer is cached for a minute
    under the token's hash) and maps to the account linked to that subject on e-identity sign-in."""

    def authenticate(self, request: Request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header[7:].strip()
        if not token or token.startswith(KEY_PREFIX):
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        cache_key = "api:bearer:" + hashlib.sha256(token.encode()).hexdigest()
        user_id = cache.get(cache_key)
        if user_id is None:
            user_id = self._user_id(token)
            cache.set(cache_key, user_id, TOKEN_CACHE_SECONDS)
        user = User.objects.filter(pk=user_id, is_active=True, role=Role.CITIZEN).first() if user_id else None
        if user is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ hoặc đã hết hạn."))
        return user, None

    def _user_id(self, token: str) -> int:
        for provider in providers_all():
            try:
                subject = access_token_subject(provider, token)
            except ProviderUnavailable as exc:
                raise exceptions.AuthenticationFailed(_("Hệ thống định danh điện tử đang gián đoạn.")) from exc
            if subject:
                link = IdentityLink.objects.filter(provider=provider.name, subject=subject).first()
                return link.user_id if link else 0
        return 0

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser session of a signed-in citizen; unsafe methods need the CSRF token, as on the site.

    Staff sessions are not accepted: agency systems use keys, so the staff second factor is never
    bypassed through the API."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is None or result[0].role != Role.CITIZEN:
            return None
        return result
