from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from retention.models import RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "years", "legal_source"]
    list_filter = ["document_kind"]
    raw_id_fields = ["procedure"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "dossiers_anonymised", "drafts_deleted", "petitions_anonymised",
                    "files_deleted", "documents_archived"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False
