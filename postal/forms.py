"""The officer's postal order form: who receives the result, where, and the parcel's weight."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.phone import validate_phone
from portal.lib.address import PROVINCES
from procedures.postage import PostageError, commune_resolve, postage_quote

# A result is a few sheets in an envelope; the public-post letter tariff stops at 2 kg.
WEIGHT_MIN_GRAMS = 1
WEIGHT_MAX_GRAMS = 2000


class PostalOrderForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    recipient_name = forms.CharField(label=_("Người nhận"), max_length=150)
    recipient_phone = forms.CharField(label=_("Điện thoại người nhận"), max_length=20)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố nhận"),
                                 choices=[("", _("— Chọn tỉnh, thành phố —"))] + [(p, p) for p in PROVINCES])
    commune = forms.CharField(label=_("Xã, phường, đặc khu nhận"), max_length=100,
                              help_text=_("Tên đơn vị hành chính cấp xã sau sắp xếp năm 2025."))
    address = forms.CharField(label=_("Số nhà, đường, thôn, tổ"), max_length=150)
    weight_grams = forms.IntegerField(label=_("Khối lượng bưu gửi (gam)"), initial=100)

    def clean_recipient_name(self) -> str:
        value = " ".join(self.cleaned_data["recipient_name"].split())
        if not value:
            raise ValidationError(_("Vui lòng nhập tên người nhận."))
        return value

    def clean_recipient_phone(self) -> str:
        return validate_phone(self.cleaned_data["recipient_phone"])

    def clean_address(self) -> str:
        value = " ".join(self.cleaned_data["address"].split())
        if len(value) < 3:
            raise ValidationError(_("Vui lòng nhập đầy đủ địa chỉ nhận: số nhà, đường, thôn hoặc tổ dân phố."))
        return value

    def clean_weight_grams(self) -> int:
        value = self.cleaned_data["weight_grams"]
        if not WEIGHT_MIN_GRAMS <= value <= WEIGHT_MAX_GRAMS:
            raise ValidationError(_("Khối lượng bưu gửi phải từ %(low)s đến %(high)s gam.")
                                  % {"low": WEIGHT_MIN_GRAMS, "high": WEIGHT_MAX_GRAMS})
        return value


    def clean(self) -> dict:
        data = super().clean()
        if data.get("province") and data.get("commune"):
            try:
                data["commune"] = commune_resolve(province=data["province"], commune=data["commune"]).name
            except PostageError as refusal:
                self.add_error("commune", refusal.message)
        if data.get("province") and data.get("weight_grams"):
            try:
                data["postage"] = postage_quote(province=data["province"], weight_grams=data["weight_grams"],
                                                on=timezone.localdate())
            except PostageError as refusal:
                self.add_error("weight_grams", refusal.message)
        return data


class HandoverDayForm(forms.Form):
    day = forms.DateField(label=_("Ngày bàn giao"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean_day(self) -> date | None:
        return self.cleaned_data.get("day")
