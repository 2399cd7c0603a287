"""Provider lookup by id, and which provider (with which credentials) an agency uses.

Tests add or swap a provider class with `register()`; credentials come only from settings / the
environment (each class's `from_settings`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Agency
from payments.models import AgencyPaymentConfig
from payments.providers.base import PaymentProvider
from payments.providers.sandbox import SandboxProvider
from payments.providers.vnpay import VnpayProvider

_PROVIDERS: dict[str, type[PaymentProvider]] = {
    SandboxProvider.id: SandboxProvider,
    VnpayProvider.id: VnpayProvider,
}


def register(provider_class: type[PaymentProvider]) -> type[PaymentProvider] | None:
    """Install a provider class under its id; returns the one it replaced so tests can restore it."""
    previous = _PROVIDERS.get(provider_class.id)
    _PROVIDERS[provider_class.id] = provider_class
    return previous


def unregister(provider_id: str, previous: type[PaymentProvider] | None = None) -> None:
    """Undo `register()`: put `previous` back, or remove the id."""
    if previous is None:
        _PROVIDERS.pop(provider_id, None)
    else:
        _PROVIDERS[provider_id] = previous


def provider_class(provider_id: str) -> type[PaymentProvider] | None:
    """The class behind an id, or None when it is unknown or not available in this deployment."""
    cls = _PROVIDERS.get(provider_id)
    return cls if cls is not None and cls.is_available() else None


def provider_ids() -> list[str]:
    """The ids this deployment offers (the sandbox only in development)."""
    return [provider_id for provider_id, cls in _PROVIDERS.items() if cls.is_available()]


def provider_choices() -> list[tuple[str, str]]:
    return [(provider_id, str(_PROVIDERS[provider_id].name or provider_id)) for provider_id in provider_ids()]


def provider_get(provider_id: str, *, env_prefix: str = "") -> PaymentProvider:
    cls = provider_class(provider_id)
    if cls is None:
        raise ImproperlyConfigured(f"Payment provider {provider_id!r} is unknown or not available here")
    return cls.from_settings(env_prefix)


def agency_config(agency: Agency) -> tuple[str, str]:
    """(provider id, env prefix) for an agency: its own enabled config, else settings.PAYMENT_PROVIDER.

    A config naming a provider this deployment does not offer is refused, never replaced by the
    default: the agency's money must not silently go to another merchant account.
    """
    config = AgencyPaymentConfig.objects.filter(agency=agency, enabled=True).first()
    if config is not None:
        return config.provider, config.env_prefix
    return settings.PAYMENT_PROVIDER, ""


def provider_for_agency(agency: Agency) -> PaymentProvider:
    provider_id, env_prefix = agency_config(agency)
    return provider_get(provider_id, env_prefix=env_prefix)


def provider_for_attempt_agency(provider_id: str, agency: Agency | None) -> PaymentProvider:
    """The provider that signed an attempt's messages: same id, and that agency's credentials."""
    env_prefix = ""
    if agency is not None:
        config = AgencyPaymentConfig.objects.filter(agency=agency, provider=provider_id).first()
        env_prefix = config.env_prefix if config else ""
    return provider_get(provider_id, env_prefix=env_prefix)
