"""Agency API keys in the admin: issue (the key is shown once), rotate, revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.keys import api_key_issue, api_key_revoke, api_key_rotate
from api.models import ApiKey


def _show_once(request, key: ApiKey, raw: str) -> None:
    messages.warning(request, _("Khóa API của «%(name)s» (chỉ hiển thị một lần, hãy lưu lại ngay): %(key)s")
                     % {"name": key.name, "key": raw})


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("agency",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "agency", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("rotate", "revoke")

    def get_readonly_fields(self, request, obj=None):
        # A key's owner never changes: rotating issues a new one for the same system.
        return (*self.readonly_fields, "agency", "user") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked keys stay, so the events they caused keep their origin

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            ApiKey.objects.filter(pk=obj.pk).update(name=obj.name)
            return
        key, raw = api_key_issue(name=obj.name, agency=obj.agency, user=obj.user)
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        _show_once(request, key, raw)

    @admin.action(description=gettext_lazy("Cấp khóa mới thay khóa đã chọn (xoay khóa)"))
    def rotate(self, request, queryset) -> None:
        for key in queryset.filter(revoked_at__isnull=True):
            new, raw = api_key_rotate(key)
            _show_once(request, new, raw)

    @admin.action(description=gettext_lazy("Thu hồi khóa đã chọn"))
    def revoke(self, request, queryset) -> None:
        for key in queryset:
            api_key_revoke(key)
        messages.success(request, _("Đã thu hồi khóa."))
