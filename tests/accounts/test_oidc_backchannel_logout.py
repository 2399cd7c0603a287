"""Signing out at the provider ends the portal session too (OpenID Connect Back-Channel Logout 1.0)."""

from __future__ import annotations

import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from django.test import Client
from django.urls import reverse

from sandbox import idp as sandbox_idp
from tests.accounts.oidc_support import BINH, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/accounts/identity/sandbox/backchannel-logout/"


@pytest.fixture
def browser_client(live_server):
    """A test client whose requests carry the live server's host, so the provider can call the portal back."""
    return Client(HTTP_HOST=live_server.url.split("//")[1])


def test_signing_out_at_the_provider_ends_the_portal_session(browser_client, idp):
    response, _callback = sign_in(browser_client, person=BINH)
    assert response.status_code == 302
    assert browser_client.get(reverse("accounts:profile")).status_code == 200

    # The citizen signs out on the provider's own site (no return to the portal).
    page = browser_client.get("/sandbox/idp/logout")
    assert "Đã đăng xuất khỏi VNeID thử nghiệm." in page.content.decode()

    assert browser_client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:login"))


def _token(idp_issuer: str, signing_key, **changes) -> str:
    now = int(time.time())
    claims = {"iss": idp_issuer, "aud": "portal-sandbox", "iat": now, "exp": now + 120, "jti": uuid.uuid4().hex,
              "sub": BINH, "sid": "s1", "events": {"http://schemas.openid.net/event/backchannel-logout": {}}}
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": "RS256", "kid": "sbx-1"}, claims, signing_key)


@pytest.mark.parametrize("changes", [
    {"aud": "another-client"}, {"iss": "https://evil.example"}, {"events": None}, {"nonce": "n"},
    {"sid": None, "sub": None}, {"forged": True},
])
def test_a_bad_logout_token_is_refused_and_ends_nothing(browser_client, idp, changes):
    sign_in(browser_client, person=BINH)
    forged = changes.pop("forged", False)
    key = RSAKey.generate_key(2048) if forged else sandbox_idp.key("sbx-1")
    # The provider's real session id (its cookie), so only the changed claim is wrong.
    claims = {"sid": browser_client.cookies["sandbox_idp_sid"].value, **changes}
    response = Client().post(URL, {"logout_token": _token(idp, key, **claims)})
    assert response.status_code == 400
    assert browser_client.get(reverse("accounts:profile")).status_code == 200


def test_a_logout_token_works_once(browser_client, idp):
    sign_in(browser_client, person=BINH)
    token = _token(idp, sandbox_idp.key("sbx-1"), sid=browser_client.cookies["sandbox_idp_sid"].value)
    assert Client().post(URL, {"logout_token": token}).status_code == 200
    assert browser_client.get(reverse("accounts:profile")).status_code == 302
    assert Client().post(URL, {"logout_token": token}).status_code == 400
