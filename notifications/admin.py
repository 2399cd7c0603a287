from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.defaults import ACCOUNT_EVENTS
from notifications.models import Notification, NotificationState, NotificationTemplate
from notifications.tasks import notification_send
from portal.lib.dispatch import publish


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "language", "subject", "is_active", "version", "updated_at"]
    list_filter = ["channel", "language", "is_active"]
    search_fields = ["event", "subject", "body"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request, obj, form, change):
        # Each notification records the version it was written from, so a sent
        # message can be traced to the exact wording it used.
        if change and form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "state", "attempts", "sent_at", "read_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["dedupe_key", "subject"]
    # Password-reset and activation messages carry a live sign-in link: whoever reads it in the
    # admin could take over the account, so their text and link are never shown here.
    readonly_fields = [
        field.name if field.name not in ("body", "link") else f"{field.name}_shown"
        for field in Notification._meta.fields
    ]
    fields = readonly_fields
    actions = ["retry_failed"]

    @admin.display(description=_("nội dung"))
    def body_shown(self, obj: Notification) -> str:
        return _("(ẩn: có liên kết đăng nhập dùng một lần)") if obj.event in ACCOUNT_EVENTS else obj.body

    @admin.display(description=_("liên kết"))
    def link_shown(self, obj: Notification) -> str:
        return _("(ẩn)") if obj.event in ACCOUNT_EVENTS and obj.link else obj.link

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại các thông báo lỗi đã chọn"))
    def retry_failed(self, request, queryset):
        ids = list(queryset.filter(state=NotificationState.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(state=NotificationState.PENDING, attempts=0, next_attempt_at=None)
        for pk in ids:
            publish(notification_send, pk)
        self.message_user(request, _("Đã đưa %(n)s thông báo vào hàng đợi gửi lại.") % {"n": len(ids)})
