"""The relying party's side of OpenID Connect: discovery, the authorization request (code flow with
PKCE, state and nonce), the token exchange, ID-token verification against the provider's JWKS, userinfo.

Built on Authlib (PKCE) and joserfc (Authlib's JOSE library: JWS signature and claim checks). Every call
to the provider has a short timeout, so a provider that is down or slow is reported to the citizen
within seconds, never as a 500.
"""

from __future__ import annotations

import base64
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet, RSAKey

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider could not be reached, was too slow, or answered with a server error."""


class IdentityRefused(Exception):
    """The provider's answer cannot be trusted or does not identify a citizen well enough."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(code)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    client_auth: str
    private_key: str
    private_key_id: str
    scopes: list[str]
    acr_levels: dict[str, int]
    min_level: int
    claims: dict[str, str]
    use_userinfo: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def requested_acr(self) -> list[str]:
        return [value for value, level in self.acr_levels.items() if level >= self.min_level]


def provider_get(name: str) -> Provider | None:
    config = settings.OIDC_PROVIDERS.get(name)
    return Provider(**config) if config else None


def providers_all() -> list[Provider]:
    return [Provider(**config) for config in settings.OIDC_PROVIDERS.values()]


def staff_provider_get(name: str) -> Provider | None:
    """An agency provider for staff sign-in (settings.STAFF_OIDC_PROVIDERS); never a citizen one."""
    config = settings.STAFF_OIDC_PROVIDERS.get(name)
    return Provider(**config) if config else None


def staff_providers_all() -> list[Provider]:
    return [Provider(**config) for config in settings.STAFF_OIDC_PROVIDERS.values()]


def _http(request: urllib.request.Request) -> dict[str, Any]:
    """JSON from the provider; ProviderUnavailable on network errors, timeouts and 5xx answers.

    4xx answers are returned as their JSON body (an OAuth error), for the caller to judge."""
    try:
        with urllib.request.urlopen(request, timeout=settings.OIDC_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = json.loads(response.read(256 * 1024).decode())
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise ProviderUnavailable(f"HTTP {exc.code} from {request.full_url}") from exc
        try:
            body = json.loads(exc.read(64 * 1024).decode())
        except ValueError:
            body = {}
        return {"error": body.get("error", f"http_{exc.code}") if isinstance(body, dict) else f"http_{exc.code}"}
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise ProviderUnavailable(f"{request.full_url}: {exc}") from exc
    except ValueError as exc:
        raise ProviderUnavailable(f"not JSON from {request.full_url}") from exc
    if not isinstance(body, dict):
        raise ProviderUnavailable(f"not a JSON object from {request.full_url}")
    return body


def discovery(provider: Provider) -> dict[str, Any]:
    cache_key = f"oidc:discovery:{provider.name}:{provider.issuer}"
    document = cache.get(cache_key)
    if document is None:
        document = _http(urllib.request.Request(provider.issuer + "/.well-known/openid-configuration"))
        required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if "error" in document or any(not document.get(name) for name in required):
            raise ProviderUnavailable(f"incomplete discovery document from {provider.name}")
        if document["issuer"].rstrip("/") != provider.issuer:
            # OpenID Connect Discovery 1.0 §4.3: the issuer must be exactly the one configured.
            raise ProviderUnavailable(f"discovery issuer mismatch for {provider.name}")
        cache.set(cache_key, document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return document


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_request(provider: Provider, redirect_uri: str, *, fresh: bool = False) -> AuthorizationRequest:
    """`fresh` asks the provider to authenticate the person again (a re-check before a sensitive action)."""
    endpoint = discovery(provider)["authorization_endpoint"]
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    query = {
        "response_type": "code", "client_id": provider.client_id, "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes), "state": state, "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256",
    }
    if provider.requested_acr:
        query["acr_values"] = " ".join(provider.requested_acr)
    if fresh:
        query |= {"prompt": "login", "max_age": "0"}
    separator = "&" if "?" in endpoint else "?"
    return AuthorizationRequest(url=endpoint + separator + urlencode(query), state=state, nonce=nonce,
                                code_verifier=verifier)


def _client_assertion(provider: Provider, token_endpoint: str) -> str:
    now = int(time.time())
    key = RSAKey.import_key(provider.private_key)
    header = {"alg": "RS256", "typ": "JWT", **({"kid": provider.private_key_id} if provider.private_key_id else {})}
    claims = {"iss": provider.client_id, "sub": provider.client_id, "aud": token_endpoint,
              "jti": uuid.uuid4().hex, "iat": now, "exp": now + 60}
    return jwt.encode(header, claims, key)


def token_exchange(provider: Provider, *, code: str, redirect_uri: str, code_verifier: str) -> dict[str, Any]:
    endpoint = discovery(provider)["token_endpoint"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if provider.client_auth == "client_secret_basic":
        pair = f"{quote(provider.client_id, safe='')}:{quote(provider.client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    elif provider.client_auth == "client_secret_post":
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    else:
        form |= {"client_id": provider.client_id,
                 "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                 "client_assertion": _client_assertion(provider, endpoint)}
    answer = _http(urllib.request.Request(endpoint, data=urlencode(form).encode(), headers=headers, method="POST"))
    if "error" in answer:
        logger.warning("oidc %s: token endpoint refused the code: %s", provider.name, answer["error"])
        raise IdentityRefused(_("Mã xác thực không hợp lệ, đã hết hạn hoặc đã được dùng. Vui lòng đăng nhập lại."),
                              "invalid_grant")
    if not isinstance(answer.get("id_token"), str):
        raise IdentityRefused(_("Hệ thống định danh không trả về mã định danh (ID token)."), "no_id_token")
    return answer


def _jwks_fetch(provider: Provider) -> dict[str, dict[str, Any]]:
    document = _http(urllib.request.Request(discovery(provider)["jwks_uri"]))
    keys = {entry["kid"]: entry for entry in document.get("keys", []) if isinstance(entry, dict) and entry.get("kid")}
    for kid, entry in keys.items():
        cache.set(f"oidc:jwk:{provider.issuer}:{kid}", entry, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return keys


def _signing_key(provider: Provider, kid: str) -> RSAKey:
    """The provider's key `kid`, cached per kid; an unknown kid refetches the JWKS once (key rotation)."""
    entry = cache.get(f"oidc:jwk:{provider.issuer}:{kid}")
    if entry is None:
        entry = _jwks_fetch(provider).get(kid)
    if entry is None:
        raise IdentityRefused(_("Mã định danh được ký bằng khóa không rõ nguồn gốc."), "unknown_kid")
    return RSAKey.import_key(entry)


def id_token_verify(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims after checking signature (RS256, provider's JWKS), iss, aud, exp, iat and nonce
    (OpenID Connect Core 1.0 §3.1.3.7)."""
    try:
        header = jws.extract_compact(id_token.encode()).protected
    except (JoseError, ValueError) as exc:
        raise IdentityRefused(_("Mã định danh (ID token) không đúng định dạng."), "malformed") from exc
    if header.get("alg") != "RS256" or not header.get("kid"):
        raise IdentityRefused(_("Mã định danh dùng thuật toán ký không được chấp nhận."), "bad_alg")
    try:
        token = jwt.decode(id_token, KeySet([_signing_key(provider, header["kid"])]), algorithms=["RS256"])
    except BadSignatureError as exc:
        raise IdentityRefused(_("Chữ ký của mã định danh không hợp lệ."), "bad_signature") from exc
    except (JoseError, ValueError) as exc:
        raise IdentityRefused(_("Mã định danh (ID token) không hợp lệ."), "invalid_token") from exc
    claims = token.claims
    checks = {
        "iss": ({"essential": True, "value": provider.issuer}, _("Mã định danh không do hệ thống định danh đã cấu hình phát hành.")),
        "aud": ({"essential": True, "value": provider.client_id}, _("Mã định danh không được cấp cho Cổng Dịch vụ công này.")),
        "nonce": ({"essential": True, "value": nonce}, _("Mã định danh không khớp với yêu cầu đăng nhập này.")),
        "sub": ({"essential": True}, _("Mã định danh thiếu định danh người dùng.")),
        "exp": ({"essential": True}, _("Mã định danh thiếu thời hạn.")),
    }
    for name, (rule, message) in checks.items():
        try:
            jwt.JWTClaimsRegistry(leeway=CLOCK_SKEW_SECONDS, **{name: rule}).validate(claims)
        except ExpiredTokenError as exc:
            raise IdentityRefused(_("Mã định danh đã hết hạn. Vui lòng đăng nhập lại."), "expired") from exc
        except JoseError as exc:
            raise IdentityRefused(message, f"bad_{name}") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise IdentityRefused(checks["aud"][1], "bad_azp")
    return claims


def assurance_level(provider: Provider, claims: dict[str, Any]) -> int:
    """The level of the `acr` returned, refused when unknown or below the minimum asked for."""
    acr = claims.get("acr")
    if not isinstance(acr, str) or acr not in provider.acr_levels:
        raise IdentityRefused(_("Hệ thống định danh trả về mức xác thực không xác định."), "unknown_acr")
    level = provider.acr_levels[acr]
    if level < provider.min_level:
        raise IdentityRefused(
            _("Tài khoản định danh điện tử của bạn chưa đạt mức %(level)s. Vui lòng nâng cấp tài khoản VNeID "
              "lên mức %(level)s rồi đăng nhập lại.") % {"level": provider.min_level}, "low_acr")
    return level


def userinfo(provider: Provider, *, access_token: str, subject: str) -> dict[str, Any]:
    endpoint = discovery(provider).get("userinfo_endpoint")
    if not provider.use_userinfo or not endpoint or not access_token:
        return {}
    answer = _http(urllib.request.Request(endpoint, headers={"Authorization": f"Bearer {access_token}",
                                                             "Accept": "application/json"}))
    if "error" in answer:
        raise IdentityRefused(_("Không lấy được thông tin công dân từ hệ thống định danh."), "userinfo_refused")
    if answer.get("sub") != subject:
        # OpenID Connect Core 1.0 §5.3.2: userinfo for another subject must not be used.
        raise IdentityRefused(_("Thông tin công dân không khớp với mã định danh."), "userinfo_sub")
    return answer


def access_token_subject(provider: Provider, access_token: str) -> str | None:
    """The subject an access token was issued for, asked of the provider's userinfo endpoint (the
    token is opaque to us); None when the provider refuses it. ProviderUnavailable when it is down."""
    endpoint = discovery(provider).get("userinfo_endpoint")
    if not endpoint or not access_token:
        return None
    answer = _http(urllib.request.Request(endpoint, headers={"Authorization": f"Bearer {access_token}",
                                                             "Accept": "application/json"}))
    subject = answer.get("sub")
    return subject if "error" not in answer and isinstance(subject, str) and subject else None


def end_session_url(provider: Provider, *, post_logout_redirect_uri: str) -> str | None:
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), or None when the provider has none.

    Identified by client_id, not id_token_hint: the ID token carries the citizen's ID number, which must
    not travel in a URL (browser history, proxy logs). Read from the cached discovery only: signing out
    must not wait on a provider that is down."""
    document = cache.get(f"oidc:discovery:{provider.name}:{provider.issuer}") or {}
    endpoint = document.get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)


BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def logout_token_verify(provider: Provider, logout_token: str) -> dict[str, Any]:
    """A back-channel logout token's claims (OpenID Connect Back-Channel Logout 1.0 §2.6): signed by the
    provider, for us, with the logout event, a sid or sub, no nonce, and never seen before (jti)."""
    try:
        header = jws.extract_compact(logout_token.encode()).protected
        if header.get("alg") != "RS256" or not header.get("kid"):
            raise IdentityRefused("bad alg", "bad_alg")
        token = jwt.decode(logout_token, KeySet([_signing_key(provider, header["kid"])]), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(leeway=CLOCK_SKEW_SECONDS, iss={"essential": True, "value": provider.issuer},
                              aud={"essential": True, "value": provider.client_id}, iat={"essential": True},
                              jti={"essential": True}).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise IdentityRefused("invalid logout token", "invalid_logout_token") from exc
    claims = token.claims
    events = claims.get("events")
    if (not isinstance(events, dict) or BACKCHANNEL_EVENT not in events or "nonce" in claims
            or not (claims.get("sid") or claims.get("sub"))):
        raise IdentityRefused("invalid logout token", "invalid_logout_token")
    if not cache.add(f"oidc:logout-jti:{provider.name}:{claims['jti']}", 1, 10 * 60):
        raise IdentityRefused("replayed logout token", "replayed_logout_token")
    return claims
