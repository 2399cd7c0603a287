# Guided filing at the counter, mounted under /officer/guided/.
from django.urls import path

from applications.views import guided

urlpatterns = [
    path("", guided.guided_start, name="guided-start"),
    path("<int:pk>/applicant/", guided.guided_applicant, name="guided-applicant"),
    path("<int:pk>/form/", guided.guided_form, name="guided-form"),
    path("<int:pk>/attachments/", guided.guided_attachments, name="guided-attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", guided.guided_attachment_remove,
         name="guided-attachment-remove"),
    path("<int:pk>/review/", guided.guided_review, name="guided-review"),
    path("<int:pk>/delete/", guided.guided_delete, name="guided-delete"),
    path("<int:pk>/done/", guided.guided_done, name="guided-done"),
]
