"""Every way the provider or the callback can go wrong is refused with a Vietnamese message, never a 500,
and creates no account."""

from __future__ import annotations

import base64
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from joserfc.jwk import RSAKey

from django.test import Client
from django.urls import reverse

from accounts.identity.models import IdentityLink
from accounts.models import User
from tests.accounts.oidc_support import AN, BINH, choose, local, sign_in, start

pytestmark = pytest.mark.django_db(transaction=True)

REFUSALS = {
    "bad_iss": (403, "Mã định danh không do hệ thống định danh đã cấu hình phát hành."),
    "bad_aud": (403, "Mã định danh không được cấp cho Cổng Dịch vụ công này."),
    "bad_signature": (403, "Chữ ký của mã định danh không hợp lệ."),
    "expired": (403, "Mã định danh đã hết hạn. Vui lòng đăng nhập lại."),
    "nonce_mismatch": (403, "Mã định danh không khớp với yêu cầu đăng nhập này."),
    "low_acr": (403, "Tài khoản định danh điện tử của bạn chưa đạt mức 2."),
    "unknown_acr": (403, "Hệ thống định danh trả về mức xác thực không xác định."),
    "missing_id_number": (403, "Hệ thống định danh không trả về số định danh cá nhân hợp lệ"),
    "token_unavailable": (503, "Hệ thống định danh VNeID (thử nghiệm) hiện không phản hồi."),
}


@pytest.mark.parametrize("scenario", sorted(REFUSALS))
def test_a_bad_answer_from_the_provider_is_refused_and_creates_no_account(client, idp, scenario):
    status, message = REFUSALS[scenario]

    response, _callback = sign_in(client, person=BINH, scenario=scenario)

    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert "Chưa có tài khoản nào được tạo hoặc thay đổi." in page
    assert "001190012345" not in page
    assert not User.objects.exists() and not IdentityLink.objects.exists()
    assert "_auth_user_id" not in client.session


def test_cancelling_at_the_provider_is_not_reported_as_an_outage(client, idp):
    response, _callback = sign_in(client, scenario="access_denied")

    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    page = client.get(response["Location"]).content.decode()
    assert "Bạn đã hủy đăng nhập bằng VNeID (thử nghiệm)." in page
    assert "không phản hồi" not in page
    assert not User.objects.exists()


def test_a_wrong_state_is_refused(client, idp):
    authorize_url, params = start(client)
    callback = choose(client, authorize_url, params)
    query = dict(parse_qsl(urlsplit(callback).query)) | {"state": "tampered"}

    response = client.get(reverse("accounts:identity-callback", args=["sandbox"]) + "?" + urlencode(query))

    assert response.status_code == 400
    assert "tham số state không khớp" in response.content.decode()
    assert not User.objects.exists()


def test_a_replayed_callback_is_refused(client, idp):
    response, callback = sign_in(client)
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    client.get(local(start(client)[0]))  # a new flow in the session, so the old state is just unknown

    replay = client.get(local(callback))

    assert replay.status_code == 400
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 1


def test_the_provider_refuses_a_code_used_twice(client, idp, settings, live_server):
    authorize_url, params = start(client)
    callback = choose(client, authorize_url, params)
    code = dict(parse_qsl(urlsplit(callback).query))["code"]
    client.get(local(callback))  # the portal redeems the code
    secret = settings.SANDBOX_IDP_CLIENTS["portal-sandbox"]["secret"]

    again = Client().post("/sandbox/idp/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"],
        "code_verifier": "x" * 64,
    }, HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"portal-sandbox:{secret}".encode()).decode())

    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_the_authorization_request_uses_pkce_state_nonce_and_asks_for_level_2(client, idp):
    _url, params = start(client)
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["state"] and params["nonce"] and params["state"] != params["nonce"]
    assert params["acr_values"] == "urn:vn:vneid:loa:2"
    assert params["scope"] == "openid profile"


def test_a_callback_without_a_session_is_refused(client, idp):
    authorize_url, params = start(client)
    callback = choose(client, authorize_url, params)

    response = Client().get(local(callback))  # another browser: no session cookie

    assert response.status_code == 400
    assert "Không tìm thấy phiên đăng nhập" in response.content.decode()
    assert not User.objects.exists()


def test_a_code_sent_into_someone_elses_session_is_refused(client, idp, other_citizen):
    """The victim's callback replayed by a signed-in attacker: the state belongs to the victim's session."""
    authorize_url, params = start(client)
    callback = choose(client, authorize_url, params)
    attacker = Client()
    attacker.force_login(other_citizen)
    start(attacker)

    response = attacker.get(local(callback))

    assert response.status_code == 400
    assert User.objects.count() == 1 and not IdentityLink.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/identity/nosuch/login/", "/accounts/identity/nosuch/callback/?code=x&state=y"])
def test_an_unknown_provider_name_is_a_400_with_a_message(client, idp, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Không có hệ thống định danh này." in response.content.decode()


def test_callbacks_are_throttled_per_address(client, idp, settings):
    settings.OIDC_CALLBACK_IP_LIMIT = 2
    url = reverse("accounts:identity-callback", args=["sandbox"]) + "?code=x&state=y"
    assert [client.get(url).status_code for _ in range(3)] == [400, 400, 429]
    assert "Có quá nhiều lần đăng nhập" in client.get(url).content.decode()


def test_a_provider_that_is_down_is_reported_on_the_login_page_within_5_seconds(client, idp, settings):
    settings.OIDC_PROVIDERS = {"sandbox": {**settings.OIDC_PROVIDERS["sandbox"], "issuer": "http://127.0.0.1:9/idp"}}
    began = time.monotonic()
    response = client.get(reverse("accounts:identity-login", args=["sandbox"]), follow=True)
    assert time.monotonic() - began < 5
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Hệ thống định danh VNeID (thử nghiệm) hiện không phản hồi." in response.content.decode()


@pytest.mark.parametrize("switch", ["SANDBOX_IDP_UNAVAILABLE", "SANDBOX_IDP_DELAY_SECONDS"])
def test_a_provider_that_answers_503_or_too_slowly_is_reported_within_5_seconds(client, idp, settings, switch):
    setattr(settings, switch, True if switch == "SANDBOX_IDP_UNAVAILABLE" else 6)
    settings.OIDC_TIMEOUT_SECONDS = 3
    began = time.monotonic()
    response = client.get(reverse("accounts:identity-login", args=["sandbox"]), follow=True)
    assert time.monotonic() - began < 5
    page = response.content.decode()
    assert "Hệ thống định danh VNeID (thử nghiệm) hiện không phản hồi." in page
    assert "sandbox/idp" not in page.split("<main")[-1]  # nothing about the provider's addresses


def test_the_session_cookie_survives_the_providers_redirect(client, idp, settings):
    """A SameSite=Strict cookie is not sent on the cross-site redirect back from the provider."""
    response = client.get(reverse("accounts:identity-login", args=["sandbox"]))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"


def test_private_key_jwt_client_authentication(client, idp, settings):
    key = RSAKey.generate_key(2048)
    settings.OIDC_PROVIDERS = {"sandbox": {**settings.OIDC_PROVIDERS["sandbox"], "client_auth": "private_key_jwt",
                                           "private_key": key.as_pem(private=True).decode(), "client_secret": ""}}
    settings.SANDBOX_IDP_CLIENTS = {"portal-sandbox": {**settings.SANDBOX_IDP_CLIENTS["portal-sandbox"],
                                                       "public_key": key.as_pem(private=False).decode()}}
    response, _callback = sign_in(client)
    assert response.status_code == 302 and User.objects.count() == 1

    client.post(reverse("accounts:logout"))
    other_key = RSAKey.generate_key(2048)
    settings.SANDBOX_IDP_CLIENTS = {"portal-sandbox": {**settings.SANDBOX_IDP_CLIENTS["portal-sandbox"],
                                                       "public_key": other_key.as_pem(private=False).decode()}}
    refused, _callback = sign_in(client)
    assert refused.status_code == 403


def test_sign_ins_of_one_provider_account_are_throttled(client, idp, settings):
    settings.OIDC_ACCOUNT_LIMIT = 2
    for _attempt in range(2):
        assert sign_in(client, person=BINH)[0].status_code == 302
        client.post(reverse("accounts:logout"))

    response, _callback = sign_in(client, person=BINH)

    assert response.status_code == 429
    assert "vừa đăng nhập quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not held back by it.
    client.post(reverse("accounts:logout"))
    assert sign_in(client, person=AN)[0].status_code == 302
