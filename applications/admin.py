"""Dossiers in the Django admin: read-only. Dossiers move only through the workflow services
(the back office), so the admin can look, search and audit, never edit or delete."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.access_log import dossier_access_record
from applications.models import (
    AccessKind,
    ControlSheetEntry,
    Dossier,
    DossierAccess,
    DossierEvent,
    Pause,
    SupplementRequest,
)
from portal.lib.idnumber import mask_id_number
from procedures.models import FieldType, FormField

# Any run of 9 or 12 digits (an old ID card or a personal identification number) in free JSON:
# masked even where no form field says it is an ID number (event data, edited forms).
_ID_LIKE = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


def mask_ids_in(value: Any, id_keys: frozenset[str] = frozenset()) -> Any:
    """A copy of JSON data with every ID number masked ("•••••••••999")."""
    if isinstance(value, dict):
        return {
            key: (mask_id_number(str(item)) if key in id_keys and item else mask_ids_in(item, id_keys))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_ids_in(item, id_keys) for item in value]
    if isinstance(value, str):
        return _ID_LIKE.sub(lambda match: mask_id_number(match.group(0)), value)
    return value


def _pretty_json(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2))


class AccessLoggedAdminMixin:
    """Opening a dossier's page in the admin is logged like a back-office read."""

    def dossier_id_of(self, obj: Any) -> int:
        raise NotImplementedError

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        obj = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if obj is not None:
            dossier_access_record(dossier_id=self.dossier_id_of(obj), user=request.user, kind=AccessKind.DOSSIER,
                                  via_admin=True)
        return response


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierEvent
    fields = ["at", "action", "actor", "actor_role", "from_status", "to_status", "note", "is_public"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class ControlSheetInline(ReadOnlyMixin, admin.TabularInline):
    model = ControlSheetEntry
    fields = ["step", "from_party", "to_party", "handed_at", "due_at", "completed_at", "result"]
    readonly_fields = fields
    extra = 0


class PauseInline(ReadOnlyMixin, admin.TabularInline):
    model = Pause
    fields = ["reason", "started_at", "ended_at", "due_before", "due_after"]
    readonly_fields = fields
    extra = 0


class SupplementRequestInline(ReadOnlyMixin, admin.TabularInline):
    model = SupplementRequest
    fields = ["stage", "items", "requested_by", "requested_at", "answered_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Dossier)
class DossierAdmin(AccessLoggedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "procedure_version", "agency", "status", "applicant_name", "submitted_at", "due_current",
                    "timeliness"]
    list_filter = ["status", "agency", "channel", "timeliness"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["procedure_version__procedure", "agency"]
    date_hierarchy = "submitted_at"
    # The ID numbers are personal data: not shown in the admin (Law 91/2025 minimisation), neither
    # as columns nor inside the e-form's answers, which are shown masked instead.
    exclude = ["applicant_id_number", "subject_id_number", "submit_token", "form_data"]
    readonly_fields = ["form_data_masked"]
    inlines = [EventInline, ControlSheetInline, PauseInline, SupplementRequestInline]

    def dossier_id_of(self, obj: Dossier) -> int:
        return obj.pk

    @admin.display(description=_("nội dung tờ khai"))
    def form_data_masked(self, obj: Dossier) -> str:
        id_keys = frozenset(
            FormField.objects.filter(version_id=obj.procedure_version_id, field_type=FieldType.ID_NUMBER)
            .values_list("key", flat=True)
        )
        return _pretty_json(mask_ids_in(obj.form_data, id_keys))


@admin.register(DossierEvent)
class DossierEventAdmin(AccessLoggedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "dossier", "action", "actor", "actor_role", "from_status", "to_status"]
    list_filter = ["action", "actor_role"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "actor"]
    date_hierarchy = "at"
    exclude = ["data"]
    readonly_fields = ["data_masked"]

    def dossier_id_of(self, obj: DossierEvent) -> int:
        return obj.dossier_id

    @admin.display(description=_("dữ liệu"))
    def data_masked(self, obj: DossierEvent) -> str:
        return _pretty_json(mask_ids_in(obj.data))


@admin.register(DossierAccess)
class DossierAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who on the staff side opened which dossier: for data-protection reviews and complaints."""

    list_display = ["at", "dossier", "user", "kind", "object_id"]
    list_filter = ["kind"]
    search_fields = ["dossier__code", "user__email", "user__full_name"]
    list_select_related = ["dossier", "user"]
    date_hierarchy = "at"
