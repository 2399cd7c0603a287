"""The admin site, closed to anyone whose session has not passed the staff second factor.

`portal.middleware.StaffSecondFactorMiddleware` already sends such a session to the code form;
`has_permission` is the same rule inside the admin itself (as django-otp's OTPAdminSite does), so
the admin stays closed even if the middleware were left out of MIDDLEWARE. Other portals lost this
by protecting only their own pages (django-two-factor-auth #219, #66).
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.http import HttpRequest


class SecondFactorAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: this module is loaded while the app registry is still being populated.
        from accounts.two_factor import is_verified, second_factor_required_for

        if not super().has_permission(request):
            return False
        return not second_factor_required_for(request.user) or is_verified(request.user)  # type: ignore[arg-type]


class SecondFactorAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecondFactorAdminSite"
