"""Dossier URLs. Citizen pages (filing, my dossiers, tracking) and the officers' back office
live in separate modules so each stays readable."""

from django.urls import include, path

from applications import urls_citizen, urls_officer

app_name = "applications"
urlpatterns = [
    path("", include(urls_citizen)),
    path("officer/", include(urls_officer)),
]
