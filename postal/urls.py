from django.urls import path

from postal import views

app_name = "postal"

urlpatterns = [
    path("officer/post/handover/", views.handover_slip, name="handover"),
    path("officer/post/<str:code>/", views.order, name="order"),
    path("postal/<slug:provider_id>/callback/", views.callback, name="callback"),
]
