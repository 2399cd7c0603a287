"""Admin: the syncs the national portal has not acknowledged (with the answer received and a retry
action), and the national dossiers that could not be filed (correct the data, process again)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from national.inbound import inbound_reprocess
from national.models import InboundDossier, InboundState, NationalSync, SyncState
from national.services import sync_daily_counts, sync_retry


@admin.register(NationalSync)
class NationalSyncAdmin(admin.ModelAdmin):
    list_display = ("dossier", "version", "status_code", "state", "attempts", "response_status", "error",
                    "last_attempt_at", "delivered_at")
    list_filter = ("state",)
    search_fields = ("dossier__code", "dossier__national_code", "sync_id")
    list_select_related = ("dossier",)
    readonly_fields = [field.name for field in NationalSync._meta.fields]
    actions = ["retry"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("response_body")

    def changelist_view(self, request, extra_context=None):
        counts = sync_daily_counts()
        title = _("Đồng bộ lên Cổng DVC quốc gia — hôm nay đã đồng bộ %(delivered)d; đang chờ %(pending)d; "
                  "gửi lỗi %(retrying)d; thất bại %(dead)d") % counts
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    @admin.action(description=_("Gửi lại các lượt đồng bộ đã chọn"))
    def retry(self, request, queryset):
        count = 0
        for sync in queryset.exclude(state=SyncState.DELIVERED):
            sync_retry(sync)
            count += 1
        self.message_user(request, ngettext("Đã xếp %(n)d lượt để gửi lại.", "Đã xếp %(n)d lượt để gửi lại.", count)
                          % {"n": count}, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # the list and its action; rows themselves are read-only history

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # never deleted, even after the last failure


@admin.register(InboundDossier)
class InboundDossierAdmin(admin.ModelAdmin):
    list_display = ("national_code", "procedure_code", "agency_code", "state", "reason", "attempts", "received_at",
                    "dossier")
    list_filter = ("state",)
    search_fields = ("national_code", "procedure_code", "agency_code")
    list_select_related = ("dossier",)
    fields = ("national_code", "state", "reason", "dossier", "attempts", "received_at", "processed_at", "payload")
    actions = ["reprocess"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["national_code", "state", "reason", "dossier", "attempts", "received_at", "processed_at"]
        if obj is not None and obj.state == InboundState.FILED:
            readonly.append("payload")
        return readonly

    @admin.action(description=_("Xử lý lại các hồ sơ đã chọn"))
    def reprocess(self, request, queryset):
        filed = parked = 0
        for row in queryset.filter(state=InboundState.PARKED):
            row = inbound_reprocess(row)
            filed += row.state == InboundState.FILED
            parked += row.state == InboundState.PARKED
        self.message_user(request, _("Đã tạo %(filed)d hồ sơ; còn %(parked)d hồ sơ lỗi.")
                          % {"filed": filed, "parked": parked}, messages.SUCCESS if not parked else messages.WARNING)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
