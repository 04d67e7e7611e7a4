"""The main pages of the site, each reachable with the data it needs."""

import pytest
from django.urls import reverse

# The live quiz's fixtures, for hostile answers over its sockets.
from tests.live.conftest import host, live_session, parcel_module, sockets_database  # noqa: F401


@pytest.fixture
def step_url(client, loaded_pack) -> str:
    """The play page of a freshly started module: the step a citizen sees."""
    response = client.post(reverse("start", args=["parcel-fees"]))
    assert response.status_code == 302
    return response.url


@pytest.fixture
def main_pages(step_url, bank_admin) -> list[tuple[str, object]]:
    """(address, user or None): what a citizen and a bank's admin open first."""
    return [
        (reverse("home"), None),
        (reverse("catalogue"), None),
        (step_url, None),
        (reverse("login"), None),
        (reverse("sign_up"), None),
        (reverse("removal_request"), None),
        (reverse("join_start"), None),
        (reverse("live_join_start"), None),
        (reverse("organization_home", args=[bank_admin.organization.slug]), bank_admin.user),
    ]
