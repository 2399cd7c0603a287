"""Ratings (/danh-gia/), petitions (/phan-anh-kien-nghi/) and the staff pages under /officer/."""

from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("danh-gia/cam-on/", views.rate_thanks, name="rate-thanks"),
    path("danh-gia/<str:token>/", views.rate, name="rate"),
    path("dossiers/<str:code>/danh-gia/", views.rate_own, name="rate-own"),
    path("phan-anh-kien-nghi/", views.petition_list, name="petitions"),
    path("phan-anh-kien-nghi/gui/", views.petition_new, name="petition-new"),
    path("phan-anh-kien-nghi/da-gui/", views.petition_sent, name="petition-sent"),
    path("phan-anh-kien-nghi/tra-cuu/", views.petition_track, name="track"),
    path("phan-anh-kien-nghi/tra-cuu/danh-gia/", views.petition_rate_answer, name="track-rate"),
    path("officer/phan-anh/", views.officer_petitions, name="officer-petitions"),
    path("officer/phan-anh/<str:code>/", views.officer_petition, name="officer-petition"),
    path("officer/phan-anh/<str:code>/thao-tac/<slug:action>/", views.officer_petition_action,
         name="officer-petition-action"),
    path("officer/phan-anh/<str:code>/tep/<int:pk>/", views.officer_petition_attachment,
         name="officer-petition-attachment"),
    path("officer/danh-gia/<str:code>/", views.counter_rate, name="counter-rate"),
]
