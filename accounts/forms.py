from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.phone import looks_like_phone, normalize_phone, validate_phone
from portal.lib.address import PROVINCES
from portal.lib.idnumber import validate_id_number


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Email/số điện thoại hoặc mật khẩu không đúng. Sau nhiều lần sai liên tiếp, "
            "tài khoản sẽ bị tạm khóa đăng nhập trong ít phút."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ Bộ phận Một cửa."),
    }


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    password1 = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước xử lý dữ liệu cá nhân của tôi nhằm giải quyết thủ tục hành chính "
            "(Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15)."
        ),
        error_messages={"required": _("Bạn cần đồng ý với việc xử lý dữ liệu cá nhân để tạo tài khoản.")},
    )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self) -> str | None:
        # Whether the address already has an account is never said here (that would let anyone
        # test addresses): the service writes to the address's owner instead.
        email = (self.cleaned_data.get("email") or "").strip().lower()
        return email or None

    def clean_phone(self) -> str | None:
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return None
        return validate_phone(raw)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email") and not self.has_error("phone"):
            raise forms.ValidationError(_("Hãy nhập thư điện tử hoặc số điện thoại để đăng nhập sau này."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif p1:
            candidate = User(email=data.get("email"), phone=data.get("phone"), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):
    """Name, contact address and language, plus the identity details reused on every filing.

    Identity details confirmed by VNeID (`identity_verified_at` set) are shown but not editable."""

    IDENTITY_FIELDS = ("full_name", "id_number", "date_of_birth", "permanent_province", "permanent_commune", "permanent_detail")

    id_number = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=15, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 chữ số, in trên thẻ căn cước. Được điền sẵn khi bạn nộp hồ sơ."),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không hợp lệ (ví dụ 05/01/1990).")},
    )
    permanent_province = forms.ChoiceField(
        label=_("Nơi thường trú: tỉnh, thành phố"), required=False,
        choices=[("", _("— Chọn tỉnh, thành phố —"))] + [(p, p) for p in PROVINCES],
    )
    permanent_commune = forms.CharField(label=_("Nơi thường trú: xã, phường, đặc khu"), max_length=150, required=False)
    permanent_detail = forms.CharField(label=_("Nơi thường trú: số nhà, đường, thôn, tổ"), max_length=255,
                                       required=False)

    class Meta:
        model = User
        fields = ["full_name", "address", "preferred_language", "id_number", "date_of_birth"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        address = self.instance.permanent_address or {}
        for part in ("province", "commune", "detail"):
            self.fields[f"permanent_{part}"].initial = address.get(part, "")
        self.fields["address"].label = _("Địa chỉ liên hệ")
        if self.instance.identity_verified_at:
            for name in self.IDENTITY_FIELDS:
                self.fields[name].disabled = True

    def clean_id_number(self) -> str | None:
        raw = (self.cleaned_data.get("id_number") or "").strip()
        if not raw:
            return None
        number = validate_id_number(raw)
        if User.objects.filter(id_number=number).exclude(pk=self.instance.pk).exists():
            # Never say whose: the message must not confirm another person's number.
            raise forms.ValidationError(
                _("Số định danh này đã gắn với một tài khoản khác. Vui lòng liên hệ Bộ phận Một cửa để được hỗ trợ.")
            )
        return number

    def clean_date_of_birth(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data.get("date_of_birth")
        if value and (value.year < 1900 or value > timezone.localdate()):
            raise forms.ValidationError(_("Ngày sinh không hợp lệ."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        parts = {part: (data.get(f"permanent_{part}") or "").strip() for part in ("province", "commune", "detail")}
        if any(parts.values()) and not (parts["province"] and parts["commune"]):
            self.add_error("permanent_commune", _("Cần chọn tỉnh, thành phố và ghi rõ xã, phường."))
        self.permanent_address = parts if any(parts.values()) else {}
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if not user.identity_verified_at:
            user.permanent_address = self.permanent_address
        if commit:
            user.save()
        return user


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email hoặc số điện thoại của tài khoản"), max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_identifier(self) -> str:
        value = self.cleaned_data["identifier"].strip()
        if looks_like_phone(value):
            return normalize_phone(value)
        try:
            validators.validate_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Hãy nhập thư điện tử (ví dụ ten@example.vn) hoặc số điện thoại 10 chữ số bắt đầu bằng 0.")
            ) from None
        return value.lower()

    @property
    def is_phone(self) -> bool:
        return looks_like_phone(self.cleaned_data.get("identifier", ""))


class NewPasswordForm(SetPasswordForm):
    """Django's SetPasswordForm with the portal's Vietnamese labels."""

    new_password1 = forms.CharField(
        label=_("Mật khẩu mới"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    error_messages = {"password_mismatch": _("Hai mật khẩu không khớp.")}
