from __future__ import annotations

from django_otp.models import Device

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityLink(models.Model):
    """One provider's subject identifier for one account (VNeID and the national SSO give the same
    person different subjects, so an account may have one link per provider)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.CASCADE,
                             related_name="identity_links")
    provider = models.CharField(_("nhà cung cấp định danh"), max_length=40)
    subject = models.CharField(_("định danh tại nhà cung cấp"), max_length=255)
    assurance_level = models.PositiveSmallIntegerField(_("mức độ tài khoản định danh"), null=True, blank=True)
    created_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("liên kết định danh điện tử")
        verbose_name_plural = _("liên kết định danh điện tử")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_link_provider_subject_unique"),
            models.UniqueConstraint(fields=["provider", "user"], name="identity_link_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user_id}"


class ProviderMfaDevice(Device):
    """The second factor checked by an agency's identity provider that enforces one (its `amr`/`acr`
    said so at sign-in). It holds no secret and verifies no code: it only lets django-otp mark the
    session verified, and names the provider that did the check. One per account and provider."""

    provider = models.CharField(_("hệ thống định danh cơ quan"), max_length=40)

    class Meta:
        app_label = "accounts"
        verbose_name = _("xác thực hai lớp qua hệ thống định danh cơ quan")
        verbose_name_plural = _("xác thực hai lớp qua hệ thống định danh cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="provider_mfa_device_one_per_provider"),
        ]

    def verify_token(self, token: str) -> bool:
        return False
