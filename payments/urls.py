from django.http import Http404
from django.urls import path

app_name = "payments"


def _not_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    # Placeholders so other apps' templates can link here; the payments issue implements them.
    path("dossier/<str:code>/pay/", _not_yet, name="pay"),
    path("dossier/<str:code>/counter/", _not_yet, name="counter"),
]
