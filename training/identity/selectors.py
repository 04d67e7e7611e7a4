"""Reads of identity: which provider an address signs in with, and who may not use a password."""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from training.identity.models import SsoConnection
from training.people.domains import domain_of_address
from training.people.models import STAFF_ROLES, Membership


def sso_connection_of(organization_slug: str) -> SsoConnection:
    connection = (
        SsoConnection.objects.filter(organization__slug=organization_slug)
        .select_related("organization")
        .first()
    )
    if connection is None:
        raise Http404("This organisation has no single sign-on.")
    return connection


def sso_connection_for_address(address: str) -> SsoConnection | None:
    """The provider of the organisation that verified this address's domain, if it has one."""
    domain = domain_of_address(address)
    if not domain:
        return None
    return (
        SsoConnection.objects.filter(
            organization__domains__domain=domain,
            organization__domains__verified_at__isnull=False,
        )
        .select_related("organization")
        .first()
    )


def sso_start_url_for_address(request, address: str) -> str | None:
    """Domain discovery: where someone who typed this address starts signing in."""
    connection = sso_connection_for_address(address)
    if connection is None:
        return None
    query = {"login_hint": address.strip()}
    if next_url := request.POST.get("next") or request.GET.get("next"):
        query["next"] = next_url
    start = reverse("sso_continue", args=[connection.organization.slug])
    return f"{start}?{urlencode(query)}"


def password_refusal(user) -> str | None:
    """Members of an organisation that requires single sign-on sign in there, except its
    break-glass owner; classroom accounts never use single sign-on."""
    if user.is_pseudonymous:
        return None
    membership = (
        Membership.objects.filter(
            user=user, is_active=True, organization__sso_connection__require_sso=True
        )
        .exclude(organization__sso_connection__break_glass_owner__user=user)
        .select_related("organization")
        .first()
    )
    if membership is None:
        return None
    return _(
        "%(organization)s signs you in with its own sign-in page, not a password. Choose "
        "“Sign in with your organisation” and type your work e-mail address."
    ) % {"organization": membership.organization.name}


def orgs_requiring_second_factor(user) -> list[str]:
    """Slugs of the organisations that ask a second factor of this staff member."""
    return list(
        Membership.objects.filter(
            user=user,
            is_active=True,
            role__in=STAFF_ROLES,
            organization__two_factor_policy__required_for_staff=True,
        ).values_list("organization__slug", flat=True)
    )
