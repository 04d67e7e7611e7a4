"""Access gates of the people side: one per object type. Anything outside the actor's own
organisation is a 404, whether it exists or not, so existence never leaks."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from awareness.lib.tokens import hash_token
from training.people.domains import domain_of_address
from training.people.models import (
    ADMIN_ROLES,
    STAFF_ROLES,
    AgeBand,
    ApiToken,
    Group,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    PhoneCode,
    Role,
    RosterImport,
    VerifiedDomain,
)


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def membership_in(user, organization_slug: str) -> Membership:
    """The user's active membership of the organisation; 404 for any other organisation."""
    if not user.is_authenticated:
        raise Http404("No such organisation.")
    membership = (
        Membership.objects.filter(user=user, organization__slug=organization_slug, is_active=True)
        .select_related("organization", "user")
        .first()
    )
    if membership is None:
        raise Http404("No such organisation.")
    return membership


def require_admin(membership: Membership) -> None:
    if membership.role not in ADMIN_ROLES:
        raise PermissionDenied("Only the organisation's owners and administrators can do this.")


def require_leader(actor: Membership, group: Group) -> None:
    """Admins manage every group of their organisation; others only the groups they lead."""
    if group.organization_id != actor.organization_id:
        raise PermissionDenied
    if actor.role not in ADMIN_ROLES and group.leader_id != actor.pk:
        raise PermissionDenied("You do not lead this group.")


def require_staff(membership: Membership) -> None:
    if membership.role not in STAFF_ROLES:
        raise PermissionDenied("Only staff of the organisation can do this.")


def groups_visible_to(membership: Membership):
    """Admins see every group; managers and educators the groups they lead."""
    groups = Group.objects.filter(organization_id=membership.organization_id)
    if membership.role in ADMIN_ROLES:
        return groups
    if membership.role in (Role.MANAGER, Role.EDUCATOR):
        return groups.filter(leader=membership)
    return groups.none()


def group_for(membership: Membership, group_id: int) -> Group:
    """A group the actor may manage; another organisation's (or a missing) group is a 404."""
    group = (
        Group.objects.filter(pk=group_id, organization_id=membership.organization_id)
        .select_related("organization", "leader__user")
        .first()
    )
    if group is None:
        raise Http404("No such group.")
    if not groups_visible_to(membership).filter(pk=group.pk).exists():
        raise PermissionDenied("You do not lead this group.")
    return group


def student_in(group: Group, membership_id: int) -> Membership:
    student = group.members.filter(pk=membership_id).select_related("user").first()
    if student is None:
        raise Http404("No such student in this class.")
    return student


def group_students(group: Group) -> list[Membership]:
    return list(
        group.members.filter(is_active=True).select_related("user").order_by("user__username")
    )


def group_by_join_code(code: str) -> Group:
    group = (
        Group.objects.filter(join_code=code.strip().upper().replace(" ", "").replace("-", ""))
        .select_related("organization")
        .first()
    )
    if group is None or not group.join_open:
        raise Http404("No class with this code.")
    return group


def organization_summary(organization: Organization) -> dict:
    return {
        "members": organization.memberships.filter(is_active=True).count(),
        "groups": organization.groups.count(),
    }


# --- Invitations ------------------------------------------------------------------------------


def invitations_of(membership: Membership):
    """The organisation's invitations, newest first, with what the list shows."""
    return (
        Invitation.objects.filter(organization_id=membership.organization_id)
        .select_related("group", "invited_by__user")
        .order_by("-created_at", "-pk")
    )


def invitation_for(membership: Membership, invitation_id: int) -> Invitation:
    """One of the organisation's invitations; another organisation's (or none) is a 404."""
    invitation = Invitation.objects.filter(
        pk=invitation_id, organization_id=membership.organization_id
    ).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitation_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("organization", "group", "invited_by__user")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def link_problem(invitation: Invitation, now: datetime) -> str:
    """Why the link can no longer be used, in words for its holder; "" while it still works."""
    organization = invitation.organization.name
    if invitation.status == InvitationStatus.ACCEPTED:
        return _("This invitation has already been used. Each link works only once.")
    if invitation.status == InvitationStatus.DECLINED:
        return _("This invitation was declined. Ask %(organization)s for a new one.") % {
            "organization": organization
        }
    if invitation.status == InvitationStatus.REVOKED:
        return _(
            "%(organization)s withdrew this invitation, or replaced it with a newer one. "
            "Use the link in the most recent e-mail, or ask them for a new invitation."
        ) % {"organization": organization}
    if invitation.expires_at <= now:
        return _("This invitation expired on %(date)s. Ask %(organization)s for a new one.") % {
            "date": date_format(localtime(invitation.expires_at), "DATETIME_FORMAT"),
            "organization": organization,
        }
    return ""


def account_problem(invitation: Invitation, user) -> str:
    """Only the account with the invited address may accept: a forwarded link is no key."""
    if user.email and user.email.casefold() == invitation.email.casefold():
        return ""
    return _(
        "This invitation was sent to %(invited)s, but you are logged in with a different "
        "account. Log out, then log in or sign up with %(invited)s."
    ) % {"invited": invitation.email}


def roster_import_for(membership: Membership, import_id: int):
    """One of the organisation's roster imports, without its (large) rows and problems lists;
    another organisation's (or none) is a 404."""
    roster_import = (
        RosterImport.objects.filter(pk=import_id, organization_id=membership.organization_id)
        .defer("rows", "problems")
        .first()
    )
    if roster_import is None:
        raise Http404("No such roster import.")
    return roster_import


def roster_imports_of(membership: Membership):
    """The organisation's roster imports, newest first, without their rows and problems."""
    return (
        RosterImport.objects.filter(organization_id=membership.organization_id)
        .defer("rows", "problems")
        .order_by("-created_at", "-pk")
    )


# --- Verified domains and confirmed phones: who simulations may reach -------------------------


def _organization_id(organization) -> int:
    return organization if isinstance(organization, int) else organization.pk


def verified_domain_names(organization) -> set[str]:
    """The organisation's verified mail domains, normalised (lowercase IDNA ASCII). Accepts an
    Organization or its id."""
    return set(
        VerifiedDomain.objects.filter(
            organization_id=_organization_id(organization), verified_at__isnull=False
        ).values_list("domain", flat=True)
    )


def address_on_verified_domain(organization, email: str) -> bool:
    """Whether the address's domain is one the organisation verified: an exact match after
    normalisation; a subdomain counts only if verified itself. One query; for many addresses
    call verified_domain_names() once and compare domain_of_address() of each."""
    domain = domain_of_address(email)
    if domain is None:
        return False
    return VerifiedDomain.objects.filter(
        organization_id=_organization_id(organization),
        domain=domain,
        verified_at__isnull=False,
    ).exists()


def phone_feature_allowed(user) -> bool:
    """Adults with a named account only: children's and classroom accounts get no phone."""
    return user.age_band == AgeBand.ADULT and not user.is_pseudonymous


def confirmed_phone(membership: Membership) -> str | None:
    """The member's phone number if they confirmed it themselves (a code sent to it), their
    membership is active and their account may have one; else None. Reads membership.user:
    select_related("user") when calling it for many."""
    if (
        not membership.is_active
        or not membership.phone_number
        or membership.phone_confirmed_at is None
        or not phone_feature_allowed(membership.user)
    ):
        return None
    return membership.phone_number


def pending_phone_code(membership: Membership):
    """The code awaiting the member for their current, unconfirmed number, if one was sent."""
    if not membership.phone_number or membership.phone_confirmed_at is not None:
        return None
    return (
        PhoneCode.objects.filter(membership=membership, phone_number=membership.phone_number)
        .exclude(code_hash="")
        .first()
    )


def confirmed_phones(organization) -> dict[int, str]:
    """{membership id: E.164 number} of every member of the organisation with a confirmed
    phone, in one query: what confirmed_phone() says for each, in bulk."""
    return dict(
        Membership.objects.filter(
            organization_id=_organization_id(organization),
            is_active=True,
            phone_confirmed_at__isnull=False,
            user__age_band=AgeBand.ADULT,
            user__is_pseudonymous=False,
        )
        .exclude(phone_number="")
        .values_list("pk", "phone_number")
    )


def domains_of(membership: Membership):
    """The organisation's domains, verified and pending, with who asked and who verified."""
    return (
        VerifiedDomain.objects.filter(organization_id=membership.organization_id)
        .select_related("requested_by", "verified_by")
        .order_by("domain")
    )


def domain_for(membership: Membership, domain_id: int) -> VerifiedDomain:
    """One of the organisation's domains; another organisation's (or none) is a 404."""
    verified_domain = (
        domains_of(membership).select_related("organization").filter(pk=domain_id).first()
    )
    if verified_domain is None:
        raise Http404("No such domain.")
    return verified_domain


# --- Members and API tokens, for the API and the token page -----------------------------------


def members_of(membership: Membership):
    """The organisation's members (ended ones too), with their account and groups."""
    require_admin(membership)
    return (
        Membership.objects.filter(organization_id=membership.organization_id)
        .select_related("user")
        .prefetch_related("groups")
    )


def member_for(membership: Membership, member_id) -> Membership:
    """One of the organisation's members; anyone else's (or nobody) is a 404."""
    member = members_of(membership).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    return member


def api_tokens_of(membership: Membership):
    require_admin(membership)
    return ApiToken.objects.filter(organization_id=membership.organization_id).select_related(
        "created_by__user"
    )


def api_token_for(membership: Membership, token_id: int):
    token = api_tokens_of(membership).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such API token.")
    return token


def groups_among(membership: Membership, group_ids) -> list[Group]:
    """The organisation's groups with these ids; an id of any other group is a field error,
    the same for a missing and a foreign one."""
    own = Group.objects.filter(organization_id=membership.organization_id)
    groups = list(own.filter(pk__in=group_ids))
    if len(groups) != len(set(group_ids)):
        raise ValidationError({"groups": _("Choose groups of your organisation.")})
    return groups


def members_among(membership: Membership, member_ids) -> list[Membership]:
    """The organisation's members with these ids; any other id is a field error."""
    members = list(
        Membership.objects.filter(organization_id=membership.organization_id, pk__in=member_ids)
    )
    if len(members) != len(set(member_ids)):
        raise ValidationError({"members": _("Choose members of your organisation.")})
    return members
