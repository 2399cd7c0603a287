from django.urls import path

from applications.views import officer

urlpatterns = [
    path("", officer.officer_home, name="officer-home"),
]
