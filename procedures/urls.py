from django.urls import path

from procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path(
        "<str:code>/components/<int:component_id>/template/", views.component_template_download,
        name="component-template",
    ),
]
