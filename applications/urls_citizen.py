from django.urls import path

from applications.views import citizen

urlpatterns = [
    path("procedures/<str:code>/apply/", citizen.apply, name="apply"),
    path("dossiers/", citizen.my_dossiers, name="my-dossiers"),
    path("track/", citizen.track, name="track"),
]
