from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import views

app_name_portal = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((app_name_portal, "portal"))),
    path("", include("monitoring.urls")),
    # The staff second factor (enrolment, code, re-check, recovery codes): its own namespace.
    path("accounts/two-factor/", include("accounts.two_factor_urls")),
    path("accounts/", include("accounts.urls")),
    path("procedures/", include("procedures.urls")),
    path("", include("applications.urls")),
    path("", include("docstore.urls")),
    path("payments/", include("payments.urls")),
    path("", include("postal.urls")),
    path("", include("feedback.urls")),
    path("", include("national.urls")),
    path("", include("quality.urls")),
    path("", include("retention.urls")),
    path("notifications/", include("notifications.urls")),
    # Exempt from CSRF so the (cached, token-free) header can carry the switcher: the view only sets
    # the language cookie, and Django validates the redirect target, so a forged request can at
    # worst change someone's display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]
if apps.is_installed("sandbox"):
    # Simulated outside systems: settings.py installs the app only when DEBUG is on.
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

admin.site.site_header = settings.PORTAL_NAME + " — Quản trị"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Cấu hình cổng"
