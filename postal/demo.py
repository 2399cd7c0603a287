"""Demo postal tariff for `manage.py seed_demo`, so "result by post" works in development. Idempotent.

The amounts are illustrative, not the operator's published price list: a deployment enters its
own tariff in the admin (Biểu cước bưu chính).
"""

from __future__ import annotations

from datetime import date

from postal.models import PostageRate, PostageZone

DEMO_RATES = [
    (PostageZone.INTRA, 0, 250, 13_000), (PostageZone.INTRA, 250, 2000, 20_000),
    (PostageZone.INTER, 0, 250, 18_000), (PostageZone.INTER, 250, 2000, 30_000),
]


def seed() -> list[str]:
    if PostageRate.objects.exists():
        return []
    for zone, low, high, amount in DEMO_RATES:
        PostageRate.objects.create(zone=zone, weight_from=low, weight_to=high, amount=amount,
                                   effective_from=date(2025, 7, 1), legal_basis="Biểu cước minh họa (demo)")
    return [f"biểu cước bưu chính minh họa: {len(DEMO_RATES)} dòng"]
