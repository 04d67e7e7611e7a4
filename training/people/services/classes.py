"""Classes and departments: create, fill with students, open for joining, assign modules."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.people.models import (
    Group,
    GroupKind,
    Membership,
    OrganizationKind,
    Role,
    User,
)
from training.people.selectors import require_leader, require_staff
from training.people.services.accounts import (
    create_pseudonymous_account,
    reset_pseudonymous_password,
)

MAX_STUDENTS_AT_ONCE = 60


@transaction.atomic
def create_group(actor: Membership, *, name: str) -> Group:
    """An educator's new class (or a manager's department), led by its creator."""
    require_staff(actor)
    if actor.role == Role.MANAGER and actor.organization.kind == OrganizationKind.SCHOOL:
        raise PermissionDenied
    kind = (
        GroupKind.CLASS
        if actor.organization.kind == OrganizationKind.SCHOOL
        else GroupKind.DEPARTMENT
    )
    if Group.objects.filter(organization_id=actor.organization_id, name__iexact=name).exists():
        raise ValidationError(_("There is already a group with this name."))
    leader = actor if actor.role in (Role.EDUCATOR, Role.MANAGER) else None
    return Group.objects.create(
        organization_id=actor.organization_id, name=name, kind=kind, leader=leader
    )


def set_join_open(actor: Membership, group: Group, *, is_open: bool) -> Group:
    require_leader(actor, group)
    group.join_open = is_open
    group.save(update_fields=["join_open"])
    return group


def create_students(
    actor: Membership, group: Group, *, count: int, age_band: str, notes: list[str] = ()
) -> list[tuple[Membership, str]]:
    """Pseudonymous student accounts in bulk; their passwords are returned once, for the
    printed log-in cards, and never stored."""
    require_leader(actor, group)
    if not 1 <= count <= MAX_STUDENTS_AT_ONCE:
        raise ValidationError(
            _("Create between 1 and %(most)s students at a time.") % {"most": MAX_STUDENTS_AT_ONCE}
        )
    created = []
    with transaction.atomic():
        for number in range(count):
            user, password = create_pseudonymous_account(age_band=age_band)
            note = notes[number] if number < len(notes) else ""
            member = Membership.objects.create(
                organization_id=group.organization_id,
                user=user,
                role=Role.LEARNER,
                staff_note=note[:100],
            )
            group.members.add(member)
            created.append((member, password))
    return created


def reset_student_password(actor: Membership, group: Group, student: Membership) -> str:
    """Only for classroom accounts: adults reset their own password by e-mail."""
    require_leader(actor, group)
    if not group.members.filter(pk=student.pk).exists() or not student.user.is_pseudonymous:
        raise PermissionDenied
    return reset_pseudonymous_password(student.user)


@transaction.atomic
def join_group(user: User, group: Group) -> Membership:
    """Join a class with its code; joining twice changes nothing."""
    if not group.join_open:
        raise ValidationError(_("This class is not taking new students."))
    member, _created = Membership.objects.get_or_create(
        organization_id=group.organization_id, user=user, defaults={"role": Role.LEARNER}
    )
    if not member.is_active:
        raise ValidationError(_("Your membership of this organisation has ended."))
    group.members.add(member)
    return member


def join_group_as_new_student(group: Group, *, age_band: str) -> tuple[Membership, str]:
    """A child without an account joins: a pseudonymous account is made on the spot."""
    if not group.join_open:
        raise ValidationError(_("This class is not taking new students."))
    with transaction.atomic():
        user, password = create_pseudonymous_account(age_band=age_band)
        return join_group(user, group), password


# --- Groups through the API: rename, delete, membership --------------------------------------


@transaction.atomic
def rename_group(actor: Membership, group: Group, *, name: str) -> Group:
    require_leader(actor, group)
    clash = Group.objects.filter(organization_id=group.organization_id, name__iexact=name)
    if clash.exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("There is already a group with this name.")})
    group.name = name
    group.save(update_fields=["name"])
    return group


@transaction.atomic
def delete_group(actor: Membership, group: Group) -> None:
    """Its members stay in the organisation; its class assignments go with it."""
    require_leader(actor, group)
    record_audit(
        actor=actor.user, organization=actor.organization, action="group.deleted", target=group
    )
    group.delete()


@transaction.atomic
def add_to_group(actor: Membership, group: Group, members: list[Membership]) -> Group:
    require_leader(actor, group)
    if any(m.organization_id != group.organization_id or not m.is_active for m in members):
        raise ValidationError({"members": _("Choose active members of your organisation.")})
    group.members.add(*members)
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="group.members_added",
        target=group,
        details={"members": [m.pk for m in members]},
    )
    return group


@transaction.atomic
def remove_from_group(actor: Membership, group: Group, members: list[Membership]) -> Group:
    require_leader(actor, group)
    group.members.remove(*members)
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="group.members_removed",
        target=group,
        details={"members": [m.pk for m in members]},
    )
    return group
