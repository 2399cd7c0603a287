from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from django.urls import path, re_path

from api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("procedures/", views.ProcedureList.as_view(), name="procedures"),
    path("procedures/<str:code>/", views.ProcedureDetail.as_view(), name="procedure"),
    path("track/", views.Track.as_view(), name="track"),
    path("me/dossiers/", views.MyDossiers.as_view(), name="my-dossiers"),
    path("me/dossiers/<str:code>/", views.MyDossier.as_view(), name="my-dossier"),
    path("me/dossiers/<str:code>/supplement/", views.MySupplement.as_view(), name="my-supplement"),
    path("me/dossiers/<str:code>/payments/", views.MyPayment.as_view(), name="my-payment"),
    path("agency/queues/", views.AgencyQueues.as_view(), name="agency-queues"),
    path("agency/queues/<str:key>/dossiers/", views.AgencyQueue.as_view(), name="agency-queue"),
    path("agency/dossiers/<str:code>/", views.AgencyDossier.as_view(), name="agency-dossier"),
    path("agency/dossiers/<str:code>/actions/<str:action>/", views.AgencyAction.as_view(), name="agency-action"),
    # Anything else under /api/v1/ is a problem-details 404, not the site's HTML page.
    re_path(r"^.*$", views.NotFound.as_view()),
]
