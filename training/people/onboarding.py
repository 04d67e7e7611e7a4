"""The setup checklist on a new organisation's overview page: a few steps for its kind, each
ticked off by what the organisation has actually done (nothing is stored). Steps about
campaigns and assignments are checked by the campaigns app, which registers them here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.people.models import GroupKind, Organization, OrganizationKind, Role


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    url: str


# Step name -> a check of that step for an organisation, registered by a higher layer.
_checks: dict[str, Callable[[Organization], SetupStep]] = {}


def register_setup_step(name: str, check: Callable[[Organization], SetupStep]) -> None:
    _checks[name] = check


def setup_checklist(organization: Organization) -> list[SetupStep]:
    """A school's steps, or an employer's (a bank, a public body or any other); empty once
    every step is done."""
    steps = [
        step(organization) if callable(step) else _checks[step](organization)
        for step in _steps_for(organization)
        if callable(step) or step in _checks
    ]
    return [] if all(step.done for step in steps) else steps


def _steps_for(organization: Organization) -> list:
    if organization.kind == OrganizationKind.SCHOOL:
        return [_first_class, _students_joined, "first_assignment"]
    return [_departments, _staff_imported, _domain_verified, "first_campaign"]


def _first_class(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Create your first class"),
        organization.groups.filter(kind=GroupKind.CLASS).exists(),
        reverse("group_create", args=[organization.slug]),
    )


def _students_joined(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Students join with the class code"),
        organization.groups.filter(kind=GroupKind.CLASS, members__role=Role.LEARNER).exists(),
        reverse("organization_home", args=[organization.slug]),
    )


def _departments(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Create your departments"),
        organization.groups.exists(),
        reverse("group_create", args=[organization.slug]),
    )


def _staff_imported(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Import your staff"),
        organization.memberships.filter(role=Role.LEARNER).exists(),
        reverse("roster_upload", args=[organization.slug]),
    )


def _domain_verified(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Verify your mail domain"),
        organization.domains.filter(verified_at__isnull=False).exists(),
        reverse("domain_list", args=[organization.slug]),
    )
