"""The period and filters a quality page is asked about (GET query strings)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.deadlines import local_date
from procedures.models import Procedure, Sector

MAX_CUSTOM_DAYS = 3 * 366


class PeriodKind:
    MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
    CHOICES = [(MONTH, _("Tháng")), (QUARTER, _("Quý")), (YEAR, _("Năm")), (CUSTOM, _("Tùy chọn"))]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(kind: str, year: int, month: int, quarter: int) -> tuple[date, date]:
    if kind == PeriodKind.MONTH:
        return date(year, month, 1), _month_end(year, month)
    if kind == PeriodKind.QUARTER:
        first = 3 * (quarter - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    return date(year, 1, 1), date(year, 12, 31)


def previous_bounds(kind: str, start: date, end: date) -> tuple[date, date]:
    """The period just before: the previous month, quarter or year, or as many days before a custom range."""
    if kind == PeriodKind.YEAR:
        return date(start.year - 1, 1, 1), date(start.year - 1, 12, 31)
    if kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        months = 1 if kind == PeriodKind.MONTH else 3
        last = start - timedelta(days=1)
        first_month = last.month - months + 1
        year = last.year + (first_month - 1) // 12
        return date(year, (first_month - 1) % 12 + 1, 1), last
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


class QualityFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Kỳ"), choices=PeriodKind.CHOICES, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=_("Quý"), min_value=1, max_value=4, required=False)
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None, required=False,
                                    empty_label=_("Tất cả cơ quan được xem"))
    sector = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Sector.objects.order_by("order", "name"),
                                    required=False, empty_label=_("Tất cả lĩnh vực"))
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=Procedure.objects.none(), required=False,
                                       empty_label=_("Tất cả thủ tục"))

    def __init__(self, *args, agencies, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["procedure"].queryset = Procedure.objects.filter(is_published=True).select_related(
            "current_version").order_by("code")
        self.fields["procedure"].label_from_instance = lambda procedure: (
            procedure.current_version.name if procedure.current_version else procedure.code)
        # Rendered by hand (quality/_filters.html): the dashboard is read often and crispy's
        # per-field templates cost more than the figures.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict:
        data = super().clean()
        today = local_date(timezone.now())
        kind = data.get("period") or PeriodKind.MONTH
        data["period"] = kind
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Vui lòng nhập cả ngày bắt đầu và ngày kết thúc."))
            if end < start:
                raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if (end - start).days > MAX_CUSTOM_DAYS:
                raise forms.ValidationError(_("Khoảng thời gian tùy chọn không quá ba năm."))
        else:
            start, end = period_bounds(kind, data.get("year") or today.year, data.get("month") or today.month,
                                       data.get("quarter") or (today.month - 1) // 3 + 1)
        data["start"], data["end"] = start, end
        data["previous_start"], data["previous_end"] = previous_bounds(kind, start, end)
        return data
