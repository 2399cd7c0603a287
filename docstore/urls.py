from django.urls import path

from docstore import views

app_name = "docstore"

urlpatterns = [
    path("my-documents/", views.my_documents, name="my-documents"),
    path("my-documents/keep/<int:pk>/", views.keep, name="keep"),
    path("my-documents/<slug:source>/<int:pk>/", views.download, name="download"),
    path("my-documents/<slug:source>/<int:pk>/delete/", views.delete, name="delete"),
    path("dossiers/draft/<int:pk>/reuse/", views.reuse, name="reuse"),
    path("officer/guided/<int:pk>/reuse/", views.guided_reuse, name="guided-reuse"),
]
