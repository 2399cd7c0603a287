"""Payment attempts (one per trip to a gateway or per counter receipt) and per-agency provider settings.

An attempt's state changes only through a conditional UPDATE … WHERE state='pending' in
payments.services, so a final state (succeeded, failed, cancelled, expired) is never left,
whatever order notifications, browser returns and reconciliation arrive in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProviderId(models.TextChoices):
    SANDBOX = "sandbox", _("Cổng thanh toán thử nghiệm (sandbox)")
    VNPAY = "vnpay", _("VNPay")
    COUNTER = "counter", _("Nộp tại Bộ phận Một cửa")


class AttemptState(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")


FINAL_STATES = (AttemptState.SUCCEEDED, AttemptState.FAILED, AttemptState.CANCELLED, AttemptState.EXPIRED)


class PaymentChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")


class CounterMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    CARD = "card", _("Thẻ")


class AgencyPaymentConfig(models.Model):
    """Which gateway an agency collects through. Credentials never live here: for VNPay they are read
    from the environment, either the defaults (VNPAY_TMN_CODE, VNPAY_HASH_SECRET) or, when
    `env_prefix` is set, <PREFIX>_TMN_CODE and <PREFIX>_HASH_SECRET."""

    agency = models.OneToOneField(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="payment_config"
    )
    provider = models.CharField(
        _("cổng thanh toán"), max_length=20,
        choices=[(ProviderId.SANDBOX, ProviderId.SANDBOX.label), (ProviderId.VNPAY, ProviderId.VNPAY.label)],
    )
    enabled = models.BooleanField(_("đang dùng"), default=True)
    env_prefix = models.CharField(
        _("tiền tố biến môi trường"), max_length=40, blank=True,
        help_text=_("Ví dụ VNPAY_ANPHU: đọc VNPAY_ANPHU_TMN_CODE và VNPAY_ANPHU_HASH_SECRET từ môi trường."),
    )

    class Meta:
        verbose_name = _("cấu hình thanh toán của cơ quan")
        verbose_name_plural = _("cấu hình thanh toán của cơ quan")

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_provider_display()}"


class FeeAssessment(models.Model):
    """What the officer asked the applicant to pay and why: the fee lines, pages and copies counted,
    an exemption or an adjusted amount with its reason. The payment page and receipts read it."""

    dossier = models.ForeignKey("applications.Dossier", on_delete=models.PROTECT, related_name="fee_assessments")
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    copies = models.PositiveIntegerField(_("số bản"), default=1)
    lines = models.JSONField(_("các khoản phí"), default=list)
    quoted_total = models.PositiveBigIntegerField(_("tổng theo biểu phí (đồng)"))
    amount = models.PositiveBigIntegerField(_("số tiền phải nộp (đồng)"))
    exemption_reason = models.CharField(_("lý do miễn"), max_length=255, blank=True)
    adjust_reason = models.CharField(_("lý do điều chỉnh"), max_length=255, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        constraints = [
            # An amount other than the fee schedule's needs a written reason.
            models.CheckConstraint(
                condition=Q(amount=models.F("quoted_total")) | ~Q(adjust_reason=""), name="fee_adjustment_has_reason"
            ),
        ]


class PaymentAttempt(models.Model):
    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payment_attempts"
    )
    # Copied from the dossier: receipt numbers are unique per agency and reports filter by it.
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    # What we send as vnp_TxnRef: random, so it cannot be guessed, and new for each attempt, so retries work.
    txn_ref = models.CharField(_("mã giao dịch"), max_length=34, unique=True)
    provider = models.CharField(_("cổng thanh toán"), max_length=20, choices=ProviderId.choices)
    channel = models.CharField(_("hình thức"), max_length=10, choices=PaymentChannel.choices, default=PaymentChannel.ONLINE)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    # The fee lines as they stood when the attempt was made ([{"name", "kind", "basis", "quantity", "amount"}]).
    lines = models.JSONField(_("các khoản phí"), default=list, blank=True)
    exemption_reason = models.CharField(_("lý do miễn"), max_length=255, blank=True)
    # Of `amount`, the postage of a result by post (its own line in `lines`): the fee report shows it apart.
    postage_amount = models.PositiveBigIntegerField(_("trong đó cước bưu chính (đồng)"), default=0)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=AttemptState.choices, default=AttemptState.PENDING, db_index=True
    )

    provider_txn_no = models.CharField(_("mã giao dịch tại cổng"), max_length=64, null=True, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, blank=True)
    notification = models.JSONField(_("thông báo từ cổng"), default=dict, blank=True)
    # Money taken twice for one dossier (two tabs paid at once): someone must refund it.
    needs_refund = models.BooleanField(_("cần hoàn tiền"), default=False)

    counter_method = models.CharField(_("hình thức nộp"), max_length=10, choices=CounterMethod.choices, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=50, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thu"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    payer_ip = models.GenericIPAddressField(null=True, blank=True)

    created_at = models.DateTimeField(_("tạo lúc"), db_index=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    settled_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="payment_attempt_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_txn_no"], condition=Q(provider_txn_no__isnull=False),
                name="payment_provider_txn_unique",
            ),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(state="succeeded"), name="one_succeeded_payment_per_dossier"
            ),
            models.UniqueConstraint(
                fields=["agency", "receipt_number"], condition=Q(receipt_number__isnull=False),
                name="payment_receipt_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(channel="online") | Q(receipt_number__isnull=False), name="counter_payment_has_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_state_display()})"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES
