from __future__ import annotations

from django.db import models


class BankTransaction(models.Model):
    """The simulated bank's own ledger: what it decided for each merchant reference.

    It stands for the gateway's side of the world, so querydr answers from here and never from the
    portal's PaymentAttempt."""

    txn_ref = models.CharField(max_length=34, unique=True)
    amount = models.PositiveBigIntegerField()  # vnp_Amount units (đồng × 100), as the gateway keeps it
    transaction_no = models.CharField(max_length=20, unique=True)
    response_code = models.CharField(max_length=4)
    transaction_status = models.CharField(max_length=4)
    bank_code = models.CharField(max_length=20)
    order_info = models.CharField(max_length=255, blank=True)
    pay_date = models.CharField(max_length=14)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.response_code}/{self.transaction_status}"


class SandboxParcel(models.Model):
    """The simulated postal operator's own register of parcels (its side of the world): the
    tracking API answers from here, never from the portal's PostalOrder."""

    client_ref = models.CharField(max_length=40, unique=True)
    order_id = models.CharField(max_length=40, unique=True)
    tracking_number = models.CharField(max_length=20, unique=True)
    recipient = models.JSONField(default=dict)
    weight_grams = models.PositiveIntegerField(default=0)
    callback_url = models.CharField(max_length=500)
    status = models.CharField(max_length=20, default="accepted")
    events = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.status}"
