"""One error shape for every failure, and throttles per token, per browser user and per
anonymous address that answer 429 with Retry-After."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import client_with_token, signed_in, token_for

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def test_invalid_input_names_each_field_and_changes_nothing(bank_admin):
    api = client_with_token(token_for(bank_admin))
    response = api.post(
        "/api/v1/orgs/harbour/members/",
        {"email": "not an address", "role": "emperor", "groups": ["x"]},
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"email", "role", "groups.0"}
    assert bank_admin.organization.memberships.count() == 1


def test_a_domain_rule_becomes_a_400_with_its_message(bank_admin):
    api = client_with_token(token_for(bank_admin))
    api.post("/api/v1/orgs/harbour/groups/", {"name": "Retail"}, format="json")
    response = api.post("/api/v1/orgs/harbour/groups/", {"name": "retail"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["message"] == "There is already a group with this name."


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("name=x", "application/x-www-form-urlencoded")],
)
def test_a_body_that_is_not_json_gets_a_clear_4xx(bank_admin, body, content_type):
    api = client_with_token(token_for(bank_admin))
    response = api.generic("POST", "/api/v1/orgs/harbour/groups/", body, content_type)
    assert response.status_code in (400, 415)
    error_of(response)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/orgs/harbour/members/", 401, "not_authenticated"),
        ("/api/v1/nowhere/", 404, "not_found"),
        ("/api/v2/orgs/", 404, "not_found"),
        ("/api/v1/modules/no-such-module/", 404, "not_found"),
    ],
)
def test_refusals_have_the_same_shape(bank_admin, path, status, code):
    response = APIClient().get(path)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_a_method_an_endpoint_does_not_take_is_405(bank_admin):
    response = signed_in(bank_admin).put("/api/v1/orgs/harbour/", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_page_cursor_that_was_tampered_with_is_a_404(bank_admin):
    response = signed_in(bank_admin).get("/api/v1/orgs/harbour/members/?cursor=bogus")
    assert response.status_code == 404
    error_of(response)


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "user": "3/min", "anonymous": "2/min"},
    }


def test_each_token_has_its_own_allowance_and_429_says_when_to_retry(bank_admin, low_rates):
    first, second = (client_with_token(token_for(bank_admin)) for _ in range(2))
    assert [first.get("/api/v1/orgs/").status_code for _ in range(3)] == [200] * 3

    response = first.get("/api/v1/orgs/")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    error = error_of(response)
    assert error["code"] == "throttled"
    assert response["Retry-After"] in error["message"]
    assert second.get("/api/v1/orgs/").status_code == 200


def test_anonymous_callers_are_throttled_per_address(db, low_rates):
    here, there = APIClient(REMOTE_ADDR="203.0.113.5"), APIClient(REMOTE_ADDR="203.0.113.6")
    assert [here.get("/api/v1/modules/").status_code for _ in range(2)] == [200, 200]
    assert here.get("/api/v1/modules/").status_code == 429
    assert there.get("/api/v1/modules/").status_code == 200


def test_a_signed_in_browser_is_throttled_per_user(bank_admin, low_rates):
    browser = signed_in(bank_admin)
    assert [browser.get("/api/v1/orgs/").status_code for _ in range(4)] == [200] * 3 + [429]
