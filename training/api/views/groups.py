"""Groups (departments and classes): administrators manage all, managers and educators the
groups they lead."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from training.api.serializers.groups import GroupIn, GroupMembersIn, GroupOut
from training.api.views.base import OrganizationViewSet, parse
from training.people.models import Group
from training.people.selectors import group_for, groups_visible_to, members_among
from training.people.services import (
    add_to_group,
    create_group,
    delete_group,
    remove_from_group,
    rename_group,
)


@extend_schema_view(
    list=extend_schema(summary="List the groups the caller may manage"),
    retrieve=extend_schema(summary="One group"),
    destroy=extend_schema(summary="Delete a group (its members stay in the organisation)"),
)
@extend_schema(tags=["groups"])
class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    OrganizationViewSet,
):
    serializer_class = GroupOut
    queryset = Group.objects.none()  # for the schema only: get_queryset() is the gate
    role = "staff"
    ordering_fields = ["id", "name", "created_at"]
    ordering = "id"

    def get_queryset(self):
        return groups_visible_to(self.membership).annotate(member_count=Count("members"))

    def get_object(self):
        group_for(self.membership, self.kwargs["pk"])  # the gate: 404 foreign, 403 not led
        return self.get_queryset().get(pk=self.kwargs["pk"])

    @extend_schema(summary="Create a group", request=GroupIn, responses={201: GroupOut})
    def create(self, request, org=None):
        group = create_group(self.membership, **parse(GroupIn, request.data))
        return Response(GroupOut(self.get_queryset().get(pk=group.pk)).data, status=201)

    @extend_schema(summary="Rename a group", request=GroupIn)
    def partial_update(self, request, org=None, pk=None):
        # A PATCH names only what changes: one without a name changes nothing (as its schema says).
        group = self.get_object()
        if data := parse(GroupIn, request.data, partial=True):
            rename_group(self.membership, group, **data)
        return Response(GroupOut(self.get_object()).data)

    def perform_destroy(self, group):
        delete_group(self.membership, group)

    @extend_schema(summary="Add members to a group", request=GroupMembersIn, responses=GroupOut)
    @action(detail=True, methods=["post"], url_path="members/add")
    def add_members(self, request, org=None, pk=None):
        group = self.get_object()
        members = members_among(self.membership, parse(GroupMembersIn, request.data)["members"])
        add_to_group(self.membership, group, members)
        return Response(GroupOut(self.get_object()).data)

    @extend_schema(
        summary="Remove members from a group", request=GroupMembersIn, responses=GroupOut
    )
    @action(detail=True, methods=["post"], url_path="members/remove")
    def remove_members(self, request, org=None, pk=None):
        group = self.get_object()
        members = members_among(self.membership, parse(GroupMembersIn, request.data)["members"])
        remove_from_group(self.membership, group, members)
        return Response(GroupOut(self.get_object()).data)
