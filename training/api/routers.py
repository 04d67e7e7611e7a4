"""Version 1 of the API: the caller's organisations, and below each what it holds."""

from rest_framework.routers import SimpleRouter

from training.api.views.campaigns import CampaignViewSet
from training.api.views.groups import GroupViewSet
from training.api.views.live import LiveSessionViewSet
from training.api.views.members import MemberViewSet
from training.api.views.modules import ModuleViewSet
from training.api.views.organizations import OrganizationViewSet
from training.api.views.records import AssignmentViewSet, AttemptViewSet, ProgressViewSet
from training.api.views.simulations import SimulationViewSet

top = SimpleRouter()
top.register("modules", ModuleViewSet, basename="api-module")
top.register("orgs", OrganizationViewSet, basename="api-organization")

# Below /api/v1/orgs/<org>/.
organization = SimpleRouter()
organization.register("members", MemberViewSet, basename="api-member")
organization.register("groups", GroupViewSet, basename="api-group")
organization.register("campaigns", CampaignViewSet, basename="api-campaign")
organization.register("assignments", AssignmentViewSet, basename="api-assignment")
organization.register("progress", ProgressViewSet, basename="api-progress")
organization.register("attempts", AttemptViewSet, basename="api-attempt")
organization.register("live-sessions", LiveSessionViewSet, basename="api-live-session")
organization.register("simulations", SimulationViewSet, basename="api-simulation")
