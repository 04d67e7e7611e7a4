"""The setup checklist on a new organisation's overview page: a few steps for its kind, each
ticked off by what the organisation has actually done (nothing is stored)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.campaigns.models import Campaign, CampaignStatus, ClassAssignment
from training.people.models import GroupKind, Organization, OrganizationKind, Role


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    url: str


def setup_checklist(organization: Organization) -> list[SetupStep]:
    """A school's steps, or an employer's (a bank, a public body or any other); empty once
    every step is done."""
    steps = _steps(organization)
    return [] if all(step.done for step in steps) else steps


def _steps(organization: Organization) -> list[SetupStep]:
    slug = organization.slug
    if organization.kind == OrganizationKind.SCHOOL:
        classes = organization.groups.filter(kind=GroupKind.CLASS)
        return [
            SetupStep(
                _("Create your first class"),
                classes.exists(),
                reverse("group_create", args=[slug]),
            ),
            SetupStep(
                _("Students join with the class code"),
                classes.filter(members__role=Role.LEARNER).exists(),
                reverse("organization_home", args=[slug]),
            ),
            SetupStep(
                _("Assign a first module"),
                ClassAssignment.objects.filter(group__organization=organization).exists(),
                reverse("organization_home", args=[slug]),
            ),
        ]
    return [
        SetupStep(
            _("Create your departments"),
            organization.groups.exists(),
            reverse("group_create", args=[slug]),
        ),
        SetupStep(
            _("Import your staff"),
            organization.memberships.filter(role=Role.LEARNER).exists(),
            reverse("roster_upload", args=[slug]),
        ),
        SetupStep(
            _("Verify your mail domain"),
            organization.domains.filter(verified_at__isnull=False).exists(),
            reverse("domain_list", args=[slug]),
        ),
        SetupStep(
            _("Launch your first campaign"),
            Campaign.objects.filter(organization=organization)
            .exclude(status__in=[CampaignStatus.DRAFT, CampaignStatus.CANCELLED])
            .exists(),
            reverse("campaign_list", args=[slug]),
        ),
    ]
