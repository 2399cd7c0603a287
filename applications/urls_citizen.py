from django.urls import path

from applications.views import citizen, files, tracking

urlpatterns = [
    path("procedures/<str:code>/apply/", citizen.apply, name="apply"),
    path("dossiers/", citizen.my_dossiers, name="my-dossiers"),
    path("dossiers/draft/<int:pk>/applicant/", citizen.draft_applicant, name="draft-applicant"),
    path("dossiers/draft/<int:pk>/form/", citizen.draft_form, name="draft-form"),
    path("dossiers/draft/<int:pk>/attachments/", citizen.draft_attachments, name="draft-attachments"),
    path("dossiers/draft/<int:pk>/attachments/<int:attachment_pk>/remove/", citizen.draft_attachment_remove,
         name="draft-attachment-remove"),
    path("dossiers/draft/<int:pk>/review/", citizen.draft_review, name="draft-review"),
    path("dossiers/draft/<int:pk>/delete/", citizen.draft_delete_view, name="draft-delete"),
    path("dossiers/<str:code>/", citizen.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/submitted/", citizen.filed, name="filed"),
    path("dossiers/<str:code>/withdraw/", citizen.dossier_withdraw, name="dossier-withdraw"),
    path("dossiers/<str:code>/stop/", citizen.dossier_request_stop, name="dossier-stop"),
    path("dossiers/<str:code>/supplement/", citizen.supplement_send, name="supplement-send"),
    path("dossiers/<str:code>/supplement/upload/", citizen.supplement_upload, name="supplement-upload"),
    path("dossiers/<str:code>/supplement/<int:attachment_pk>/remove/", citizen.supplement_attachment_remove,
         name="supplement-attachment-remove"),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment"),
    path("track/", tracking.track, name="track"),
]
