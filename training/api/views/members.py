"""Members, for HR provisioning: add, change, deactivate. Administrators only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from training.api.filters import MemberFilter
from training.api.serializers.members import MemberChangeIn, MemberIn, MemberOut
from training.api.views.base import OrganizationViewSet, parse
from training.people.models import Membership
from training.people.selectors import groups_among, member_for, members_of
from training.people.services import add_member, deactivate_member, update_member


@extend_schema_view(
    list=extend_schema(summary="List members (ended ones too)"),
    retrieve=extend_schema(summary="One member"),
)
@extend_schema(tags=["members"])
class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    serializer_class = MemberOut
    queryset = Membership.objects.none()  # for the schema only: get_queryset() is the gate
    filterset_class = MemberFilter
    ordering_fields = ["id", "created_at"]
    ordering = "id"

    def get_queryset(self):
        return members_of(self.membership)

    def get_object(self):
        return member_for(self.membership, self.kwargs["pk"])

    @extend_schema(
        summary="Add a member",
        description="Makes an account without a password if the e-mail has none; the person "
        "sets one with “forgot my password”. An ended membership is restored.",
        request=MemberIn,
        responses={201: MemberOut},
    )
    def create(self, request, org=None):
        data = parse(MemberIn, request.data)
        groups = groups_among(self.membership, data.pop("groups"))
        member = add_member(self.membership, groups=groups, **data)
        return Response(MemberOut(member_for(self.membership, member.pk)).data, status=201)

    @extend_schema(summary="Change a member's role, external id or groups", request=MemberChangeIn)
    def partial_update(self, request, org=None, pk=None):
        member = self.get_object()
        data = parse(MemberChangeIn, request.data)
        if "groups" in data:
            data["groups"] = groups_among(self.membership, data["groups"])
        update_member(self.membership, member, **data)
        return Response(MemberOut(member_for(self.membership, member.pk)).data)

    @extend_schema(
        summary="End a member's access (their history is kept)",
        request=None,
        responses={200: MemberOut},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, org=None, pk=None):
        member = deactivate_member(self.membership, self.get_object())
        return Response(MemberOut(member).data, status=status.HTTP_200_OK)
