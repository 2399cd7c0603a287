"""The postal fee of a parcel, from the tariff kept as admin data (PostageRate: zone × weight band).

The zone is "within the province" when the recipient lives in the province that runs the portal
(settings.POSTAL_HOME_PROVINCE), else "between provinces".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.lib.address import PROVINCES
from postal.models import PostageRate, PostageZone


class PostageError(Exception):
    """No tariff line covers this parcel; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PostageQuote:
    zone: str
    weight_grams: int
    amount: int


def postage_zone(province: str) -> str:
    return PostageZone.INTRA if province and province == settings.POSTAL_HOME_PROVINCE else PostageZone.INTER


def postage_quote(*, province: str, weight_grams: int, on: date) -> PostageQuote:
    """The fee for a parcel of `weight_grams` to `province` under the tariff in force on `on`.
    Raises PostageError for an unknown province or a weight no band covers."""
    if province not in PROVINCES:
        raise PostageError(_("Tỉnh, thành phố nhận không có trong danh mục đơn vị hành chính."))
    zone = postage_zone(province)
    in_force = PostageRate.objects.filter(zone=zone, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    rate = (in_force.filter(weight_from__lt=weight_grams, weight_to__gte=weight_grams)
            .order_by("-effective_from", "-pk").first())
    if rate is None:
        raise PostageError(_("Khối lượng %(weight)s gam nằm ngoài biểu cước bưu chính đang áp dụng (%(zone)s).")
                           % {"weight": weight_grams, "zone": PostageZone(zone).label})
    return PostageQuote(zone=zone, weight_grams=weight_grams, amount=rate.amount)
