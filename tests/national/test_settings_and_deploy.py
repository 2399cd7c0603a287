"""`check --deploy` refuses a national link pointing at the local sandbox or without credentials, and the
sandbox national portal does not exist with DEBUG off."""

from __future__ import annotations

import pytest

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from national.checks import national_portal_configured


def _production_link(settings):
    settings.NATIONAL_PORTAL_URL = "https://national.example.vn/api"
    settings.NATIONAL_PORTAL_TOKEN, settings.NATIONAL_PORTAL_SECRET = "token", "secret"
    settings.NATIONAL_INBOUND_TOKEN, settings.NATIONAL_INBOUND_SECRET = "in-token", "in-secret"


def test_a_configured_link_passes(settings):
    _production_link(settings)
    assert national_portal_configured(None) == []


def test_check_deploy_refuses_the_sandbox_national_portal(db, settings):
    _production_link(settings)
    settings.NATIONAL_PORTAL_URL = "http://127.0.0.1:8000/sandbox/national/api"

    with pytest.raises(SystemCheckError, match=r"national\.E001"):
        call_command("check", deploy=True)


@pytest.mark.parametrize("name, code", [("NATIONAL_PORTAL_SECRET", "E002"), ("NATIONAL_INBOUND_TOKEN", "E003")])
def test_check_deploy_refuses_a_link_without_credentials(settings, name, code):
    _production_link(settings)
    setattr(settings, name, "")

    assert [error.id for error in national_portal_configured(None)] == [f"national.{code}"]
