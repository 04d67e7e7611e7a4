"""A learner's own data: /privacy/."""

from django.urls import path

from training.privacy import views

urlpatterns = [
    path("privacy/", views.my_data, name="my_data"),
    path("privacy/download/", views.my_data_download, name="my_data_download"),
    path("privacy/delete/", views.delete_my_account, name="delete_my_account"),
]
