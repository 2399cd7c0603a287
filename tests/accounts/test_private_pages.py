"""Signed-in pages are never stored by the browser or a proxy (shared counter PCs)."""

import pytest

from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/dossiers/", "/accounts/profile/", "/procedures/", "/notifications/"])
def test_signed_in_responses_carry_no_store_private(client, citizen, url):
    client.force_login(citizen)
    response = client.get(url)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives
    assert "public" not in directives


def test_officer_pages_too(client, officer):
    client.force_login(officer)
    response = client.get(reverse("applications:officer-home"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_anonymous_pages_keep_their_caching(client, db):
    response = client.get("/procedures/")
    assert "no-store" not in response.get("Cache-Control", "")
