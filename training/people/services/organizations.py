from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.people.models import Membership, Organization, Role
from training.people.selectors import require_admin


@transaction.atomic
def create_organization(user, *, name: str, kind: str, child_age_limit: int = 13) -> Membership:
    """A new organisation with its creator as owner."""
    base = slugify(name)[:40] or "organisation"
    slug, number = base, 1
    while Organization.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    organization = Organization.objects.create(
        name=name, slug=slug, kind=kind, child_age_limit=child_age_limit
    )
    return Membership.objects.create(
        organization=organization, user=user, role=Role.OWNER, activated_at=timezone.now()
    )


def _last_owner(member: Membership) -> bool:
    return (
        member.role == Role.OWNER
        and Membership.objects.filter(
            organization_id=member.organization_id, role=Role.OWNER, is_active=True
        ).count()
        == 1
    )


@transaction.atomic
def change_role(actor: Membership, member: Membership, *, role: str) -> Membership:
    require_admin(actor)
    if member.organization_id != actor.organization_id:
        raise PermissionDenied
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ValidationError(_("Only an owner can make someone an owner."))
    if _last_owner(member) and role != Role.OWNER:
        raise ValidationError(_("The organisation needs at least one owner."))
    previous, member.role = member.role, role
    member.save(update_fields=["role"])
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="member.role_changed",
        target=member,
        details={"from": previous, "to": role},
    )
    return member


@transaction.atomic
def deactivate_member(actor: Membership, member: Membership) -> Membership:
    """Keeps the member's history (attempts, results) but ends their access."""
    require_admin(actor)
    if member.organization_id != actor.organization_id:
        raise PermissionDenied
    if _last_owner(member):
        raise ValidationError(_("The organisation needs at least one owner."))
    member.is_active = False
    member.save(update_fields=["is_active"])
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="member.deactivated",
        target=member,
    )
    return member


@transaction.atomic
def set_child_age_limit(actor: Membership, *, age: int) -> Organization:
    """Learners younger than this get pseudonymous classroom accounts (no e-mail, no name)."""
    require_admin(actor)
    organization = actor.organization
    before = organization.child_age_limit
    organization.child_age_limit = age
    organization.save(update_fields=["child_age_limit"])
    record_audit(
        actor=actor.user,
        organization=organization,
        action="organization.child_age_limit_changed",
        target=organization,
        details={"before": before, "after": age},
    )
    return organization
