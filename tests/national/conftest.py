"""The national portal link against the local national portal (sandbox app) on the live server."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import pytest

from django.test import Client

from applications import workflow
from applications.models import Dossier, Status
from national.protocol import NationalPortalClient
from sandbox import national as sandbox_national
from tests.factories import make_dossier, make_procedure


@dataclass
class Portal:
    url: str
    client: Client

    def switch(self, mode: str, slow_seconds: float | None = None) -> None:
        sandbox_national.switch_set(mode, slow_seconds)


@pytest.fixture
def national_portal(live_server, settings) -> Portal:
    """The sandbox national portal on the live server, up, with its retry delays shortened."""
    settings.SITE_URL = live_server.url
    settings.NATIONAL_PORTAL_URL = live_server.url + "/sandbox/national/api"
    settings.NATIONAL_FILE_URL_PREFIX = settings.NATIONAL_PORTAL_URL
    settings.NATIONAL_PORTAL_TOKEN = "test-national-token"
    settings.NATIONAL_PORTAL_SECRET = "test-national-secret"
    settings.SANDBOX_NATIONAL_TOKEN = "test-national-token"
    settings.SANDBOX_NATIONAL_SECRET = "test-national-secret"
    settings.NATIONAL_INBOUND_TOKEN = "test-inbound-token"
    settings.NATIONAL_INBOUND_SECRET = "test-inbound-secret"
    settings.NATIONAL_PORTAL_TIMEOUT = 2.0
    sandbox_national.switch_set("up", 0.0)
    return Portal(url=live_server.url, client=Client(HTTP_HOST=urlparse(live_server.url).netloc))


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune, time_value=3)


def submitted(version, agency, owner) -> Dossier:
    draft = make_dossier(version, agency, owner, status=Status.DRAFT)
    workflow.dossier_submit(draft, actor=owner)
    return draft


def client_with(**changes) -> NationalPortalClient:
    base = NationalPortalClient.from_settings()
    return NationalPortalClient(**{**base.__dict__, **changes})
