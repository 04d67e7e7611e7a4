"""What every organisation endpoint shares: the caller's membership, gated by role."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from training.api.pagination import CursorPage
from training.api.permissions import OrganizationRole
from training.people.models import Membership


def parse(serializer_class, data, **kwargs) -> dict:
    """Validated input of an input serializer (shape only); a 400 in the one error shape."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OrganizationViewSet(viewsets.GenericViewSet):
    """Below /api/v1/orgs/<org>/; `role` names who may call it ("admin" or "staff")."""

    permission_classes = [OrganizationRole]
    pagination_class = CursorPage
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    role = "admin"
    lookup_value_regex = "[0-9]{1,18}"  # ids fit a bigint
    membership: Membership
