from django.urls import include, path

from training.people.views import domains, invitations, joining

urlpatterns = [
    path("join/", joining.join_start, name="join_start"),
    path("join/<str:code>/", joining.join_group_page, name="join_group"),
    path("invitations/", include(invitations.public_urlpatterns)),
    path("domain-verification/", include(domains.public_urlpatterns)),
]
