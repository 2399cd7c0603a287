"""The back office under /officer/ (queues, dossier page and actions, tracking book)."""

from django.urls import path

from applications.views import officer

urlpatterns = [
    path("", officer.officer_home, name="officer-home"),
    path("dossiers/<str:code>/", officer.dossier_detail, name="officer-dossier"),
    path("dossiers/<str:code>/actions/<slug:action>/", officer.dossier_action, name="officer-action"),
    path("tracking-book/", officer.tracking_book, name="tracking-book"),
    path("tracking-book/export/", officer.tracking_book_download, name="tracking-book-export"),
]
