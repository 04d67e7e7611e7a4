"""What every organisation endpoint shares: the caller's membership, gated by role."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from training.api.filters import StrictOrdering
from training.api.pagination import CursorPage
from training.api.permissions import OrganizationRole
from training.people.models import Membership


def parse(serializer_class, data, **kwargs) -> dict:
    """Validated input of an input serializer (shape only); a 400 in the one error shape.
    A body's key the serializer does not define is refused, not ignored: a misspelt
    `last_nmae` must not look like success."""
    serializer = serializer_class(data=data, **kwargs)
    if isinstance(data, dict) and not isinstance(data, QueryDict):
        unknown = sorted(set(data) - set(serializer.fields))
        if unknown:
            raise ValidationError({key: [_("This field is not known.")] for key in unknown})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OrganizationViewSet(viewsets.GenericViewSet):
    """Below /api/v1/orgs/<org>/; `role` names who may call it ("admin" or "staff")."""

    permission_classes = [OrganizationRole]
    pagination_class = CursorPage
    filter_backends = [DjangoFilterBackend, StrictOrdering]
    role = "admin"
    lookup_value_regex = "[0-9]{1,18}"  # ids fit a bigint
    membership: Membership
