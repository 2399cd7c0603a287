"""`manage.py check --deploy` refuses the sandbox gateway: it simulates payments, so in production
anyone could mark a dossier as paid without paying."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from payments.models import AgencyPaymentConfig, ProviderId


@register(Tags.security, deploy=True)
def sandbox_in_production(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.PAYMENT_PROVIDER == ProviderId.SANDBOX:
        errors.append(Error(
            "PAYMENT_PROVIDER is 'sandbox': online payments would be simulated and no money collected.",
            hint="Set PAYMENT_PROVIDER=vnpay with VNPAY_TMN_CODE and VNPAY_HASH_SECRET.",
            id="payments.E001",
        ))
    try:
        agencies = list(
            AgencyPaymentConfig.objects.filter(provider=ProviderId.SANDBOX).values_list("agency__eid_code", flat=True)
        )
    except DatabaseError:
        agencies = []  # not migrated yet: nothing can be configured
    if agencies:
        errors.append(Error(
            f"Agency payment configs name the sandbox gateway: {', '.join(sorted(agencies))}.",
            hint=f"Choose VNPay for them, or delete them, in the admin ({AgencyPaymentConfig._meta.verbose_name}).",
            id="payments.E002",
        ))
    return errors
