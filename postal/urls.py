from django.urls import path

from postal import views

app_name = "postal"

urlpatterns = [
    path("officer/post/handover/", views.handover_slip, name="handover"),
    path("officer/post/mail/", views.mail_queue, name="mail-queue"),
    path("officer/post/mail/<int:pk>/mailed/", views.mail_mailed, name="mail-mailed"),
    path("officer/post/<str:code>/", views.order, name="order"),
    path("postal/<slug:provider_id>/callback/", views.callback, name="callback"),
]
