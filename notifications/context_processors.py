from django.http import HttpRequest

from notifications.services import unread_count


def unread(request: HttpRequest) -> dict:
    """`unread_notifications` for the navbar bell (cached; no query on most pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
