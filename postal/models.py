"""Postal orders: a dossier's result handed to public post (bưu chính công ích, Decree 42/2022 Art 11 k1a).

A PostalOrder is an outbox row: it is written in the transaction that moves the dossier to "sent by
post", before the operator is called, so an operator that is down, slow or answering nonsense loses
nothing; the task and the sweep call it until it accepts or refuses. One parcel per dossier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    PENDING = "pending", _("Đang gửi yêu cầu đến bưu điện")
    ACCEPTED = "accepted", _("Bưu điện đã nhận yêu cầu")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    DELIVERED = "delivered", _("Đã phát thành công")
    FAILED = "failed", _("Phát không thành công")
    RETURNED_TO_SENDER = "returned_to_sender", _("Chuyển hoàn về cơ quan")
    REJECTED = "rejected", _("Bưu điện từ chối yêu cầu")


# States after which the operator has nothing more to say about the parcel.
FINAL_ORDER_STATES = (OrderState.DELIVERED, OrderState.FAILED, OrderState.RETURNED_TO_SENDER, OrderState.REJECTED)
# Accepted by the operator and still travelling: the beat job asks about these when they go quiet.
TRACKED_ORDER_STATES = (OrderState.ACCEPTED, OrderState.IN_TRANSIT)


class PostalOrder(models.Model):
    dossier = models.OneToOneField(
        "applications.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="postal_order",
    )
    # Our idempotency key, sent with every attempt: the operator makes one parcel per reference.
    reference = models.CharField(_("mã yêu cầu"), max_length=40, unique=True)
    provider = models.CharField(_("đơn vị bưu chính"), max_length=20)
    state = models.CharField(_("trạng thái"), max_length=20, choices=OrderState.choices, default=OrderState.PENDING)
    recipient_name = models.CharField(_("người nhận"), max_length=150)
    recipient_phone = models.CharField(_("điện thoại người nhận"), max_length=15)
    address = models.CharField(_("địa chỉ nhận"), max_length=255)
    weight_grams = models.PositiveIntegerField(_("khối lượng (gam)"), default=100)
    operator_order_id = models.CharField(_("mã đơn hàng của bưu điện"), max_length=40, blank=True)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(_("bưu điện nhận lúc"), null=True, blank=True)
    last_update_at = models.DateTimeField(_("cập nhật gần nhất"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("phát lúc"), null=True, blank=True)
    province = models.CharField(_("tỉnh, thành phố nhận"), max_length=50, blank=True)
    # Quoted from the tariff when the order is made; who pays it is the procedure's fee data.
    postage_amount = models.PositiveBigIntegerField(_("cước bưu chính (đồng)"), default=0)
    postage_paid_by_agency = models.BooleanField(_("cơ quan trả cước"), default=False)

    class Meta:
        verbose_name = _("bưu gửi kết quả")
        verbose_name_plural = _("bưu gửi kết quả")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="postal_order_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "operator_order_id"], condition=~Q(operator_order_id=""),
                name="postal_operator_order_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number or self.reference

    @property
    def is_pending(self) -> bool:
        return self.state == OrderState.PENDING


class PostalUpdate(models.Model):
    """One report from the operator (callback or poll), kept as received. (order, status, at) is
    unique: a replayed callback, or a poll repeating what a callback said, is recorded once."""

    order = models.ForeignKey(PostalOrder, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=OrderState.choices)
    at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10)  # "callback" | "poll" | "order"
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "status", "at"], name="postal_update_unique")]
