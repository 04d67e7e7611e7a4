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
