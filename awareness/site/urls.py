from django.urls import path

from awareness.site import views

urlpatterns = [
    path("", views.home, name="home"),
]
