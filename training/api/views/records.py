"""What learners did: campaign assignments, module progress and attempts. Administrators only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from training.api.filters import AssignmentFilter, AttemptFilter, ProgressFilter
from training.api.serializers.campaigns import AssignmentOut
from training.api.serializers.progress import AttemptOut, ProgressOut
from training.api.views.base import OrganizationViewSet
from training.campaigns.models import Assignment
from training.campaigns.selectors import assignments_of
from training.campaigns.selectors.classes import attempts_in, module_progress_in
from training.progress.models import Attempt, ModuleProgress


@extend_schema_view(list=extend_schema(summary="List campaign assignments", tags=["records"]))
class AssignmentViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = AssignmentOut
    queryset = Assignment.objects.none()  # for the schema only
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "due_at"]
    ordering = "id"

    def get_queryset(self):
        return assignments_of(self.membership)


@extend_schema_view(list=extend_schema(summary="List module progress per member", tags=["records"]))
class ProgressViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = ProgressOut
    queryset = ModuleProgress.objects.none()  # for the schema only
    filterset_class = ProgressFilter
    ordering_fields = ["id", "updated_at"]
    ordering = "id"

    def get_queryset(self):
        return module_progress_in(self.membership.organization_id)


@extend_schema_view(list=extend_schema(summary="List attempts per member", tags=["records"]))
class AttemptViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = AttemptOut
    queryset = Attempt.objects.none()  # for the schema only
    filterset_class = AttemptFilter
    ordering_fields = ["id", "started_at"]
    ordering = "id"

    def get_queryset(self):
        return attempts_in(self.membership.organization_id)
