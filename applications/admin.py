"""Dossiers in the Django admin: read-only. Dossiers move only through the workflow services
(the back office), so the admin can look, search and audit, never edit or delete."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from applications.models import ControlSheetEntry, Dossier, DossierAccess, DossierEvent, Pause, SupplementRequest


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
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "procedure_version", "agency", "status", "applicant_name", "submitted_at", "due_current",
                    "timeliness"]
    list_filter = ["status", "agency", "channel", "timeliness"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["procedure_version__procedure", "agency"]
    date_hierarchy = "submitted_at"
    # The ID numbers are personal data: not shown in the admin (Law 91/2025 minimisation).
    exclude = ["applicant_id_number", "subject_id_number", "submit_token"]
    inlines = [EventInline, ControlSheetInline, PauseInline, SupplementRequestInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "dossier", "action", "actor", "actor_role", "from_status", "to_status"]
    list_filter = ["action", "actor_role"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "actor"]
    date_hierarchy = "at"


@admin.register(DossierAccess)
class DossierAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who on the staff side opened which dossier: for data-protection reviews and complaints."""

    list_display = ["at", "dossier", "user", "kind", "object_id"]
    list_filter = ["kind"]
    search_fields = ["dossier__code", "user__email", "user__full_name"]
    list_select_related = ["dossier", "user"]
    date_hierarchy = "at"
