"""`manage.py check --deploy` reminds operators that the sandbox gateway simulates payments."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Info, Tags, register

from payments.models import AgencyPaymentConfig


@register(Tags.security, deploy=True)
def sandbox_in_production(app_configs, **kwargs) -> list[Info]:
    if settings.PAYMENT_PROVIDER != "sandbox":
        return []
    # Info, not a warning: the demo stack (docker-compose) deliberately runs with the sandbox.
    return [Info(
        "PAYMENT_PROVIDER is 'sandbox': online payments are simulated and no money is collected.",
        hint="Set PAYMENT_PROVIDER=vnpay with VNPAY_TMN_CODE and VNPAY_HASH_SECRET, or configure each agency's "
        f"provider ({AgencyPaymentConfig._meta.verbose_name}) in the admin.",
        id="payments.I001",
    )]
