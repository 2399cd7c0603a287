from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from accounts.backends import USER_READ_ALONG
        from notifications.services import _unread_key

        # The bell's count is on every signed-in page: read it with the user (one Redis round trip).
        if _unread_key not in USER_READ_ALONG:
            USER_READ_ALONG.append(_unread_key)
