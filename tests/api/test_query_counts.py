"""Every list endpoint runs a fixed number of queries, however many rows it returns."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_with_token, fill_bank, token_for

pytestmark = pytest.mark.django_db

# Queries per request with a token: 1 finds the token (with its maker and organisation);
# organisation endpoints need nothing more for the caller's membership.
LISTS = {
    # token; withdrawn modules and scam types (both cached, so counted cold); modules
    "/api/v1/modules/": 5,
    "/api/v1/orgs/": 1,
    "/api/v1/orgs/harbour/members/": 3,  # token; members with accounts; their groups
    "/api/v1/orgs/harbour/groups/": 2,  # token; groups with member counts
    "/api/v1/orgs/harbour/campaigns/": 4,  # token; campaigns; their groups; their modules
    "/api/v1/orgs/harbour/assignments/": 2,
    "/api/v1/orgs/harbour/progress/": 2,
    "/api/v1/orgs/harbour/attempts/": 2,
    "/api/v1/orgs/harbour/live-sessions/": 2,
    "/api/v1/orgs/harbour/simulations/": 3,  # token; simulations with templates; their groups
}


def queries(api, path: str) -> tuple[int, int]:
    """(queries, rows) of one request, with the content cache cold, as after a content change."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(captured), len(body["results"] if isinstance(body, dict) else body)


def test_list_endpoints_do_not_grow_with_rows(bank_admin, module):
    fill_bank(bank_admin, module, learners=2)
    api = client_with_token(token_for(bank_admin))
    api.get("/api/v1/orgs/")  # the token's first use writes its last-used time once
    few = {path: queries(api, path) for path in LISTS}

    for number in range(3):
        fill_bank(bank_admin, module, learners=4, group=f"Branch {number}")
    many = {path: queries(api, path) for path in LISTS}

    for path, expected in LISTS.items():
        (few_queries, few_rows), (many_queries, many_rows) = few[path], many[path]
        assert few_queries == many_queries == expected, (path, few_queries, many_queries)
        if "modules" not in path and path != "/api/v1/orgs/":
            assert many_rows > few_rows, path
