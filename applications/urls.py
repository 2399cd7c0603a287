"""Dossier URLs, split by audience so each module stays readable: citizen pages (filing, my
dossiers, tracking), the officers' back office, guided filing at the counter, and documents."""

from django.urls import include, path

from applications import urls_citizen, urls_documents, urls_guided, urls_officer

app_name = "applications"
urlpatterns = [
    path("", include(urls_citizen)),
    path("", include(urls_documents)),
    path("officer/guided/", include(urls_guided)),
    path("officer/", include(urls_officer)),
]
