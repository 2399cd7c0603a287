"""The "sandbox" postal operator: the same HTTP protocol, spoken to the simulated operator of the
`sandbox` app (DEBUG only, like the sandbox payment gateway): in production it is unavailable."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from postal.providers.http import HttpPostalProvider, PostalCredentials


class SandboxPostalProvider(HttpPostalProvider):
    id = "sandbox"
    name = "Bưu điện thử nghiệm (sandbox)"

    @classmethod
    def is_available(cls) -> bool:
        return apps.is_installed("sandbox")

    @classmethod
    def from_settings(cls) -> SandboxPostalProvider:
        if not cls.is_available():
            raise ImproperlyConfigured("The sandbox postal operator exists only in development (DEBUG on).")
        return cls(PostalCredentials(
            api_url=settings.SANDBOX_POSTAL_API_URL, api_key=settings.SANDBOX_POSTAL_API_KEY,
            callback_secret=settings.SANDBOX_POSTAL_CALLBACK_SECRET, timeout=settings.POSTAL_API_TIMEOUT,
        ))
