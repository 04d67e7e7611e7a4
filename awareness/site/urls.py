from django.urls import path

from awareness.site import training_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-training/", training_views.my_training, name="my_training"),
    path("my-training/<slug:slug>/", training_views.assigned_module, name="assigned_module"),
    path("learn/", views.catalogue, name="catalogue"),
    path("learn/age/", views.set_age_band, name="set_age_band"),
    path("learn/<slug:slug>/", views.module_detail, name="module_detail"),
    path("learn/<slug:slug>/start/", views.start, name="start"),
    path("attempts/<uuid:attempt_id>/", views.play, name="play"),
    path("attempts/<uuid:attempt_id>/answer/", views.answer, name="answer"),
    path("attempts/<uuid:attempt_id>/continue/", views.continue_, name="continue"),
    path("attempts/<uuid:attempt_id>/results/", views.results, name="results"),
    path("museum/", views.museum, name="museum"),
    path("museum/<slug:slug>/", views.museum_example, name="museum_example"),
    path("media/examples/<int:pk>/<str:slot>/", views.example_media, name="example_media"),
    path("media/examples/<int:pk>/regions.css", views.example_regions, name="example_regions"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
]
