"""Provider lookup by id, and which provider (with which credentials) an agency uses.

Tests swap a provider with `register()`; credentials come only from settings / the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Agency
from payments.models import AgencyPaymentConfig
from payments.providers.base import PaymentProvider
from payments.providers.sandbox import SandboxProvider
from payments.providers.vnpay import VnpayCredentials, VnpayProvider


def vnpay_credentials(env_prefix: str = "") -> VnpayCredentials:
    """Default credentials from settings, or <PREFIX>_TMN_CODE / <PREFIX>_HASH_SECRET from the environment."""
    if env_prefix:
        tmn_code = os.getenv(f"{env_prefix}_TMN_CODE", "")
        secret = os.getenv(f"{env_prefix}_HASH_SECRET", "")
    else:
        tmn_code, secret = settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET
    if not tmn_code or not secret:
        raise ImproperlyConfigured(f"VNPay credentials are missing ({env_prefix or 'VNPAY'}_TMN_CODE / _HASH_SECRET).")
    return VnpayCredentials(
        tmn_code=tmn_code, hash_secret=secret, payment_url=settings.VNPAY_PAYMENT_URL, api_url=settings.VNPAY_API_URL
    )


# id → factory(env_prefix) so one provider class can serve agencies with different merchant accounts.
_FACTORIES: dict[str, Callable[[str], PaymentProvider]] = {
    "sandbox": lambda env_prefix: SandboxProvider(),
    "vnpay": lambda env_prefix: VnpayProvider(vnpay_credentials(env_prefix)),
}


def register(provider_id: str, factory: Callable[[str], PaymentProvider]) -> Callable[[str], PaymentProvider] | None:
    """Install a provider factory; returns the previous one so tests can restore it."""
    previous = _FACTORIES.get(provider_id)
    _FACTORIES[provider_id] = factory
    return previous


def provider_ids() -> list[str]:
    return list(_FACTORIES)


def provider_get(provider_id: str, *, env_prefix: str = "") -> PaymentProvider:
    try:
        factory = _FACTORIES[provider_id]
    except KeyError as exc:
        raise ImproperlyConfigured(f"Unknown payment provider {provider_id!r}") from exc
    return factory(env_prefix)


def agency_config(agency: Agency) -> tuple[str, str]:
    """(provider id, env prefix) for an agency: its own enabled config, else settings.PAYMENT_PROVIDER."""
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
