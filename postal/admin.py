from django.contrib import admin

from applications.models import SlipMailing
from postal.models import PostalOrder, PostalUpdate


class PostalUpdateInline(admin.TabularInline):
    model = PostalUpdate
    extra = 0
    can_delete = False
    readonly_fields = ("status", "at", "note", "source", "received_at")


@admin.register(PostalOrder)
class PostalOrderAdmin(admin.ModelAdmin):
    # Read-only: orders are written by the officer's action and the operator's reports only.
    list_display = ("reference", "dossier", "state", "tracking_number", "attempts", "created_at")
    list_filter = ("state", "provider")
    search_fields = ("reference", "tracking_number", "dossier__code")
    inlines = [PostalUpdateInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SlipMailing)
class SlipMailingAdmin(admin.ModelAdmin):
    # Read-only: rows are written at receipt and marked mailed from the officer's queue.
    list_display = ("dossier", "document_kind", "state", "created_at", "mailed_at")
    list_filter = ("state", "document_kind")
    search_fields = ("dossier__code",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

