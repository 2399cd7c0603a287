"""Demo postal tariff for `manage.py seed_demo`, so "result by post" works in development. Idempotent.

The amounts are illustrative, not the operator's published price list: a deployment enters its
own tariff in the admin (Biểu cước bưu chính).
"""

from __future__ import annotations

from datetime import date

from procedures.models import Commune, PostageRate, PostageZone

DEMO_RATES = [
    (PostageZone.INTRA, 0, 250, 13_000), (PostageZone.INTRA, 250, 2000, 20_000),
    (PostageZone.INTER, 0, 250, 18_000), (PostageZone.INTER, 250, 2000, 30_000),
]


# The demo citizens live in "Xã An Phú, Ninh Bình"; a few more units so an address by post resolves.
# A deployment imports the full commune list of the 2025 reorganisation in the admin.
DEMO_COMMUNES = [("Ninh Bình", "Xã An Phú"), ("Ninh Bình", "Phường Hoa Lư"), ("Huế", "Phường Thuận Hóa"),
                 ("Hà Nội", "Phường Ba Đình"), ("TP Hồ Chí Minh", "Phường Sài Gòn")]


def seed() -> list[str]:
    done = []
    for province, name in DEMO_COMMUNES:
        if Commune.objects.get_or_create(province=province, name=name)[1]:
            done.append(f"xã, phường minh họa: {name}, {province}")
    if PostageRate.objects.exists():
        return done
    for zone, low, high, amount in DEMO_RATES:
        PostageRate.objects.create(zone=zone, weight_from=low, weight_to=high, amount=amount,
                                   effective_from=date(2025, 7, 1), legal_basis="Biểu cước minh họa (demo)")
    return [*done, f"biểu cước bưu chính minh họa: {len(DEMO_RATES)} dòng"]
