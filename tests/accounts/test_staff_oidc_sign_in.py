"""Staff sign in through an agency's OpenID Connect provider (the sandbox's staff client, over HTTP).

Only existing staff accounts, matched on the configured claim; the provider's amr counts as the
second factor only when the settings say it enforces one."""

from __future__ import annotations

import time

import django_otp
import pytest

from django.test import Client
from django.urls import reverse

from accounts.identity.models import IdentityLink, ProviderMfaDevice
from accounts.models import Role, User
from accounts.two_factor import VERIFIED_AT_KEY
from tests.accounts.oidc_support import BINH, STAFF_CUC, choose, local, staff_sign_in, staff_start, start

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_id(client):
    return client.session.get("_auth_user_id")


def test_an_officer_signs_in_through_the_agency_provider_that_enforces_a_second_factor(client, staff_idp, officer):
    accounts_before = User.objects.count()

    response, _callback = staff_sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:officer-home")
    assert signed_in_id(client) == str(officer.pk)
    device = ProviderMfaDevice.objects.get(user=officer)
    assert client.session[django_otp.DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("applications:officer-home")).status_code == 200
    # Nothing was created or granted from the claims.
    officer.refresh_from_db()
    assert User.objects.count() == accounts_before and officer.role == Role.OFFICER
    assert not IdentityLink.objects.exists()


def test_the_login_page_offers_the_agency_provider_to_staff(client, staff_idp):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Cán bộ đăng nhập bằng Hệ thống định danh cơ quan (thử nghiệm)" in page
    assert reverse("accounts:staff-identity-login", args=["sandbox"]) in page


def test_our_code_is_still_asked_when_the_provider_is_not_said_to_enforce_a_second_factor(
        client, live_server, settings, officer):
    from tests.accounts.oidc_support import staff_provider_at
    staff_provider_at(live_server, settings, enforces_mfa=False)  # amr says "otp", but the setting decides

    response, _callback = staff_sign_in(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:verify"))
    assert signed_in_id(client) == str(officer.pk)
    queue = client.get(reverse("applications:officer-home"))
    assert queue.status_code == 302 and queue["Location"].startswith(reverse("two_factor:verify"))
    assert not ProviderMfaDevice.objects.exists()


def test_a_sign_in_without_a_second_factor_at_the_provider_still_asks_for_our_code(client, staff_idp, officer):
    response, _callback = staff_sign_in(client, scenario="no_mfa")

    assert response["Location"].startswith(reverse("two_factor:verify"))
    assert client.get(reverse("applications:officer-home")).status_code == 302


def test_an_unknown_member_of_staff_is_refused_and_no_account_is_made(client, staff_idp, province):
    response, _callback = staff_sign_in(client)

    assert response.status_code == 403
    body = response.content.decode()
    assert "chưa được gắn với tài khoản cán bộ nào trên Cổng" in body
    assert signed_in_id(client) is None
    assert not User.objects.filter(email="officer@example.vn").exists()


def test_a_citizen_subject_on_the_staff_flow_is_refused(client, staff_idp, other_citizen):
    response, _callback = staff_sign_in(client, person=BINH)  # a citizen at the provider: no staff e-mail

    assert response.status_code == 403
    assert signed_in_id(client) is None
    assert User.objects.count() == 1


def test_a_citizen_account_holding_the_matched_email_is_not_signed_in_as_staff(client, staff_idp, citizen):
    citizen.email = "officer@example.vn"
    citizen.save()

    response, _callback = staff_sign_in(client, person=STAFF_CUC)

    assert response.status_code == 403
    assert "không phải tài khoản cán bộ" in response.content.decode()
    assert signed_in_id(client) is None
    citizen.refresh_from_db()
    assert citizen.role == Role.CITIZEN


def test_a_wrong_state_is_refused(client, staff_idp, officer):
    authorize_url, params = staff_start(client)
    callback = choose(client, authorize_url, {**params, "state": "not-the-state"}, person=STAFF_CUC)

    response = client.get(local(callback))

    assert response.status_code == 400
    assert "tham số state không khớp" in response.content.decode()
    assert signed_in_id(client) is None


def test_a_citizen_flows_state_does_not_complete_a_staff_sign_in(client, staff_idp, idp, officer):
    authorize_url, params = start(client)  # the citizen flow's state, at the same provider
    citizen_callback = choose(client, authorize_url, params, person=STAFF_CUC)
    staff_callback = local(citizen_callback).replace("/accounts/identity/", "/accounts/staff-identity/")

    response = client.get(staff_callback)

    assert response.status_code == 400
    assert signed_in_id(client) is None


def test_a_wrong_nonce_is_refused(client, staff_idp, officer):
    response, _callback = staff_sign_in(client, scenario="nonce_mismatch")

    assert response.status_code == 403
    assert "không khớp với yêu cầu đăng nhập này" in response.content.decode()
    assert signed_in_id(client) is None


def test_a_provider_that_is_down_is_reported_within_5_seconds(client, staff_idp, settings):
    settings.STAFF_OIDC_PROVIDERS = {"sandbox": {**settings.STAFF_OIDC_PROVIDERS["sandbox"],
                                                 "issuer": "http://127.0.0.1:9/idp"}}
    began = time.monotonic()
    response = client.get(reverse("accounts:staff-identity-login", args=["sandbox"]), follow=True)
    assert time.monotonic() - began < 5
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Hệ thống định danh Hệ thống định danh cơ quan (thử nghiệm) hiện không phản hồi." in response.content.decode()


def test_a_provider_that_answers_too_slowly_is_reported_within_5_seconds(client, staff_idp, settings):
    settings.SANDBOX_IDP_DELAY_SECONDS = 6
    settings.OIDC_TIMEOUT_SECONDS = 3
    began = time.monotonic()
    response = client.get(reverse("accounts:staff-identity-login", args=["sandbox"]), follow=True)
    assert time.monotonic() - began < 5
    assert "hiện không phản hồi" in response.content.decode()


def test_a_token_endpoint_failure_is_a_clear_503(client, staff_idp, officer):
    response, _callback = staff_sign_in(client, scenario="token_unavailable")
    assert response.status_code == 503
    assert "hiện không phản hồi" in response.content.decode()


def test_sign_ins_are_throttled_per_account(client, staff_idp, officer, settings):
    settings.OIDC_ACCOUNT_LIMIT = 1
    assert staff_sign_in(client)[0].status_code == 302
    client.post(reverse("accounts:logout"))

    response, _callback = staff_sign_in(client)

    assert response.status_code == 429
    assert "vừa đăng nhập quá nhiều lần" in response.content.decode()
    assert signed_in_id(client) is None


def test_the_recheck_before_a_sensitive_action_is_done_again_at_the_provider(client, staff_idp, officer, settings):
    staff_sign_in(client)
    session = client.session
    session[VERIFIED_AT_KEY] = int(time.time()) - settings.STAFF_2FA_RECHECK_MINUTES * 60 - 5
    session.save()

    page = client.get(reverse("two_factor:recheck") + "?next=/officer/").content.decode()
    assert "Xác thực lại bằng Hệ thống định danh cơ quan (thử nghiệm)" in page
    response, _callback = staff_sign_in(client, query="?fresh=1&next=/officer/")

    assert response.status_code == 302 and response["Location"] == "/officer/"
    assert time.time() - client.session[VERIFIED_AT_KEY] < 60


def test_a_recheck_by_another_person_at_the_provider_is_refused(client, staff_idp, officer, leader, settings):
    staff_sign_in(client)
    verified_at = client.session[VERIFIED_AT_KEY]

    response, _callback = staff_sign_in(client, person="sbx-staff-4d7b", query="?fresh=1")

    assert response.status_code == 403
    assert signed_in_id(client) == str(officer.pk)
    assert client.session[VERIFIED_AT_KEY] == verified_at


def test_the_language_chosen_before_the_agency_sign_in_is_kept(client, staff_idp, officer, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response, _callback = staff_sign_in(client)

    officer.refresh_from_db()
    assert officer.preferred_language == "en"
    assert '<html lang="en"' in client.get(response["Location"]).content.decode()


def test_signing_out_at_the_agency_provider_ends_the_staff_session(staff_idp, live_server, officer):
    browser = Client(HTTP_HOST=live_server.url.split("//")[1])  # the provider calls this host back
    staff_sign_in(browser)
    assert browser.get(reverse("applications:officer-home")).status_code == 200

    browser.get("/sandbox/idp/logout")  # signed out on the provider's own site

    assert browser.get(reverse("applications:officer-home"))["Location"].startswith(reverse("accounts:login"))


def test_a_forged_staff_logout_token_ends_nothing(client, staff_idp, officer):
    staff_sign_in(client)
    response = Client().post(reverse("accounts:staff-identity-backchannel-logout", args=["sandbox"]),
                             {"logout_token": "not.a.token"})
    assert response.status_code == 400
    assert client.get(reverse("applications:officer-home")).status_code == 200


def test_an_email_the_provider_says_is_unverified_matches_no_one(client, staff_idp, officer):
    response, _callback = staff_sign_in(client, scenario="email_unverified")

    assert response.status_code == 403
    assert "chưa xác minh thông tin dùng để nhận diện" in response.content.decode()
    assert signed_in_id(client) is None
