"""Staff sessions: inactivity and browser-close expiry, the re-check before sensitive actions, the
admin's reset of a lost device."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.urls import reverse

from accounts.two_factor import LAST_SEEN_KEY, PENDING_POST_KEY, VERIFIED_AT_KEY, recovery_codes_issue
from applications.models import Status
from tests.applications.officer.conftest import Cast, drive, new_draft
from tests.factories import make_procedure
from tests.support.two_factor import totp_code

pytestmark = pytest.mark.django_db

RECHECK = "/accounts/two-factor/recheck/"


def _age(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def submitted(citizen, officer, specialist, leader, commune):
    version = make_procedure(agency=commune, time_value=3)
    return drive(new_draft(version, commune, citizen), Status.SUBMITTED, Cast(citizen, officer, specialist, leader))


# --- Inactivity and browser close ---------------------------------------------------------------------


def test_a_staff_session_ends_after_30_idle_minutes(client, officer, settings):
    assert settings.STAFF_SESSION_IDLE_MINUTES == 30
    client.force_login(officer)
    _age(client, LAST_SEEN_KEY, 29 * 60)
    assert client.get("/officer/").status_code == 200
    _age(client, LAST_SEEN_KEY, 31 * 60)
    response = client.get("/officer/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fofficer%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "không có thao tác trong 30 phút" in page


def test_the_idle_limit_is_a_setting(client, officer, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(officer)
    _age(client, LAST_SEEN_KEY, 6 * 60)
    assert client.get("/officer/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_citizen_session_has_no_idle_limit(client, citizen):
    client.force_login(citizen)
    _age(client, LAST_SEEN_KEY, 24 * 3600)
    assert client.get(reverse("applications:my-dossiers")).status_code == 200


@pytest.mark.second_factor
def test_the_staff_session_cookie_ends_with_the_browser(client, officer):
    client.force_login(officer)
    response = client.post("/accounts/two-factor/verify/", {"otp_token": totp_code(TOTPDevice.objects.get(user=officer))})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


# --- The re-check before sensitive actions ----------------------------------------------------------


def test_refusing_a_dossier_asks_for_the_code_again_after_the_window_and_loses_nothing(client, officer, submitted):
    client.force_login(officer)
    _age(client, VERIFIED_AT_KEY, 11 * 60)
    action = reverse("applications:officer-action", kwargs={"code": submitted.code, "action": "refuse"})
    detail = reverse("applications:officer-dossier", kwargs={"code": submitted.code})
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã"
    data = {"refuse-expected_version": submitted.version, "refuse-reason": reason}

    response = client.post(action, data, HTTP_REFERER="http://testserver" + detail)
    assert response.status_code == 302 and response["Location"].startswith(RECHECK)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

    page = client.get(response["Location"]).content.decode()
    assert "Thông tin bạn đã nhập được giữ lại" in page
    resubmit = client.post(response["Location"], {"otp_token": totp_code(TOTPDevice.objects.get(user=officer))})
    assert resubmit.status_code == 200
    form = resubmit.content.decode()
    assert f'action="{action}"' in form and reason in form
    assert PENDING_POST_KEY not in client.session

    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    hidden.pop("csrfmiddlewaretoken", None)
    done = client.post(action, hidden)
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.REFUSED


def test_within_the_window_a_decision_needs_no_new_code(client, officer, submitted):
    client.force_login(officer)
    _age(client, VERIFIED_AT_KEY, 9 * 60)
    action = reverse("applications:officer-action", kwargs={"code": submitted.code, "action": "refuse"})
    client.post(action, {"refuse-expected_version": submitted.version, "refuse-reason": "Không thuộc thẩm quyền"})
    submitted.refresh_from_db()
    assert submitted.status == Status.REFUSED


def test_ordinary_actions_do_not_ask_again(client, officer, submitted):
    client.force_login(officer)
    _age(client, VERIFIED_AT_KEY, 60 * 60)
    action = reverse("applications:officer-action", kwargs={"code": submitted.code, "action": "receive"})
    assert client.post(action, {"receive-expected_version": submitted.version}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED


@pytest.mark.parametrize("url", [
    "/officer/tracking-book/export/", "/officer/tracking-book/?format=xlsx", "/payments/report/?format=xlsx",
])
def test_exports_of_personal_data_ask_for_the_code_again(client, officer, url):
    client.force_login(officer)
    _age(client, VERIFIED_AT_KEY, 11 * 60)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(RECHECK + "?next=")
    back = client.post(response["Location"], {"otp_token": totp_code(TOTPDevice.objects.get(user=officer))})
    assert back.status_code == 302 and back["Location"] == url
    export = client.get(url)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_report_page_itself_does_not_ask_again(client, officer):
    client.force_login(officer)
    _age(client, VERIFIED_AT_KEY, 11 * 60)
    assert client.get("/payments/report/").status_code == 200
    assert client.get("/officer/tracking-book/").status_code == 200


# --- Recovery codes and the admin's reset ------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    old = recovery_codes_issue(officer)
    client.force_login(officer)
    response = client.post("/accounts/two-factor/recovery-codes/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page)
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticDevice.objects.get(user=officer).token_set.filter(token__in=old).exists()


def test_an_admin_resets_a_lost_device_and_the_officer_enrols_again(client, admin_user, officer):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(officer)
    recovery_codes_issue(officer)
    assert officer_client.get("/officer/").status_code == 200

    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "second_factor_reset_action", "_selected_action": [officer.pk],
    })
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    # The officer's open session lost its device at once: the next page is enrolment.
    after = officer_client.get("/officer/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/two-factor/setup/")


def test_the_admin_shows_no_device_secrets(client, admin_user, officer):
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert TOTPDevice.objects.get(user=officer).key not in page


def test_staff_find_their_recovery_codes_from_the_profile(client, officer, citizen):
    recovery_codes_issue(officer)
    client.force_login(officer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'href="/accounts/two-factor/recovery-codes/"' in page
    assert "Bạn còn 10 mã khôi phục chưa dùng" in client.get("/accounts/two-factor/recovery-codes/").content.decode()
    client.force_login(citizen)
    assert "/accounts/two-factor/" not in client.get(reverse("accounts:profile")).content.decode()
