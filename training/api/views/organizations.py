from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from training.api.permissions import SignedIn, caller_membership
from training.api.serializers.organizations import OrganizationOut
from training.people.models import ApiToken
from training.people.selectors import memberships_of


class OrganizationViewSet(viewsets.ViewSet):
    """The caller's organisations: a token's own, or every one the signed-in user belongs to."""

    permission_classes = [SignedIn]
    lookup_field = "org"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(responses=OrganizationOut(many=True), tags=["organisations"])
    def list(self, request):
        token = request.auth
        memberships = (
            [token.created_by] if isinstance(token, ApiToken) else memberships_of(request.user)
        )
        return Response(OrganizationOut(memberships, many=True).data)

    @extend_schema(responses=OrganizationOut, tags=["organisations"])
    def retrieve(self, request, org=None):
        return Response(OrganizationOut(caller_membership(request, org)).data)
