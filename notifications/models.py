"""The notification outbox: a row per message, written in the same transaction as its cause."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên cổng")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Notification(models.Model):
    event = models.CharField(_("sự kiện"), max_length=60)
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    to_address = models.CharField(_("địa chỉ nhận"), max_length=255, blank=True)
    language = models.CharField(max_length=5, default="vi")
    context = models.JSONField(default=dict, blank=True)
    # One message per (cause, channel, recipient): e.g. "event:123:email:user:7".
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    template_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox_idx"),
        ]


class NotificationTemplate(models.Model):
    """The wording of one event on one channel in one language, editable by admins.

    Subject and body use Django template syntax with the notification's context (dossier_code,
    procedure_name, appointment, items, link…). Seeded in Vietnamese and English by a data
    migration; each sent notification stores the version it was rendered from.
    """

    event = models.CharField(_("sự kiện"), max_length=60)
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=[("vi", "Tiếng Việt"), ("en", "English")])
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "channel", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "language"], name="notification_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel} · {self.language}"
