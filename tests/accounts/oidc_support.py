"""Signing in through the sandbox identity provider over HTTP, with Django's test client as the browser.

The portal (the relying party) talks to the provider over real HTTP (discovery, token, JWKS, userinfo)
on the live server; the test client plays the citizen's browser on both sides."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

AN = "sbx-7f3a9c21"  # Nguyễn Văn An, 001084000999
BINH = "sbx-2b81e6d4"  # Trần Thị Bình, 001190012345


def sandbox_provider_at(live_server, settings) -> str:
    """Configure the sandbox provider at the live server's address; its issuer."""
    provider = {**settings.OIDC_PROVIDERS["sandbox"], "issuer": live_server.url + "/sandbox/idp"}
    settings.OIDC_PROVIDERS = {"sandbox": provider}
    return live_server.url + "/sandbox/idp"


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start(client, next_url: str = ""):
    """Click "Đăng nhập bằng VNeID": the provider's authorize URL and its parameters."""
    response = client.get("/accounts/identity/sandbox/login/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], dict(parse_qsl(urlsplit(response["Location"]).query))


def choose(client, authorize_url: str, params: dict, *, person: str = BINH, scenario: str = "normal") -> str:
    """On the provider's page: pick a demo citizen and a scenario; the callback URL it sends back."""
    page = client.get(local(authorize_url))
    assert page.status_code == 200
    answer = client.post(urlsplit(authorize_url).path, {**params, "person": person, "scenario": scenario})
    assert answer.status_code == 302
    return answer["Location"]


def sign_in(client, *, person: str = BINH, scenario: str = "normal", next_url: str = ""):
    authorize_url, params = start(client, next_url)
    callback = choose(client, authorize_url, params, person=person, scenario=scenario)
    return client.get(local(callback)), callback


# --- Staff sign-in through an agency provider (the sandbox's staff client) -------------------------

STAFF_CUC = "sbx-staff-0c1e"  # Lê Thị Cúc, officer@example.vn


def staff_provider_at(live_server, settings, **extra) -> str:
    """Configure the sandbox as the agency's provider for staff at the live server's address."""
    config = settings.STAFF_OIDC_PROVIDERS["sandbox"]
    settings.STAFF_OIDC_PROVIDERS = {"sandbox": {**config, "issuer": live_server.url + "/sandbox/idp",
                                                 "extra": {**config["extra"], **extra}}}
    return live_server.url + "/sandbox/idp"


def staff_start(client, query: str = ""):
    response = client.get("/accounts/staff-identity/sandbox/login/" + query)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], dict(parse_qsl(urlsplit(response["Location"]).query))


def staff_sign_in(client, *, person: str = STAFF_CUC, scenario: str = "normal", query: str = ""):
    authorize_url, params = staff_start(client, query)
    callback = choose(client, authorize_url, params, person=person, scenario=scenario)
    return client.get(local(callback)), callback
