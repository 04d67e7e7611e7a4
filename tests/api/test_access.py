"""Every endpoint, walked by every kind of caller: anonymous, each role, read-only and
read-write tokens, and another organisation's admin and token (who must get 404s, also with
our ids smuggled under their own organisation's address).

Each request runs in a savepoint that is rolled back, so every caller meets the same data."""

import re

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.api.conftest import client_with_token, signed_in, token_for
from training.people.models import TokenScope

pytestmark = pytest.mark.django_db

# (method, path, body, who may call it: public, signed_in, member, staff or admin)
ENDPOINTS = [
    ("get", "/api/v1/modules/", None, "public"),
    ("get", "/api/v1/modules/parcel-fees/", None, "public"),
    ("get", "/api/v1/orgs/", None, "signed_in"),
    ("get", "/api/v1/orgs/{org}/", None, "member"),
    ("get", "/api/v1/orgs/{org}/members/", None, "admin"),
    (
        "post",
        "/api/v1/orgs/{org}/members/",
        {"email": "new.person@harbour.example", "first_name": "New", "groups": ["{group}"]},
        "admin",
    ),
    ("get", "/api/v1/orgs/{org}/members/{member}/", None, "admin"),
    ("patch", "/api/v1/orgs/{org}/members/{member}/", {"role": "manager"}, "admin"),
    ("post", "/api/v1/orgs/{org}/members/{member}/deactivate/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/groups/", None, "staff"),
    ("post", "/api/v1/orgs/{org}/groups/", {"name": "Treasury"}, "staff"),
    ("get", "/api/v1/orgs/{org}/groups/{group}/", None, "staff"),
    ("patch", "/api/v1/orgs/{org}/groups/{group}/", {"name": "Retail banking"}, "staff"),
    ("delete", "/api/v1/orgs/{org}/groups/{group}/", None, "staff"),
    ("post", "/api/v1/orgs/{org}/groups/{group}/members/add/", {"members": ["{member}"]}, "staff"),
    (
        "post",
        "/api/v1/orgs/{org}/groups/{group}/members/remove/",
        {"members": ["{member}"]},
        "staff",
    ),
    ("get", "/api/v1/orgs/{org}/campaigns/", None, "admin"),
    (
        "post",
        "/api/v1/orgs/{org}/campaigns/",
        {
            "name": "Q2",
            "modules": ["parcel-fees"],
            "groups": ["{group}"],
            "starts_at": "2030-01-01T09:00:00Z",
        },
        "admin",
    ),
    ("get", "/api/v1/orgs/{org}/campaigns/{campaign}/", None, "admin"),
    ("post", "/api/v1/orgs/{org}/campaigns/{campaign}/launch/", None, "admin"),
    ("post", "/api/v1/orgs/{org}/campaigns/{campaign}/cancel/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/campaigns/{campaign}/progress/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/assignments/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/progress/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/attempts/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/live-sessions/", None, "staff"),
    ("get", "/api/v1/orgs/{org}/live-sessions/{session}/results/", None, "staff"),
    ("get", "/api/v1/orgs/{org}/simulations/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/simulations/{simulation}/", None, "admin"),
    ("get", "/api/v1/orgs/{org}/simulations/{simulation}/results/", None, "admin"),
]
LEVELS = ["public", "signed_in", "member", "staff", "admin"]


def fill(value, ids: dict):
    """Put the organisation's slug and object ids into a path or a request body."""
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


def call(client, method: str, path: str, body):
    """One request whose changes are rolled back afterwards."""
    with transaction.atomic():
        response = getattr(client, method)(path, body, format="json")
        transaction.set_rollback(True)
    return response


def ids_of(bank) -> dict:
    return {"org": bank.slug, **bank.ids}


def test_the_table_covers_every_operation_of_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = {
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    object_id = re.compile(r"\{(member|group|campaign|session|simulation)\}")
    walked = {
        (method, object_id.sub("{id}", path).replace("parcel-fees", "{slug}"))
        for method, path, *_ in ENDPOINTS
    }
    assert walked == operations


@pytest.mark.parametrize(
    ("caller", "level", "writes"),
    [
        ("anonymous", "public", True),
        ("learner", "member", True),
        ("manager", "staff", True),
        ("admin", "admin", True),
        ("read-only token", "admin", False),
        ("read-write token", "admin", True),
    ],
)
def test_each_caller_gets_what_its_role_allows_and_a_clear_refusal_otherwise(
    bank, caller, level, writes
):
    client = {
        "anonymous": APIClient,
        "learner": lambda: signed_in(bank.learner),
        "manager": lambda: signed_in(bank.manager),
        "admin": lambda: signed_in(bank.admin),
        "read-only token": lambda: client_with_token(token_for(bank.admin, TokenScope.READ)),
        "read-write token": lambda: client_with_token(token_for(bank.admin)),
    }[caller]()
    ids = ids_of(bank)
    for method, path, body, needed in ENDPOINTS:
        response = call(client, method, fill(path, ids), fill(body, ids))
        allowed = LEVELS.index(needed) <= LEVELS.index(level) or (
            caller != "anonymous" and needed == "signed_in"
        )
        if allowed and (method == "get" or writes):
            expected = {200, 201, 204}
        elif caller == "anonymous":
            expected = {401}
        else:
            expected = {403}
        assert response.status_code in expected, (caller, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("how", ["session", "token"])
def test_another_organisation_gets_404_for_everything_of_ours(bank, elsewhere, how):
    client = (
        signed_in(elsewhere.admin)
        if how == "session"
        else client_with_token(token_for(elsewhere.admin))
    )
    ours = ids_of(bank)
    smuggled = {**ours, "org": elsewhere.slug}  # our ids under their own organisation
    for method, path, body, _needed in ENDPOINTS:
        if "{org}" not in path:
            continue
        response = call(client, method, fill(path, ours), fill(body, ours))
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["error"]["code"] == "not_found"
        if path.count("{") > 1:
            response = call(client, method, fill(path, smuggled), fill(body, smuggled))
            assert response.status_code == 404, (method, path, response.content)
        elif fill(body, smuggled) != body:
            # Our ids in the body of a write to their own organisation: refused as not
            # theirs, exactly as ids that do not exist.
            response = call(client, method, fill(path, smuggled), fill(body, smuggled))
            assert response.status_code == 400, (method, path, response.content)
            assert response.json()["error"]["fields"]


def test_a_token_is_only_good_for_its_own_organisation(bank, elsewhere):
    client = client_with_token(token_for(elsewhere.admin))
    assert client.get(f"/api/v1/orgs/{bank.slug}/").status_code == 404
    assert [o["slug"] for o in client.get("/api/v1/orgs/").json()] == [elsewhere.slug]
