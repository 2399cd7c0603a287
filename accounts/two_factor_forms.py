from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or (when signing in) a recovery code."""

    otp_token = forms.CharField(
        label=_("Mã xác thực"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
    )

    def __init__(self, *args, app_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if app_only:
            self.fields["otp_token"].label = _("Mã 6 chữ số trên ứng dụng xác thực")
            self.fields["otp_token"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
        else:
            self.fields["otp_token"].help_text = _(
                "Mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục nếu bạn mất điện thoại."
            )
