from django.urls import path

from awareness.safety import views

urlpatterns = [
    path("removal/", views.removal_request, name="removal_request"),
    path("removal/sent/", views.removal_sent, name="removal_sent"),
    path("transparency/", views.transparency, name="transparency"),
    path("staff/removals/", views.removal_queue, name="removal_queue"),
    path("staff/removals/<int:removal_id>/", views.removal_review, name="removal_review"),
    path("staff/consents/", views.consent_list, name="consent_list"),
    path("staff/consents/<int:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
]
