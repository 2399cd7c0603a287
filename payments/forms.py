from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import AttemptState, CounterMethod, PaymentChannel
from portal.lib.money import format_vnd

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức nộp"), choices=CounterMethod.choices, widget=forms.RadioSelect)
    receipt_number = forms.CharField(label=_("Số biên lai"), max_length=50)
    amount = forms.IntegerField(label=_("Số tiền đã thu (đồng)"), min_value=0)

    def __init__(self, *args, amount_due: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount_due = amount_due
        self.fields["amount"].initial = amount_due

    def clean_receipt_number(self) -> str:
        value = " ".join(self.cleaned_data["receipt_number"].split())
        if not value:
            raise forms.ValidationError(_("Nhập số biên lai."))
        return value

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount != self.amount_due:
            raise forms.ValidationError(
                _("Số tiền thu phải đúng số tiền phải nộp: %(due)s.") % {"due": format_vnd(self.amount_due)}
            )
        return amount


class FeeRequestForm(forms.Form):
    pages = forms.IntegerField(label=_("Số trang"), min_value=0, max_value=10000, initial=1)
    copies = forms.IntegerField(label=_("Số bản"), min_value=0, max_value=1000, initial=1)
    exemption_reason = forms.CharField(
        label=_("Lý do miễn phí, lệ phí (nếu được miễn)"), max_length=255, required=False
    )
    amount = forms.IntegerField(
        label=_("Số tiền điều chỉnh (đồng)"), min_value=0, required=False,
        help_text=_("Để trống để thu đúng theo biểu phí."),
    )
    adjust_reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("amount") is not None and not (data.get("adjust_reason") or "").strip():
            self.add_error("adjust_reason", _("Cần ghi lý do khi điều chỉnh số tiền."))
        return data


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")},
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")},
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    agency = forms.TypedChoiceField(label=_("Cơ quan"), required=False, coerce=int, empty_value=None)
    procedure = forms.CharField(label=_("Mã thủ tục"), required=False, max_length=40)
    channel = forms.ChoiceField(label=_("Hình thức"), required=False,
                                choices=[("", _("Tất cả"))] + list(PaymentChannel.choices))
    state = forms.ChoiceField(label=_("Trạng thái"), required=False,
                              choices=[("", _("Tất cả"))] + list(AttemptState.choices))
    format = forms.ChoiceField(required=False, choices=[("", "html"), ("xlsx", "xlsx")], widget=forms.HiddenInput,
                               error_messages={"invalid_choice": _("Định dạng xuất không hợp lệ.")})

    def __init__(self, *args, agencies: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        agency_field = cast(forms.TypedChoiceField, self.fields["agency"])  # declared just above
        choices: list[tuple[int | str, StrOrPromise]] = [("", _("Tất cả")), *agencies]
        agency_field.choices = choices

    def clean_date_from(self) -> date | None:
        return report_day_in_range(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> date | None:
        return report_day_in_range(self.cleaned_data.get("date_to"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Đến ngày phải sau Từ ngày."))
        return data


EARLIEST_REPORT_DAY = date(2000, 1, 1)
LATEST_REPORT_DAY = date(2100, 12, 31)


def report_day_in_range(day: date | None) -> date | None:
    """A report day between 01/01/2000 and 31/12/2100: years like 0001 overflow the time-zone maths."""
    if day is not None and not EARLIEST_REPORT_DAY <= day <= LATEST_REPORT_DAY:
        raise forms.ValidationError(_("Ngày phải trong khoảng từ 01/01/2000 đến 31/12/2100."), code="date_range")
    return day
