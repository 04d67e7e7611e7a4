from django.urls import include, path

from training.campaigns.views import campaigns, simulations
from training.campaigns.views import classes as class_assignments
from training.people.views import (
    api_tokens,
    classes,
    domains,
    invitations,
    me,
    organizations,
    roster,
)

urlpatterns = [
    path("", organizations.organization_list, name="organization_list"),
    path("new/", organizations.organization_create, name="organization_create"),
    path("<slug:org>/", organizations.organization_home, name="organization_home"),
    path("<slug:org>/members/", organizations.member_list, name="member_list"),
    path(
        "<slug:org>/members/<int:member_id>/",
        organizations.member_update,
        name="member_update",
    ),
    path(
        "<slug:org>/progress/",
        class_assignments.organization_progress,
        name="organization_progress",
    ),
    path("<slug:org>/groups/new/", classes.group_create, name="group_create"),
    path("<slug:org>/groups/<int:group_id>/", classes.group_detail, name="group_detail"),
    path("<slug:org>/groups/<int:group_id>/code/", classes.group_code, name="group_code"),
    path("<slug:org>/groups/<int:group_id>/joining/", classes.group_joining, name="group_joining"),
    path(
        "<slug:org>/groups/<int:group_id>/students/",
        classes.students_create,
        name="students_create",
    ),
    path(
        "<slug:org>/groups/<int:group_id>/students/<int:member_id>/password/",
        classes.student_password,
        name="student_password",
    ),
    path("<slug:org>/groups/<int:group_id>/assign/", class_assignments.assign, name="assign"),
    path(
        "<slug:org>/groups/<int:group_id>/progress/",
        class_assignments.group_progress,
        name="group_progress",
    ),
    path(
        "<slug:org>/groups/<int:group_id>/progress.csv",
        class_assignments.group_progress_csv,
        name="group_progress_csv",
    ),
    path("<slug:org>/invitations/", include(invitations.org_urlpatterns)),
    path("<slug:org>/import/", include(roster.org_urlpatterns)),
    path("<slug:org>/domains/", include(domains.org_urlpatterns)),
    path("<slug:org>/me/", include(me.org_urlpatterns)),
    path("<slug:org>/campaigns/", include(campaigns.org_urlpatterns)),
    path("<slug:org>/simulations/", include(simulations.org_urlpatterns)),
    path("<slug:org>/api-tokens/", include(api_tokens.org_urlpatterns)),
    path("<slug:org>/integrations/", include("training.integrations.urls")),
    path("<slug:org>/", include("training.privacy.urls_orgs")),
]
