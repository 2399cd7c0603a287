"""Signing keys: which certificate signs for whom, and where its key lives.

A row names a PKCS#12 file or a PKCS#11 token and the environment variable (or file) that holds
the password or PIN; the secret itself is never stored in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency


class KeyPurpose(models.TextChoices):
    # The approving leader's own certificate (results and papers the agency issues).
    PERSONAL = "personal", _("Chữ ký số cá nhân của lãnh đạo")
    # The agency's seal certificate: signs results instead of the leader when configured so.
    SEAL = "seal", _("Chữ ký số của cơ quan (con dấu)")
    # The one-stop shop's certificate: receipts, slips, fee receipts, certified scans.
    ONE_STOP = "one_stop", _("Chữ ký số của Bộ phận Một cửa")


class KeyBackend(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12)")
    PKCS11 = "pkcs11", _("Thiết bị ký PKCS#11 (USB token, HSM)")


class SigningKey(models.Model):
    purpose = models.CharField(_("mục đích"), max_length=20, choices=KeyPurpose.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="signing_keys",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="signing_keys", help_text=_("Chỉ với chữ ký số cá nhân của lãnh đạo."),
    )
    backend = models.CharField(_("nơi giữ khóa"), max_length=10, choices=KeyBackend.choices,
                               default=KeyBackend.PKCS12)
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True)
    # A renewed certificate for the same key, when the PKCS#12 file still holds the old one.
    certificate_path = models.CharField(
        _("tệp chứng thư gia hạn (PEM)"), max_length=500, blank=True,
        help_text=_("Khi tổ chức chứng thực gia hạn chứng thư trên cùng khóa; để trống nếu dùng chứng thư trong tệp."),
    )
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True)
    token_label = models.CharField(_("nhãn thiết bị"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    secret_env = models.CharField(
        _("biến môi trường chứa mật khẩu/PIN"), max_length=100, blank=True,
        help_text=_("Tên biến môi trường, không phải mật khẩu."),
    )
    secret_file = models.CharField(
        _("tệp chứa mật khẩu/PIN"), max_length=500, blank=True,
        help_text=_("Đường dẫn tệp (ví dụ Docker secret), dùng khi không có biến môi trường."),
    )
    signer_name = models.CharField(_("tên người ký trên khối chữ ký"), max_length=150)
    signer_title = models.CharField(_("chức danh trên khối chữ ký"), max_length=150, blank=True)
    # Results of this agency are signed by the seal instead of the approving leader.
    sign_results = models.BooleanField(
        _("ký kết quả bằng con dấu cơ quan"), default=False,
        help_text=_("Chỉ với chữ ký số của cơ quan: kết quả giải quyết được ký bằng chứng thư này."),
    )
    is_demo = models.BooleanField(_("chứng thư thử nghiệm"), default=False, editable=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khóa ký số")
        verbose_name_plural = _("khóa ký số")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose=KeyPurpose.PERSONAL, user__isnull=False) | (
                    ~Q(purpose=KeyPurpose.PERSONAL) & Q(user__isnull=True)
                ),
                name="signing_key_personal_has_user",
            ),
            models.UniqueConstraint(
                fields=["agency", "purpose"], condition=Q(is_active=True, user__isnull=True),
                name="signing_key_one_active_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True, user__isnull=False),
                name="signing_key_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.signer_name}"
