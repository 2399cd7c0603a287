"""`manage.py check --deploy` reminds operators that the sandbox gateway simulates payments."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

from payments.models import AgencyPaymentConfig


@register(Tags.security, deploy=True)
def sandbox_in_production(app_configs, **kwargs) -> list[Warning]:
    if settings.PAYMENT_PROVIDER != "sandbox":
        return []
    # A warning: in production the sandbox would let anyone mark a dossier as paid without paying.
    # (The docker-compose demo sets it on purpose and accepts the warning.)
    return [Warning(
        "PAYMENT_PROVIDER is 'sandbox': online payments are simulated and no money is collected.",
        hint="Set PAYMENT_PROVIDER=vnpay with VNPAY_TMN_CODE and VNPAY_HASH_SECRET, or configure each agency's "
        f"provider ({AgencyPaymentConfig._meta.verbose_name}) in the admin.",
        id="payments.W001",
    )]
