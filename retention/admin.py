from django.contrib import admin

from retention.models import RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "years", "legal_source"]
    list_filter = ["document_kind"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["procedure"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "dossiers_anonymised", "drafts_deleted", "petitions_anonymised",
                    "files_deleted", "documents_archived"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
