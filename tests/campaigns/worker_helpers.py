"""A whole department launched through real Celery workers and counted at the SMTP sink."""

from collections import Counter

from django.utils import timezone

from tests.conftest import wait_until
from training.campaigns import services
from training.campaigns.models import Assignment, SendingPolicy
from training.people.models import Group, Membership, Role, User


def department_of(bank, people: int, *, per_minute: int = 0) -> Group:
    """One department of `people` staff, mailed at `per_minute` (0: no pace limit)."""
    group = Group.objects.create(organization=bank, name="Everyone", kind="department")
    users = User.objects.bulk_create(
        User(username=f"staff{n}", email=f"staff{n}@harbour.example", password="!")
        for n in range(people)
    )
    members = Membership.objects.bulk_create(
        Membership(organization=bank, user=user, role=Role.LEARNER) for user in users
    )
    group.members.add(*members)
    SendingPolicy.objects.create(organization=bank, per_minute=per_minute, per_day=0)
    return group


def draft_campaign(bank_admin, group):
    """A draft campaign of every current English module for the group, starting now."""
    from awareness.content.models import Module

    modules = list(Module.objects.filter(is_current=True, language="en", age_rating=0))
    return services.create_campaign(
        bank_admin, name="All staff", modules=modules, groups=[group],
        starts_at=timezone.now(), due_days=14,
    )  # fmt: skip


def launch(bank_admin, group):
    """The admin launches the campaign now: its launch task is queued as the page's would be."""
    campaign = draft_campaign(bank_admin, group)
    services.schedule_campaign(bank_admin, campaign, now=timezone.now())
    return campaign


def tick_until_delivered(smtp_sink, worker, people: int, *, timeout: float = 100):
    """Tick as beat would until `people` distinct messages have arrived. Within
    pytest-timeout's 120 s, so a slow run fails here, with the worker's log."""

    def delivered():
        services.dispatch_due_work(now=timezone.now())
        # Header parsing is dear: the distinct count only once enough has arrived.
        return len(smtp_sink) >= people and len({m["Message-ID"] for m in smtp_sink}) >= people

    return wait_until(delivered, timeout=timeout, worker=worker)


def counts(smtp_sink, people: int, modules: int) -> dict[str, int]:
    """What the closing note reports: expected, delivered (distinct messages), lost and
    duplicated invitations, and people with a module missing or doubled."""
    copies = Counter(message["Message-ID"] for message in smtp_sink)
    per_person = Counter(Assignment.objects.values_list("membership_id", flat=True))
    return {
        "expected": people,
        "delivered": len(copies),
        "lost": people - len(copies),
        "duplicated": sum(n - 1 for n in copies.values()),
        "recipients": len({message["To"] for message in smtp_sink}),
        "people_enrolled": len(per_person),
        "people_not_fully_enrolled": sum(n != modules for n in per_person.values())
        + people
        - len(per_person),
    }
