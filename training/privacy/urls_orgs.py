"""Below /orgs/<org>/: the organisation's audit log and its members' data."""

from django.urls import path

from training.privacy import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("members/<int:member_id>/data/", views.member_data, name="member_data"),
    path(
        "members/<int:member_id>/data/download/",
        views.member_data_download,
        name="member_data_download",
    ),
    path("members/<int:member_id>/delete/", views.member_delete, name="member_delete"),
]
