from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("officer/quality/", views.dashboard, name="dashboard"),
    path("officer/quality/dossiers/<slug:counter>/", views.drill, name="drill"),
    path("officer/quality/feedback/<slug:counter>/", views.feedback_drill, name="feedback-drill"),
    path("officer/quality/report.<slug:fmt>", views.report, name="report"),
    path("minh-bach/", views.transparency, name="transparency"),
]
