import pytest

from tests.campaigns.imap_server import imap_server  # noqa: F401 -- a fixture for these tests
from tests.people.factories import GroupFactory, MembershipFactory


@pytest.fixture
def departments(bank_admin):
    """Retail (with a manager) and Treasury of Harbour City Bank, with staff."""
    from training.people.models import Role

    bank = bank_admin.organization
    manager = MembershipFactory(organization=bank, role=Role.MANAGER)
    retail = GroupFactory(organization=bank, name="Retail", kind="department", leader=manager)
    treasury = GroupFactory(organization=bank, name="Treasury", kind="department")
    return retail, treasury


def staff(group, count: int) -> list:
    members = [MembershipFactory(organization=group.organization) for _ in range(count)]
    group.members.add(*members)
    return members


def finish(person, module, *, score: float, at=None):
    """A finished attempt of the person's, counted as progress counts one a learner finishes."""
    from django.utils import timezone

    from training.campaigns.services import count_finished_attempt
    from training.progress.models import Attempt

    at = at or timezone.now()
    attempt = Attempt.objects.create(
        module=module, user=person.user, step_shown_at=at, started_at=at, finished_at=at,
        score=score,
    )  # fmt: skip
    count_finished_attempt(attempt)
    return attempt
