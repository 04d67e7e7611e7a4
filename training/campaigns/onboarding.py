"""The campaigns app's steps of the setup checklist (see training.people.onboarding)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.campaigns.models import Campaign, CampaignStatus, ClassAssignment
from training.people.models import Organization
from training.people.onboarding import SetupStep, register_setup_step


def first_campaign(organization: Organization) -> SetupStep:
    launched = Campaign.objects.filter(organization=organization).exclude(
        status__in=[CampaignStatus.DRAFT, CampaignStatus.CANCELLED]
    )
    return SetupStep(
        _("Launch your first campaign"),
        launched.exists(),
        reverse("campaign_list", args=[organization.slug]),
    )


def first_assignment(organization: Organization) -> SetupStep:
    return SetupStep(
        _("Assign a first module"),
        ClassAssignment.objects.filter(group__organization=organization).exists(),
        reverse("organization_home", args=[organization.slug]),
    )


def register() -> None:
    register_setup_step("first_campaign", first_campaign)
    register_setup_step("first_assignment", first_assignment)
