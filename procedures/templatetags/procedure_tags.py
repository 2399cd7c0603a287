"""Presentation helpers for procedure pages: time limits in words, service-level meaning."""

from __future__ import annotations

from datetime import time

from django import template
from django.utils.translation import gettext as _

from procedures.models import ProcedureVersion, ServiceLevel
from workdays.constants import TimeUnit

register = template.Library()


def _clock(value: time) -> str:
    return _("%(h)d giờ") % {"h": value.hour} if not value.minute else _("%(h)d giờ %(m)02d") % {
        "h": value.hour, "m": value.minute,
    }


@register.filter
def processing_time_words(version: ProcedureVersion) -> str:
    """The time limit as legal texts write it: "05 ngày làm việc", "Trong ngày; nếu tiếp nhận sau 15 giờ…"."""
    value, unit, cutoff = version.processing_time_value, version.processing_time_unit, version.cutoff_time
    if unit == TimeUnit.SAME_DAY:
        text = _("Trong ngày")
        if cutoff:
            text += _("; nếu tiếp nhận sau %(clock)s thì trả kết quả trong ngày làm việc tiếp theo") % {
                "clock": _clock(cutoff)
            }
        return text
    words = {
        TimeUnit.WORKING_DAYS: _("%(n)02d ngày làm việc"),
        TimeUnit.DAYS: _("%(n)02d ngày"),
        TimeUnit.HOURS: _("%(n)02d giờ làm việc"),
    }
    text = words.get(unit, _("%(n)02d ngày làm việc")) % {"n": value}
    if cutoff:
        text += _("; hồ sơ tiếp nhận sau %(clock)s được tính từ ngày làm việc tiếp theo") % {"clock": _clock(cutoff)}
    return text


@register.filter
def service_level_meaning(version: ProcedureVersion) -> str:
    """What the service level means for the citizen (Decree 42/2022 Art 11 k1)."""
    if version.service_level == ServiceLevel.FULL:
        return _(
            "Nộp hồ sơ, nộp phí, lệ phí và nhận kết quả hoàn toàn trực tuyến hoặc qua dịch vụ bưu chính "
            "công ích; không phải đến cơ quan."
        )
    if version.channel_online:
        meaning = _("Nộp hồ sơ trực tuyến được, nhưng có bước phải thực hiện trực tiếp tại Bộ phận Một cửa.")
    else:
        meaning = _("Thủ tục này không nộp hồ sơ trực tuyến; phải thực hiện trực tiếp.")
    if version.partial_reason:
        meaning += " " + _("Việc phải làm trực tiếp: %(reason)s") % {"reason": version.partial_reason}
    return meaning


@register.filter
def applicant_types(version: ProcedureVersion) -> str:
    kinds = [
        label for flag, label in (
            (version.for_citizen, _("Công dân")),
            (version.for_business, _("Doanh nghiệp")),
            (version.for_organisation, _("Tổ chức khác")),
        ) if flag
    ]
    return ", ".join(kinds)


@register.filter
def channels(version: ProcedureVersion) -> str:
    kinds = [
        label for flag, label in (
            (version.channel_in_person, _("Trực tiếp tại Bộ phận Một cửa")),
            (version.channel_online, _("Trực tuyến")),
            (version.channel_post, _("Qua dịch vụ bưu chính công ích")),
        ) if flag
    ]
    return ", ".join(kinds)
