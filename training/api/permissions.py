"""Who may call what: the caller's membership of the organisation in the address, by role;
an organisation the caller (or the token) does not belong to is a 404, never a 403."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from training.people.models import ADMIN_ROLES, STAFF_ROLES, ApiToken, Membership, TokenScope
from training.people.selectors import membership_in

ROLES = {"admin": ADMIN_ROLES, "staff": STAFF_ROLES}


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = _("This API token is read-only: ask an administrator for a read-write one.")
    default_code = "read_only_token"


def caller_membership(request, org: str) -> Membership:
    """The membership the request acts as: a token's maker in the token's own organisation, or
    the signed-in user's membership; 404 for any other organisation."""
    if isinstance(request.auth, ApiToken):
        if request.auth.organization.slug != org:
            raise Http404("No such organisation.")
        return request.auth.created_by
    return membership_in(request.user, org)


class OrganizationRole(permissions.BasePermission):
    """Signed in, a member of the organisation in the address with the view's role (`role`:
    "admin", "staff" or "member"), and holding a read-write token for writes."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        view.membership = caller_membership(request, view.kwargs["org"])
        required = ROLES.get(getattr(view, "role", "admin"))
        if required is not None and view.membership.role not in required:
            raise exceptions.PermissionDenied(
                _("Your role in this organisation does not allow this.")
            )
        return refuse_read_only_writes(request)


class SignedIn(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        return refuse_read_only_writes(request)


def refuse_read_only_writes(request) -> bool:
    token = request.auth
    if (
        isinstance(token, ApiToken)
        and token.scope != TokenScope.WRITE
        and request.method not in permissions.SAFE_METHODS
    ):
        raise ReadOnlyToken
    return True
