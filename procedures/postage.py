"""Public-post delivery data shared by filing and the postal orders: the commune list an address must
resolve to, and the postal fee of a parcel from the tariff kept as admin data (PostageRate: zone ×
weight band, integer đồng).

It lives in `procedures` (the catalogue) so that `applications` can quote the postage at filing and
`postal` can price the order, without either depending on the other.

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
from portal.lib.text import normalize_search
from procedures.models import Commune, PostageRate, PostageZone

# What a result usually weighs in its envelope (a few sheets): the weight quoted at filing. The
# officer weighs the real envelope at return; the citizen pays what was quoted.
RESULT_ENVELOPE_GRAMS = 100
# The public-post letter tariff stops at 2 kg.
WEIGHT_MIN_GRAMS = 1
WEIGHT_MAX_GRAMS = 2000


class PostageError(Exception):
    """No tariff line covers this parcel, or the address is not a known unit; `message` is shown."""

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


def commune_resolve(*, province: str, commune: str) -> Commune:
    """The commune called `commune` in `province`, matched without regard to case, diacritics typed
    or not, and a leading "xã"/"phường". Raises PostageError when it is not in the unit list."""
    if province not in PROVINCES:
        raise PostageError(_("Tỉnh, thành phố nhận không có trong danh mục đơn vị hành chính."))
    wanted = _unit_key(commune)
    if not wanted:
        raise PostageError(_("Vui lòng chọn xã, phường nhận kết quả."))
    for unit in Commune.objects.filter(province=province):
        if _unit_key(unit.name) == wanted:
            return unit
    raise PostageError(_("Không tìm thấy xã, phường “%(commune)s” thuộc %(province)s trong danh mục đơn vị "
                         "hành chính sau sắp xếp năm 2025. Vui lòng chọn lại trong danh sách.")
                       % {"commune": commune.strip(), "province": province})


def _unit_key(name: str) -> str:
    words = normalize_search(name or "").split()
    if words[:2] == ["dac", "khu"]:
        words = words[2:]
    elif words[:1] in (["xa"], ["phuong"]):
        words = words[1:]
    return " ".join(words)


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
