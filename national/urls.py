from django.urls import path

from national import views

app_name = "national"

urlpatterns = [
    path("national/inbound/dossiers", views.inbound_dossier, name="inbound"),
]
