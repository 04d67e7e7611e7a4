"""A bank with one of everything the API shows, its people in every role, a second
organisation with objects of its own, and tokens."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from awareness.content.models import Module
from tests.people.factories import GroupFactory, MembershipFactory
from training.campaigns.models import (
    Assignment,
    CampaignRun,
    Delivery,
    Simulation,
    SimulationTemplate,
)
from training.campaigns.services import create_campaign
from training.live.services import join_live_session, start_live_session
from training.people.models import Role, TokenScope
from training.people.services import create_api_token
from training.progress.models import Attempt, ModuleProgress


@dataclass
class Bank:
    """What one organisation holds, by the ids the API's addresses use."""

    slug: str
    admin: object
    manager: object
    learner: object
    ids: dict = field(default_factory=dict)


def token_for(membership, scope=TokenScope.WRITE) -> str:
    _token, secret = create_api_token(membership, name="HR sync", scope=scope, now=timezone.now())
    return secret


def client_with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def signed_in(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


def launched_simulation(org, group, people, module: Module, *, now) -> Simulation:
    """A parcel-fee lure sent to everyone in the group: the first clicked it, the last
    reported it."""
    template, _ = SimulationTemplate.objects.get_or_create(
        slug="parcel-fee", organization=None,
        defaults={"name": "Parcel fee", "channel": "sms", "sender_name": "Post",
                  "text_body": "Pay {{ link }}", "module_slug": module.slug},
    )  # fmt: skip
    simulation = Simulation.objects.create(
        organization=org, template=template, name="Parcel", status="running", launched_at=now
    )
    simulation.groups.add(group)
    Delivery.objects.bulk_create(
        Delivery(
            simulation=simulation, membership=person, group=group, due_at=now, sent_at=now,
            message_ref=f"{simulation.pk}-{person.pk}",
            clicked_at=now if person == people[0] else None,
            reported_at=now + timedelta(minutes=9) if person == people[-1] else None,
        )
        for person in people
    )  # fmt: skip
    return simulation


def fill_bank(admin, module: Module, *, learners: int = 1, group: str = "Retail") -> Bank:
    """A department led by a manager, learners in it, a launched campaign with assignments,
    an attempt and progress each, a scam simulation sent to them, and a finished live session
    hosted by the manager."""
    org = admin.organization
    now = timezone.now()
    manager = MembershipFactory(organization=org, role=Role.MANAGER)
    group = GroupFactory(organization=org, name=group, kind="department", leader=manager)
    people = [MembershipFactory(organization=org) for _ in range(learners)]
    group.members.add(*people)
    campaign = create_campaign(
        admin, name="Q1", modules=[module], groups=[group], starts_at=now, due_days=14
    )
    run = CampaignRun.objects.create(
        campaign=campaign, number=1, starts_at=now, due_at=now + timedelta(days=14)
    )
    Assignment.objects.bulk_create(
        Assignment(run=run, membership=m, module_slug=module.slug, due_at=run.due_at)
        for m in people
    )
    for person in people:
        Attempt.objects.create(
            module=module,
            user=person.user,
            step_shown_at=now,
            started_at=now,
            finished_at=now,
            score=0.8,
        )
        ModuleProgress.objects.create(
            user=person.user, module_slug=module.slug, status="completed", best_score=0.8
        )
    simulation = launched_simulation(org, group, people, module, now=now)
    session = start_live_session(manager.user, module, seconds=20, now=now)
    for number in range(learners):
        join_live_session(session, nickname=f"Fox {number}", user=None, max_age_rating=18, now=now)
    return Bank(
        slug=org.slug,
        admin=admin,
        manager=manager,
        learner=people[0],
        ids={
            "member": people[0].pk,
            "group": group.pk,
            "campaign": campaign.pk,
            "session": str(session.public_id),
            "simulation": simulation.pk,
        },
    )


@pytest.fixture
def module(loaded_pack) -> Module:
    return Module.objects.get(slug="parcel-fees", language="en", is_current=True)


@pytest.fixture
def bank(bank_admin, module) -> Bank:
    return fill_bank(bank_admin, module)


@pytest.fixture
def elsewhere(other_org_admin, module) -> Bank:
    return fill_bank(other_org_admin, module)
