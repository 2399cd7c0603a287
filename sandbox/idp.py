"""The sandbox identity provider: a VNeID look-alike that speaks OpenID Connect (RS256) over HTTP.

It serves a handful of demo people with valid 12-digit ID numbers (and two agency staff), and one switch per failure a real
provider can produce (bad iss/aud/signature, expired token, nonce mismatch, wrong or unknown acr,
missing claims, access_denied, unavailable), chosen on its sign-in page. It imports nothing from the
portal's apps: the portal reaches it only through its discovery document, like a real provider.
Codes, tokens and its own sessions live in the cache, as short-lived provider state does.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

CODE_TTL = 60
TOKEN_TTL = 300
SESSION_TTL = 8 * 3600
ACR_LEVEL_1 = "urn:vn:vneid:loa:1"
ACR_LEVEL_2 = "urn:vn:vneid:loa:2"

PEOPLE: list[dict[str, Any]] = [
    {"sub": "sbx-7f3a9c21", "id_number": "001084000999", "name": "Nguyễn Văn An", "birthdate": "1984-03-09",
     "gender": "male", "phone_number": "0912000001",
     "address": {"region": "Hà Nội", "locality": "Phường Ba Đình", "street_address": "12 Phố Đội Cấn"}},
    {"sub": "sbx-2b81e6d4", "id_number": "001190012345", "name": "Trần Thị Bình", "birthdate": "1990-11-02",
     "gender": "female", "phone_number": "0987000111",
     "address": {"region": "Hà Nội", "locality": "Phường Hoàn Kiếm", "street_address": "5 Hàng Bài"}},
    {"sub": "sbx-c40d5e77", "id_number": "079201004321", "name": "Lê Văn Cường", "birthdate": "2001-06-15",
     "gender": "male", "phone_number": "0903000222",
     "address": {"region": "TP Hồ Chí Minh", "locality": "Phường Sài Gòn", "street_address": "20 Lê Lợi"}},
    {"sub": "sbx-91aa0f3e", "id_number": "048175000888", "name": "Phạm Thị Dung", "birthdate": "1975-01-30",
     "gender": "female", "phone_number": "0935000333",
     "address": {"region": "Đà Nẵng", "locality": "Phường Hải Châu", "street_address": "3 Bạch Đằng"}},
]

# Agency staff, for the staff sign-in flow (a separate client): matched by e-mail to the demo staff
# accounts of seed_demo; they sign in with a password and an app code at this provider (amr).
STAFF_PEOPLE: list[dict[str, Any]] = [
    {"sub": "sbx-staff-0c1e", "email": "officer@example.vn", "name": "Lê Thị Cúc", "staff": True},
    {"sub": "sbx-staff-4d7b", "email": "leader@example.vn", "name": "Hoàng Văn Đức", "staff": True},
]

# Failure switches, one per way a provider can go wrong; "normal" is a good sign-in.
SCENARIOS: dict[str, Any] = {
    "normal": _("Đăng nhập bình thường (mức 2)"),
    "missing_optional": _("Thiếu các thông tin không bắt buộc (điện thoại, địa chỉ, giới tính)"),
    "rotated_key": _("Ký bằng khóa mới (xoay vòng khóa)"),
    "bad_iss": _("Sai bên phát hành (iss)"),
    "bad_aud": _("Sai đối tượng nhận (aud)"),
    "bad_signature": _("Chữ ký sai (khóa khác)"),
    "expired": _("Mã thông báo đã hết hạn"),
    "nonce_mismatch": _("Sai nonce"),
    "low_acr": _("Tài khoản mức 1"),
    "unknown_acr": _("Mức xác thực không xác định"),
    "missing_id_number": _("Thiếu số định danh cá nhân"),
    "access_denied": _("Người dân từ chối (access_denied)"),
    "token_unavailable": _("Máy chủ định danh lỗi khi đổi mã (503)"),
    "no_mfa": _("Cán bộ: chỉ đăng nhập bằng mật khẩu, không có lớp xác thực thứ hai"),
    "email_unverified": _("Cán bộ: thư điện tử chưa được xác minh (email_verified=false)"),
}

# The provider's keys and its "rotated" switch live in the shared cache, like its codes and sessions: with
# several web processes (gunicorn workers, nodes), the one that signs an ID token and the one that
# serves the JWKS must hold the same key. Each process keeps the parsed key, checked against the cache.
_keys: dict[str, tuple[str, RSAKey]] = {}
ROTATED_KEY = "sandbox-idp:rotated"


def key(kid: str) -> RSAKey:
    """"sbx-1" signs; "sbx-2" is the key rotated in; "rogue" is never published (a forger's key)."""
    cache_key = f"sandbox-idp:key:{kid}"
    stored = cache.get(cache_key)
    if stored is None:
        published_kid = "sbx-1" if kid == "rogue" else kid
        made = RSAKey.generate_key(2048, parameters={"kid": published_kid, "use": "sig", "alg": "RS256"})
        cache.add(cache_key, made.as_dict(private=True), timeout=None)  # the first process to store it wins
        stored = cache.get(cache_key) or made.as_dict(private=True)
    known = _keys.get(kid)
    if known is None or known[0] != stored["n"]:
        known = (stored["n"], RSAKey.import_key(stored))
        _keys[kid] = known
    return known[1]


def jwks() -> dict[str, Any]:
    kids = ["sbx-1", "sbx-2"] if cache.get(ROTATED_KEY) else ["sbx-1"]
    return KeySet([key(kid) for kid in kids]).as_dict(private=False)


def person(sub: str) -> dict[str, Any] | None:
    return next((p for p in PEOPLE + STAFF_PEOPLE if p["sub"] == sub), None)


def identity_claims(who: dict[str, Any], scenario: str) -> dict[str, Any]:
    claims = {name: value for name, value in who.items() if name not in ("sub", "staff")}
    if scenario == "missing_id_number":
        claims.pop("id_number")
    if scenario == "missing_optional":
        for name in ("phone_number", "address", "gender"):
            claims.pop(name)
    return claims


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def id_token(*, issuer: str, client_id: str, grant: dict[str, Any]) -> str:
    scenario = grant["scenario"]
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer + "/evil" if scenario == "bad_iss" else issuer,
        "sub": grant["sub"],
        "aud": "another-client" if scenario == "bad_aud" else client_id,
        "iat": now - 600 if scenario == "expired" else now,
        "exp": now - 300 if scenario == "expired" else now + TOKEN_TTL,
        "auth_time": now,
        "nonce": "not-the-nonce-you-sent" if scenario == "nonce_mismatch" else grant["nonce"],
        "acr": {"low_acr": ACR_LEVEL_1, "unknown_acr": "urn:example:loa:high"}.get(scenario, ACR_LEVEL_2),
        "sid": grant["sid"],
        **identity_claims(person(grant["sub"]) or {}, scenario),
    }
    if (person(grant["sub"]) or {}).get("staff"):
        # How the person authenticated here (RFC 8176): a password, and an app code unless switched off.
        claims["amr"] = ["pwd"] if scenario == "no_mfa" else ["pwd", "otp"]
        claims["email_verified"] = scenario != "email_unverified"
    kid = {"bad_signature": "rogue", "rotated_key": "sbx-2"}.get(scenario, "sbx-1")
    if kid == "sbx-2":
        cache.set(ROTATED_KEY, True, timeout=None)
    return jwt.encode({"alg": "RS256", "kid": key(kid).kid, "typ": "JWT"}, claims, key(kid))


def code_issue(grant: dict[str, Any]) -> str:
    code = secrets.token_urlsafe(32)
    cache.set(f"sandbox-idp:code:{code}", grant, CODE_TTL)
    return code


def code_redeem(code: str) -> dict[str, Any] | None:
    """A code works once: the first redemption deletes it (a replayed code is invalid_grant)."""
    cache_key = f"sandbox-idp:code:{code}"
    grant = cache.get(cache_key)
    if grant is not None:
        cache.delete(cache_key)
    return grant


def access_token_issue(grant: dict[str, Any]) -> str:
    token = secrets.token_urlsafe(32)
    cache.set(f"sandbox-idp:access:{token}", grant, TOKEN_TTL)
    return token


def access_token_grant(token: str) -> dict[str, Any] | None:
    return cache.get(f"sandbox-idp:access:{token}")


def session_start(sub: str) -> str:
    sid = secrets.token_urlsafe(24)
    cache.set(f"sandbox-idp:session:{sid}", sub, SESSION_TTL)
    return sid


def session_person(sid: str | None) -> dict[str, Any] | None:
    return person(cache.get(f"sandbox-idp:session:{sid}") or "") if sid else None


def session_client_add(sid: str, client_id: str, redirect_uri: str) -> None:
    """Remember which relying party (and at which address) this provider session signed in to."""
    key_ = f"sandbox-idp:session-clients:{sid}"
    clients = [entry for entry in cache.get(key_, []) if entry != [client_id, redirect_uri]]
    cache.set(key_, [*clients, [client_id, redirect_uri]], SESSION_TTL)


def session_end(sid: str | None) -> list[tuple[str, str, str]]:
    """End the session; the (client_id, redirect_uri, sub) it had signed in to, for back-channel logout."""
    if not sid:
        return []
    sub = cache.get(f"sandbox-idp:session:{sid}")
    clients = cache.get(f"sandbox-idp:session-clients:{sid}", [])
    cache.delete_many([f"sandbox-idp:session:{sid}", f"sandbox-idp:session-clients:{sid}"])
    return [(client_id, redirect_uri, sub) for client_id, redirect_uri in clients] if sub else []


def logout_token(*, issuer: str, client_id: str, sub: str, sid: str) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": client_id, "iat": now, "exp": now + 120, "jti": secrets.token_urlsafe(16),
              "sub": sub, "sid": sid, "events": {"http://schemas.openid.net/event/backchannel-logout": {}}}
    return jwt.encode({"alg": "RS256", "kid": key("sbx-1").kid, "typ": "logout+jwt"}, claims, key("sbx-1"))
