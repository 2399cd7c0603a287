from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from portal import views

app_name_portal = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((app_name_portal, "portal"))),
    path("accounts/", include("accounts.urls")),
    path("procedures/", include("procedures.urls")),
    path("", include("applications.urls")),
    path("payments/", include("payments.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

admin.site.site_header = settings.PORTAL_NAME + " — Quản trị"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Cấu hình cổng"
