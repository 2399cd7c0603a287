import pytest

from tests.accounts.oidc_support import sandbox_provider_at


@pytest.fixture
def idp(live_server, settings):
    """The sandbox e-identity provider, reached over HTTP on the live server."""
    return sandbox_provider_at(live_server, settings)
