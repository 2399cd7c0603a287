"""Payments are read-only in the admin: they change only through the gateways and the services.
The per-agency provider choice is the one thing admins configure here."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from payments.models import AgencyPaymentConfig, FeeAssessment, PaymentAttempt
from payments.providers import registry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(ReadOnlyAdmin):
    list_display = ["txn_ref", "dossier", "agency", "channel", "provider", "amount", "state", "needs_refund", "created_at", "settled_at"]
    list_filter = ["state", "channel", "provider", "needs_refund"]
    search_fields = ["txn_ref", "dossier__code", "receipt_number", "provider_txn_no"]
    list_select_related = ["dossier", "agency"]
    date_hierarchy = "created_at"


@admin.register(FeeAssessment)
class FeeAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "amount", "quoted_total", "exemption_reason", "adjust_reason", "assessed_by", "assessed_at"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "assessed_by"]


class AgencyPaymentConfigForm(forms.ModelForm):
    """Offers only the gateways this deployment has (never the sandbox in production)."""

    provider = forms.ChoiceField(label=_("cổng thanh toán"))

    class Meta:
        model = AgencyPaymentConfig
        fields = ["agency", "provider", "enabled", "env_prefix"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A CharField with choices gets a TypedChoiceField in a ModelForm.
        provider_field = cast(forms.TypedChoiceField, self.fields["provider"])
        provider_field.choices = registry.provider_choices()


@admin.register(AgencyPaymentConfig)
class AgencyPaymentConfigAdmin(admin.ModelAdmin):
    form = AgencyPaymentConfigForm
    list_display = ["agency", "provider", "enabled", "env_prefix"]
    list_filter = ["provider", "enabled"]
