"""Hostile input to the API: bodies too deep or too large, characters no text holds, addresses
no route matches. Each is a 4xx in the API's one error shape that changes nothing, never a 500
and never an HTML page."""

import json

import pytest
import yaml
from django.test import RequestFactory

from tests.api.conftest import client_with_token, token_for
from training.api.errors import error_body
from training.api.middleware import api_errors_in_json

pytestmark = pytest.mark.django_db

ID_OF = {"groups": "group", "members": "member", "campaigns": "campaign"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def writes_with_a_body(client, bank) -> list[tuple[str, str]]:
    """Every (method, address) of the schema that takes a JSON body, filled in for our bank."""
    schema = yaml.safe_load(client.get("/api/schema/").content)
    writes = []
    for path, operations in schema["paths"].items():
        parts = path.split("/")
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            filled = [
                str(bank.ids[ID_OF[parts[i - 1]]]) if part == "{id}" else part
                for i, part in enumerate(parts)
            ]
            writes.append((method, "/".join(filled).replace("{org}", bank.slug)))
    return writes


def test_a_body_nested_100000_levels_deep_is_a_400_on_every_write(client, bank):
    api = client_with_token(token_for(bank.admin))
    deep = "[" * 100_000 + "]" * 100_000  # 200 KB: well under the size cap
    writes = writes_with_a_body(client, bank)
    assert len(writes) >= 6
    members = bank.admin.organization.memberships.count()
    for method, address in writes:
        error = error_of(api.generic(method.upper(), address, deep, "application/json"), 400)
        assert error["code"] == "parse_error"
        assert "deeper than 32" in error["message"]
    assert bank.admin.organization.memberships.count() == members


def test_brackets_inside_strings_are_not_nesting(bank):
    api = client_with_token(token_for(bank.admin))
    name = "[{" * 40
    response = api.post(f"/api/v1/orgs/{bank.slug}/groups/", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == name


def test_a_body_larger_than_the_cap_is_a_400(bank, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = client_with_token(token_for(bank.admin))
    body = json.dumps({"name": "x" * 1000})
    response = api.generic("POST", f"/api/v1/orgs/{bank.slug}/groups/", body, "application/json")
    assert "larger than 1000 bytes" in error_of(response, 400)["message"]


@pytest.mark.parametrize("value", ["\ud800", "Mei\udfffLin", "mei\x00admin"])
def test_a_lone_surrogate_or_a_nul_in_a_value_or_a_key_is_a_400(bank, value):
    api = client_with_token(token_for(bank.admin))
    members = f"/api/v1/orgs/{bank.slug}/members/"
    bodies = [
        ("POST", members, {"email": "new@harbour.example", "role": value}),
        ("POST", members, {"email": "new@harbour.example", "first_name": value}),
        ("POST", members, {"email": "new@harbour.example", value: "learner"}),
        ("PATCH", f"{members}{bank.ids['member']}/", {"role": value}),
        ("PATCH", f"{members}{bank.ids['member']}/", {"external_id": value}),
    ]
    for method, address, body in bodies:
        # json.dumps writes a lone surrogate as the \ud800 escape a hostile client would send.
        response = api.generic(method, address, json.dumps(body), "application/json")
        assert error_of(response, 400)["message"] == (
            "The request contained a character that is not allowed."
        )
    assert not bank.admin.organization.memberships.filter(user__email="new@harbour.example")
    assert bank.learner.__class__.objects.get(pk=bank.ids["member"]).role == bank.learner.role


def test_a_message_that_quotes_a_lone_surrogate_can_still_be_sent():
    body = error_body("invalid", '"\ud800" is not a valid choice.', {"\udfff": ["\ud800"]})
    encoded = json.dumps(body, ensure_ascii=False).encode()
    assert json.loads(encoded)["message"] == '"\\ud800" is not a valid choice.'


@pytest.mark.parametrize(
    ("address", "status", "code"),
    [
        ("/api/v1/orgs/harbour/members/?search=mei%00admin", 400, "bad_request"),
        ("/api/v1/modules/?scam_type=%00", 400, "bad_request"),
        ("/api/v1/orgs/harbour/members/%0A", 404, "not_found"),
        ("/api/v1/%0A/", 404, "not_found"),
        ("/api/%0D%0Aschema/", 404, "not_found"),
    ],
)
def test_errors_django_answers_before_the_api_have_the_api_shape(bank, address, status, code):
    response = client_with_token(token_for(bank.admin)).get(address)
    assert error_of(response, status)["code"] == code


def test_a_server_error_under_the_api_is_answered_in_the_api_shape():
    """A 500 is a bug, so none can be provoked on purpose: the guard is given one."""
    from django.http import HttpResponseServerError

    guard = api_errors_in_json(lambda request: HttpResponseServerError("<h1>Server Error</h1>"))
    response = guard(RequestFactory().get("/api/v1/orgs/"))
    assert error_of(response, 500)["code"] == "server_error"
    page = guard(RequestFactory().get("/museum/"))
    assert page.content == b"<h1>Server Error</h1>"
