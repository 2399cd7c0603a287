from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SHELL_VERSION": settings.SHELL_CACHE_VERSION,
        "PASSWORD_SIGNUP": settings.CITIZEN_PASSWORD_SIGNUP,
        "user_role": getattr(user, "role", None) if user and user.is_authenticated else None,
    }
