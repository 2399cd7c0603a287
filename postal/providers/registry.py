"""Which postal operator this deployment uses (settings.POSTAL_PROVIDER)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from postal.providers.base import PostalProvider
from postal.providers.http import HttpPostalProvider
from postal.providers.sandbox import SandboxPostalProvider

_PROVIDERS: dict[str, type[PostalProvider]] = {
    HttpPostalProvider.id: HttpPostalProvider,
    SandboxPostalProvider.id: SandboxPostalProvider,
}


def provider_get(provider_id: str | None = None) -> PostalProvider:
    cls = _PROVIDERS.get(provider_id or settings.POSTAL_PROVIDER)
    if cls is None or not cls.is_available():
        raise ImproperlyConfigured(f"Postal provider {provider_id!r} is unknown or not available here")
    return cls.from_settings()


def provider_available(provider_id: str) -> bool:
    cls = _PROVIDERS.get(provider_id)
    return cls is not None and cls.is_available()
