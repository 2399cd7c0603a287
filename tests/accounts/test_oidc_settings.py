"""Providers come entirely from the environment; password sign-up is off once one is configured in production."""

from __future__ import annotations

import pytest

from tests.portal.test_deployment import PRODUCTION_ENV, _manage

VNEID = {"OIDC_PROVIDERS": "vneid,dvcqg", "OIDC_VNEID_ISSUER": "https://sso.vneid.example.vn",
         "OIDC_VNEID_CLIENT_ID": "portal", "OIDC_VNEID_CLIENT_SECRET": "s", "OIDC_VNEID_LABEL": "VNeID",
         "OIDC_DVCQG_ISSUER": "https://sso.dichvucong.example.vn/", "OIDC_DVCQG_CLIENT_ID": "portal-2",
         "OIDC_DVCQG_CLIENT_AUTH": "client_secret_post", "OIDC_DVCQG_CLAIM_ID_NUMBER": "so_dinh_danh",
         "OIDC_DVCQG_ACR_LEVELS": "loa2=2,loa3=3", "OIDC_DVCQG_MIN_LEVEL": "3"}
SHOW = ("from django.conf import settings as s; p = s.OIDC_PROVIDERS; "
        "print(s.CITIZEN_PASSWORD_SIGNUP, sorted(p), p['dvcqg']['issuer'], p['dvcqg']['claims']['id_number'], "
        "p['dvcqg']['acr_levels'], p['dvcqg']['min_level'], p['vneid']['client_auth'])")


def test_two_providers_are_read_from_the_environment_and_password_sign_up_is_off():
    result = _manage("shell", "--no-imports", "-c", SHOW, env={**PRODUCTION_ENV, **VNEID})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['dvcqg', 'vneid'] https://sso.dichvucong.example.vn so_dinh_danh {'loa2': 2, 'loa3': 3} 3 "
        "client_secret_basic")


@pytest.mark.parametrize("env, signup", [({}, "True"), ({"CITIZEN_PASSWORD_SIGNUP": "1"}, "True")])
def test_password_sign_up_stays_without_a_provider_or_when_asked_for(env, signup):
    extra = {**VNEID, **env} if env else {}
    result = _manage("shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.CITIZEN_PASSWORD_SIGNUP)",
                     env={**PRODUCTION_ENV, **extra})
    assert result.stdout.strip() == signup, result.stderr


@pytest.mark.parametrize("broken, message", [
    ({"OIDC_VNEID_ISSUER": ""}, "OIDC_VNEID_ISSUER and OIDC_VNEID_CLIENT_ID are required"),
    ({"OIDC_VNEID_CLIENT_AUTH": "none"}, "OIDC_VNEID_CLIENT_AUTH must be"),
    ({"OIDC_VNEID_ACR_LEVELS": "loa2"}, "OIDC_VNEID_ACR_LEVELS must be 'acr=level' pairs"),
])
def test_a_broken_provider_configuration_is_refused_at_start_up(broken, message):
    result = _manage("check", env={**PRODUCTION_ENV, **VNEID, **broken})
    assert result.returncode != 0 and message in result.stderr
