"""Members one at a time, as an HR system provisions them: add, update, and (in
organizations.py) deactivate."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.people.models import AgeBand, Group, Membership, Role, User
from training.people.selectors import require_admin
from training.people.services.organizations import change_role
from training.people.services.roster import _new_usernames, _unusable_password


def _require_may_give(actor: Membership, role: str) -> None:
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ValidationError(_("Only an owner can make someone an owner."))


def _own_groups(actor: Membership, groups: list[Group]) -> None:
    if any(group.organization_id != actor.organization_id for group in groups):
        raise ValidationError(_("Choose groups of your organisation."))


def _save(member: Membership, update_fields: list[str] | None = None) -> None:
    """Save, turning a clash of external ids (unique per organisation) into a field error."""
    try:
        with transaction.atomic():
            member.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError(
            {"external_id": _("Another member of the organisation has this external id.")}
        ) from None


@transaction.atomic
def add_member(
    actor: Membership,
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.LEARNER,
    external_id: str = "",
    groups: list[Group] = (),
) -> Membership:
    """Add a person by e-mail, making an account (without a password) if there is none; an
    ended membership is restored. The person sets a password with "forgot my password"."""
    require_admin(actor)
    _require_may_give(actor, role)
    _own_groups(actor, groups)
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        [username] = _new_usernames([email.lower()], random_only=False)
        user = User.objects.create(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            age_band=AgeBand.ADULT,
            password=_unusable_password(),
        )
    member = Membership.objects.filter(organization_id=actor.organization_id, user=user).first()
    if member is not None and member.is_active:
        raise ValidationError({"email": _("This person is already a member.")})
    member = member or Membership(organization_id=actor.organization_id, user=user)
    member.role, member.external_id, member.is_active = role, external_id, True
    _save(member, None if member.pk is None else ["role", "external_id", "is_active"])
    member.groups.add(*groups)
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="member.added",
        target=member,
        details={"role": role},
    )
    return member


@transaction.atomic
def update_member(
    actor: Membership,
    member: Membership,
    *,
    role: str | None = None,
    external_id: str | None = None,
    groups: list[Group] | None = None,
) -> Membership:
    """Change what is given; groups, when given, replace the member's groups."""
    require_admin(actor)
    if member.organization_id != actor.organization_id:
        raise ValidationError(_("Choose a member of your organisation."))
    if role is not None and role != member.role:
        change_role(actor, member, role=role)
    if external_id is not None and external_id != member.external_id:
        member.external_id = external_id
        _save(member, ["external_id"])
    if groups is not None:
        _own_groups(actor, groups)
        member.groups.set(groups)
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="member.updated",
        target=member,
        details={"external_id": external_id is not None, "groups": groups is not None},
    )
    return member
