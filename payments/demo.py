"""Demo payment settings for `manage.py seed_demo`. Idempotent.

In development both demo communes collect through the sandbox gateway, so the whole payment journey
works offline: citizen2@example.vn has a dossier awaiting payment ("Thanh toán" on its page). Where
the sandbox does not exist (DEBUG off) nothing is configured: the agencies use PAYMENT_PROVIDER.
"""

from __future__ import annotations

from accounts.models import Agency
from payments.models import AgencyPaymentConfig, ProviderId
from payments.providers import registry

DEMO_COMMUNES = ("H99.01.01", "H99.01.02")


def seed() -> list[str]:
    if ProviderId.SANDBOX not in registry.provider_ids():
        return []
    created = []
    for agency in Agency.objects.filter(eid_code__in=DEMO_COMMUNES):
        _config, was_created = AgencyPaymentConfig.objects.get_or_create(
            agency=agency, defaults={"provider": ProviderId.SANDBOX, "enabled": True}
        )
        if was_created:
            created.append(f"thanh toán thử nghiệm: {agency.eid_code}")
    return created
