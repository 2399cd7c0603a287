"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG) link: what we owe it and what it sent us.

- NationalSync: one row per status change of a dossier, written in the transition's transaction
  (the outbox), pushed after commit in order per dossier, kept forever (a send that finally
  failed is parked as dead, never deleted).
- InboundDossier: one row per national dossier code (MaHoSo) received, whether it became a
  dossier or was parked with the reason for an administrator to fix and process again.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SyncState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    RETRYING = "retrying", _("Gửi lỗi, sẽ gửi lại")
    DELIVERED = "delivered", _("Đã đồng bộ")
    DEAD = "dead", _("Đồng bộ thất bại")


# Rows still to be sent; they hold back every later row of the same dossier.
OPEN_SYNC_STATES = (SyncState.PENDING, SyncState.RETRYING)


class NationalSync(models.Model):
    """The dossier as it stood after one status change, owed to the national portal.

    `sync_id` is the idempotency key the national side receives; `version` is the dossier's version
    after the change, so the receiver can skip anything older than what it holds."""

    dossier = models.ForeignKey("applications.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="national_syncs")
    event = models.ForeignKey("applications.DossierEvent", on_delete=models.PROTECT, related_name="+")
    sync_id = models.UUIDField(_("mã đồng bộ"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("phiên bản hồ sơ"))
    status_code = models.PositiveSmallIntegerField(_("mã trạng thái quốc gia"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=SyncState.choices, default=SyncState.PENDING)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), db_index=True)
    last_attempt_at = models.DateTimeField(_("lần gửi gần nhất"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("mã trả lời HTTP"), null=True, blank=True)
    response_body = models.TextField(_("nội dung trả lời"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt đồng bộ lên Cổng DVC quốc gia")
        verbose_name_plural = _("đồng bộ lên Cổng DVC quốc gia")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["dossier", "id"], name="national_sync_dossier_idx"),
            models.Index(fields=["next_attempt_at"], condition=Q(state__in=["pending", "retrying"]),
                         name="national_sync_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.version} → {self.status_code} ({self.state})"


class InboundState(models.TextChoices):
    FILED = "filed", _("Đã tạo hồ sơ")
    PARKED = "parked", _("Lỗi, chờ xử lý")


class InboundDossier(models.Model):
    """A dossier sent to us by the national portal. Parked ones wait in the admin with the reason;
    an administrator corrects the data (or the catalogue) and processes them again."""

    national_code = models.CharField(_("mã hồ sơ quốc gia (MaHoSo)"), max_length=60, unique=True)
    procedure_code = models.CharField(_("mã thủ tục (MaTTHC)"), max_length=60, blank=True)
    agency_code = models.CharField(_("mã cơ quan"), max_length=60, blank=True)
    payload = models.JSONField(_("dữ liệu nhận được"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=InboundState.choices)
    reason = models.TextField(_("lý do"), blank=True)
    dossier = models.OneToOneField("applications.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="national_inbound")
    attempts = models.PositiveIntegerField(_("số lần xử lý"), default=1)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    processed_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVC quốc gia")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVC quốc gia")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(state="filed") | Q(dossier__isnull=False),
                                   name="national_inbound_filed_has_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.national_code} ({self.state})"
