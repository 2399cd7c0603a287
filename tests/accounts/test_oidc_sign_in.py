"""A citizen signs in through the sandbox e-identity provider: account keyed on subject and ID number,
verified details from the claims, linking of password accounts, sign-out at the provider too."""

from __future__ import annotations

from datetime import date

import pytest

from django.urls import reverse

from accounts.identity.models import IdentityLink
from accounts.models import Role, User
from tests.accounts.oidc_support import AN, BINH, choose, local, sign_in, start

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_citizen_signs_in_and_gets_an_account_with_verified_details(client, idp):
    response, _callback = sign_in(client, person=BINH)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:my-dossiers")
    user = signed_in_user(client)
    assert user is not None and user.role == Role.CITIZEN
    assert (user.full_name, user.id_number, user.date_of_birth, user.sex) == (
        "Trần Thị Bình", "001190012345", date(1990, 11, 2), "female")
    assert user.permanent_address == {"province": "Hà Nội", "commune": "Phường Hoàn Kiếm", "detail": "5 Hàng Bài"}
    assert user.phone == "0987000111"
    assert user.identity_verified_at is not None and user.identity_level == 2
    assert not user.has_usable_password()
    link = IdentityLink.objects.get(user=user)
    assert (link.provider, link.subject, link.assurance_level) == ("sandbox", BINH, 2)

    # The profile shows the verified details and does not let them be edited.
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "001190012345" in profile and "Trần Thị Bình" in profile
    assert 'name="id_number"' in profile and "disabled" in profile.split('name="id_number"')[1].split(">")[0]
    assert "Giới tính</dt><dd class=\"col-7\">Nữ" in profile and "Mức 2" in profile


def test_signing_in_again_finds_the_same_account(client, idp):
    sign_in(client, person=BINH)
    first = signed_in_user(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, person=BINH)

    assert signed_in_user(client) == first
    assert User.objects.filter(id_number="001190012345").count() == 1


def test_a_password_account_with_the_same_number_is_linked_on_first_sign_in(client, idp, other_citizen):
    # given: Trần Thị Bình filed before with a password account and typed her number on her profile
    other_citizen.id_number = "001190012345"
    other_citizen.save()

    response, _callback = sign_in(client, person=BINH)

    assert response.status_code == 302
    assert signed_in_user(client) == other_citizen
    other_citizen.refresh_from_db()
    assert other_citizen.identity_verified_at is not None
    assert other_citizen.email == "citizen2@example.vn" and other_citizen.phone == "0912000002"
    assert other_citizen.has_usable_password()  # the password still works alongside e-identity
    assert IdentityLink.objects.get().user == other_citizen
    assert User.objects.filter(role=Role.CITIZEN).count() == 1


def test_an_account_with_only_the_same_phone_is_never_merged(client, idp, citizen):
    """The demo "Nguyễn Văn An" has the citizen fixture's phone, but the fixture has no verified number."""
    sign_in(client, person=AN)

    user = signed_in_user(client)
    assert user != citizen
    assert user.id_number == "001084000999"
    assert user.phone is None  # the phone is the other account's sign-in name
    citizen.refresh_from_db()
    assert citizen.id_number is None and citizen.identity_verified_at is None


def test_a_staff_account_holding_the_number_is_not_taken_over(client, idp, officer):
    officer.id_number = "001190012345"
    officer.save()

    response, _callback = sign_in(client, person=BINH)

    assert response.status_code == 403
    assert "tài khoản cán bộ" in response.content.decode()
    assert signed_in_user(client) is None
    assert not IdentityLink.objects.exists()


def test_the_citizen_goes_back_to_the_page_they_asked_for(client, idp):
    response, _callback = sign_in(client, next_url="/procedures/")
    assert response["Location"] == "/procedures/"


def test_an_outside_next_address_is_ignored(client, idp):
    response, _callback = sign_in(client, next_url="https://evil.example/")
    assert response["Location"] == reverse("applications:my-dossiers")


def test_missing_optional_claims_do_not_stop_the_sign_in(client, idp):
    response, _callback = sign_in(client, person=BINH, scenario="missing_optional")

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user.id_number == "001190012345"
    assert (user.phone, user.permanent_address, user.sex) == (None, {}, "")


def test_a_rotated_signing_key_is_fetched_once_and_accepted(client, idp):
    sign_in(client, person=BINH)  # the portal now caches the provider's first key
    client.post(reverse("accounts:logout"))

    response, _callback = sign_in(client, person=BINH, scenario="rotated_key")

    assert response.status_code == 302
    assert signed_in_user(client) is not None


def test_the_login_page_offers_each_configured_provider(client, idp, settings, django_assert_max_num_queries):
    settings.OIDC_PROVIDERS = {**settings.OIDC_PROVIDERS,
                               "dvcqg": {**settings.OIDC_PROVIDERS["sandbox"], "name": "dvcqg",
                                         "label": "Cổng DVC quốc gia"}}
    with django_assert_max_num_queries(3):
        page = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập bằng VNeID (thử nghiệm)" in page and "Đăng nhập bằng Cổng DVC quốc gia" in page
    assert reverse("accounts:identity-login", args=["dvcqg"]) in page


def test_signing_out_ends_the_providers_session_too(client, idp):
    authorize_url, params = start(client)
    client.get(local(choose(client, authorize_url, params, person=BINH)))
    assert "Bạn đang đăng nhập VNeID" in client.get(local(start(client)[0])).content.decode()

    page = client.post(reverse("accounts:logout"))

    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    body = page.content.decode()
    provider_logout = body.split('http-equiv="refresh" content="0;url=')[1].split('"')[0].replace("&amp;", "&")
    assert provider_logout.startswith(idp + "/logout?")
    assert "001190012345" not in provider_logout  # no ID token (it carries the number) in a URL
    back = client.get(local(provider_logout))
    assert back["Location"].split("?")[0].endswith(reverse("accounts:identity-signed-out"))
    home = client.get(local(back["Location"]), follow=True)
    assert "Bạn đã đăng xuất khỏi Cổng Dịch vụ công và hệ thống định danh điện tử." in home.content.decode()
    # The provider no longer knows the citizen: its page asks again.
    assert "Bạn đang đăng nhập VNeID" not in client.get(local(start(client)[0])).content.decode()


def test_a_password_sign_out_stays_a_plain_sign_out(client, idp, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302


def test_password_sign_up_can_be_switched_off(client, settings):
    settings.CITIZEN_PASSWORD_SIGNUP = False
    response = client.get(reverse("accounts:signup"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "không cần đăng ký" in response.content.decode()
    assert 'href="/accounts/signup/"' not in response.content.decode()
    response = client.post(reverse("accounts:signup"), {"full_name": "X", "email": "x@example.vn",
                                                         "password1": "mat-khau-dai-2026", "password2": "mat-khau-dai-2026"})
    assert response.status_code == 302 and not User.objects.filter(email="x@example.vn").exists()


def test_the_language_chosen_before_leaving_for_the_provider_survives_the_round_trip(client, idp, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the citizen switched to English, then signed in

    response, _callback = sign_in(client, person=BINH)

    user = signed_in_user(client)
    assert user.preferred_language == "en"  # saved for emails and SMS
    page = client.get(response["Location"])
    assert page.status_code == 200 and '<html lang="en"' in page.content.decode()


def test_the_saved_language_of_a_linked_account_is_used_after_e_identity_sign_in(client, idp, settings, other_citizen):
    other_citizen.id_number = "001190012345"
    other_citizen.preferred_language = "en"
    other_citizen.save()

    response, _callback = sign_in(client, person=BINH)  # no choice on this device yet

    assert signed_in_user(client) == other_citizen
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"])
    assert '<html lang="en"' in page.content.decode()
