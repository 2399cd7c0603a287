"""Document downloads, printable slips and the public verification page."""

from django.urls import path

from applications.views import documents

urlpatterns = [
    path("dossiers/<str:code>/documents/", documents.citizen_documents, name="citizen-documents"),
    path("dossiers/<str:code>/documents/<int:pk>/", documents.citizen_document_download, name="document-download"),
    path("officer/dossiers/<str:code>/documents/", documents.staff_documents, name="staff-documents"),
    path(
        "officer/dossiers/<str:code>/documents/<int:pk>/", documents.staff_document_download,
        name="staff-document-download",
    ),
    path(
        "officer/dossiers/<str:code>/documents/<int:pk>/print/", documents.staff_document_print,
        name="staff-document-print",
    ),
    path(
        "officer/dossiers/<str:code>/documents/issue/<slug:kind>/", documents.staff_document_issue,
        name="staff-document-issue",
    ),
    path("verify/<str:token>/", documents.verify, name="verify"),
]
