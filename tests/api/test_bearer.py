"""A citizen's access token from the identity provider (the sandbox VNeID over HTTP) opens their dossiers."""

from __future__ import annotations

import pytest

from django.test import Client
from django.urls import reverse

from accounts.identity.models import IdentityLink
from sandbox import idp
from tests.accounts.oidc_support import BINH, sandbox_provider_at, sign_in
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bearer_token_from_the_provider_opens_only_that_citizens_dossiers(api, live_server, settings, commune,
                                                                            citizen, version):
    sandbox_provider_at(live_server, settings)
    sign_in(Client())  # the first e-identity sign-in creates Trần Thị Bình's account and its link
    binh = IdentityLink.objects.get(provider="sandbox", subject=BINH).user
    hers, not_hers = make_dossier(version, commune, binh), make_dossier(version, commune, citizen)
    token = idp.access_token_issue({"sub": BINH, "scenario": "normal"})

    response = api.get(reverse("api:my-dossiers"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    codes = {row["code"] for row in response.json()["results"]}
    assert codes == {hers.code} and not_hers.code not in codes
    assert api.get(reverse("api:my-dossier", args=[not_hers.code]),
                   HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404

    refused = api.get(reverse("api:my-dossiers"), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert refused.status_code == 401 and refused["Content-Type"].startswith("application/problem+json")


def test_a_provider_that_is_down_is_a_401_that_says_so(api, settings, live_server):
    provider = {**settings.OIDC_PROVIDERS["sandbox"], "issuer": "http://127.0.0.1:9/sandbox/idp"}
    settings.OIDC_PROVIDERS = {"sandbox": provider}
    response = api.get(reverse("api:my-dossiers"), HTTP_AUTHORIZATION="Bearer abc", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 401
    assert "gián đoạn" in response.json()["detail"]
