from django.urls import path

from accounts import two_factor_views as views

app_name = "two_factor"
urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recheck/", views.recheck, name="recheck"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
]
