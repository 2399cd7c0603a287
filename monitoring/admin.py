"""A read-only list of generated documents, so the failures digest can link to the failed ones."""

from django.contrib import admin

from applications.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "dossier", "state", "attempts", "created_at")
    list_filter = ("state", "kind")
    list_select_related = ("dossier",)
    fields = ("kind", "dossier", "state", "attempts", "error", "created_at")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
