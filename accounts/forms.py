from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core import validators
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.phone import looks_like_phone, normalize_phone, validate_phone


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
    class Meta:
        model = User
        fields = ["full_name", "address", "preferred_language"]


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
