from django.urls import path, re_path

from training.live import views

urlpatterns = [
    path("", views.join_start, name="live_join_start"),
    re_path(r"^(?P<pin>[0-9]{6})/$", views.join, name="live_join"),
    path("host/", views.host_new, name="live_host_new"),
    path("host/<slug:slug>/", views.host_setup, name="live_host_setup"),
    path("s/<uuid:public_id>/", views.play, name="live_play"),
    path("s/<uuid:public_id>/host/", views.host, name="live_host"),
    path("s/<uuid:public_id>/host/screen/", views.host_screen, name="live_host_screen"),
    path("s/<uuid:public_id>/results.csv", views.results_csv, name="live_results_csv"),
]
