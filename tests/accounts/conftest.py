import pytest

from tests.accounts.oidc_support import sandbox_provider_at, staff_provider_at


@pytest.fixture
def idp(live_server, settings):
    """The sandbox e-identity provider, reached over HTTP on the live server."""
    return sandbox_provider_at(live_server, settings)


@pytest.fixture
def staff_idp(live_server, settings):
    """The sandbox provider as an agency's provider for staff (it enforces a second factor)."""
    return staff_provider_at(live_server, settings, enforces_mfa=True)
