from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One exception to the ordinary Mon–Fri working week of state agencies.

    Weekends are implicit and never stored. The calendar is admin data, not a formula
    (Labor Code 2019 Art 112 k3): the Prime Minister fixes Tết and National Day every year and the
    Government Office announces swaps, so rows are entered or confirmed by an admin.
    Unconfirmed rows are proposals and are ignored by every computation.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        # Labor Code Art 111 k3: a holiday on a weekly rest day gives the next working day off.
        COMPENSATORY_OFF = "compensatory_off", _("Nghỉ bù")
        # Civil servants' swaps (hoán đổi): a weekday off paid back by a make-up Saturday.
        SWAPPED_OFF = "swapped_off", _("Nghỉ hoán đổi")
        MAKEUP_WORKDAY = "makeup_workday", _("Làm bù")

    OFF_KINDS = frozenset({Kind.HOLIDAY.value, Kind.COMPENSATORY_OFF.value, Kind.SWAPPED_OFF.value})

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200, help_text=_("Ví dụ: Tết Nguyên đán"))
    legal_ref = models.CharField(
        _("căn cứ"), max_length=200, blank=True, help_text=_("Ví dụ: Thông báo 12729/VPCP-KGVX")
    )
    is_confirmed = models.BooleanField(
        _("đã xác nhận"),
        default=True,
        help_text=_("Ngày chưa xác nhận chỉ là đề xuất và không được dùng để tính thời hạn."),
    )
    created = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "compensatory_off", "swapped_off", "makeup_workday"]),
                name="workdays_calendarday_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"

    def clean(self) -> None:
        # A make-up day only means something on a weekend; on a weekday it would be a
        # silent no-op that hides a data-entry mistake (usually the wrong date).
        if self.kind == self.Kind.MAKEUP_WORKDAY and self.date is not None and self.date.weekday() < 5:
            raise ValidationError({"date": _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.")})
