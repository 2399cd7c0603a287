"""The "sandbox" provider: VNPay 2.1.0 spoken to the simulated bank of the `sandbox` app.

The simulated bank is an outside system like VNPay: the payer's browser is redirected to it, it
calls our notification endpoint over HTTP, and querydr reaches it over HTTP. Only its credentials
and addresses differ (SANDBOX_PAYMENT_* settings). It exists only where the `sandbox` app is
installed, which portal/settings.py does only when DEBUG is on: in production the provider is
unavailable, its endpoints answer 404 and an agency configured for it cannot take payments.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from payments.providers.vnpay import VnpayCredentials, VnpayProvider


class SandboxProvider(VnpayProvider):
    id = "sandbox"
    name = _("Cổng thanh toán thử nghiệm (sandbox)")

    @classmethod
    def is_available(cls) -> bool:
        return apps.is_installed("sandbox")

    @classmethod
    def from_settings(cls, env_prefix: str = "") -> SandboxProvider:
        if not cls.is_available():
            raise ImproperlyConfigured("The sandbox payment gateway exists only in development (DEBUG on).")
        return cls(VnpayCredentials(
            tmn_code=settings.SANDBOX_PAYMENT_TMN_CODE, hash_secret=settings.SANDBOX_PAYMENT_SECRET,
            payment_url=settings.SANDBOX_PAYMENT_URL, api_url=settings.SANDBOX_PAYMENT_API_URL,
        ))
