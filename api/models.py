"""API keys of agency systems and the stored answers of idempotent requests."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key an agency's system (a sector system, the province's one-stop-shop software) calls the API with.

    The key acts as one staff account of that agency, so it has exactly that account's role and
    agency scope: the workflow checks it like the person. Only a hash is stored; the key itself is
    shown once, when it is issued or rotated in the admin."""

    name = models.CharField(_("tên hệ thống"), max_length=150)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="api_keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản cán bộ đại diện"),
                             on_delete=models.PROTECT, related_name="api_keys")
    prefix = models.CharField(_("tiền tố"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("khóa API của cơ quan")
        verbose_name_plural = _("khóa API của cơ quan")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        if self.user_id and self.agency_id and (self.user.agency_id != self.agency_id or not self.user.is_agency_staff):
            raise ValidationError({"user": _("Tài khoản đại diện phải là cán bộ của chính cơ quan này.")})


class IdempotentRequest(models.Model):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed to retries."""

    scope = models.CharField(max_length=80)  # who asked: "user:<pk>" or "key:<pk>"
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=200)  # method and path
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_scope_key_unique")]
