from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("accounts/profile/my-data/", views.my_data_export, name="my-data-export"),
]
