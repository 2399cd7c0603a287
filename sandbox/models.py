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


class NationalPortalSwitch(models.Model):
    """How the simulated national portal behaves right now (one row; tests and the console flip it)."""

    class Mode(models.TextChoices):
        UP = "up", "up"
        DOWN = "down", "down (503)"
        SLOW = "slow", "slow"
        ERROR = "error", "500"
        GARBAGE = "garbage", "garbage"

    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.UP)
    slow_seconds = models.FloatField(default=3.0)


class NationalPortalPush(models.Model):
    """The simulated national portal's own record of every sync it accepted: one row per SyncId
    (a resend is counted on the row, not stored twice) so tests can check duplicates and order."""

    sync_id = models.CharField(max_length=40, unique=True)
    national_code = models.CharField(max_length=60, db_index=True)
    version = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    # What it holds as the dossier's latest state: a version older than one already held is kept
    # in the record but flagged stale (the receiver skips it, as the national side does).
    is_stale = models.BooleanField(default=False)
    resends = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class NationalPortalDossier(models.Model):
    """A dossier filed on the simulated national portal, waiting to be sent to (or pulled by) the province."""

    national_code = models.CharField(max_length=60, unique=True)
    body = models.JSONField()
    taken = models.BooleanField(default=False)
    answer_status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
