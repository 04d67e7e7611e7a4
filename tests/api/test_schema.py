"""The OpenAPI schema: valid without a single warning (drf-spectacular's check and
openapi-spec-validator's), documented locally, and the API keeps to it under property-based
runs (schemathesis, every check): each operation alone, then sequences of calls that use what
earlier calls returned (the stateful phase)."""

import re

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

# Enough to reach every operation with valid and invalid input, well under a minute in all.
EXAMPLES_PER_OPERATION = 10
SEQUENCES, STEPS_PER_SEQUENCE = 15, 6
# Bodies that name other objects (module slugs, group ids) are schema-valid with names that do
# not exist; those answer 400 ("No such module"), as they must. Every other check runs on them.
NAMES_OTHER_OBJECTS = {
    "POST /api/v1/orgs/{org}/campaigns/",
    "POST /api/v1/orgs/{org}/members/",
    "PATCH /api/v1/orgs/{org}/members/{id}/",
    "POST /api/v1/orgs/{org}/groups/{id}/members/add/",
    "POST /api/v1/orgs/{org}/groups/{id}/members/remove/",
}
SETTINGS = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "derandomize": True,
    "database": None,
}


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    validate(yaml.safe_load((tmp_path / "s.yaml").read_text()))  # raises on the first error


def test_the_interactive_docs_load_their_assets_from_this_site(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.fixture
def api_schema(settings):
    """The schema served by the WSGI application, called in this test's transaction."""
    from awareness.wsgi import application

    # The runs make hundreds of requests a minute with one token: not what is tested here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": None, "user": None, "anonymous": None},
    }
    # As Django's test client does: a request must not close the test's open transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_schema(bank, api_schema):
    """Every operation, with generated valid and invalid input, as a read-write token of our
    bank's admin. Each request is rolled back, so every example meets the same data."""
    headers = {"Authorization": f"Bearer {token_for(bank.admin)}"}
    calls: list[str] = []
    failures = list(run_all(api_schema, bank, headers, calls))
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 8 * len(list(api_schema.get_all_operations()))
    print(f"schemathesis: {len(calls)} requests")


def test_the_api_keeps_to_its_schema_across_calls(bank, api_schema):
    """Sequences that create, change and read objects through the links schemathesis infers
    from the schema, every check on every response; the data stays between calls."""
    headers = {"Authorization": f"Bearer {token_for(bank.admin)}"}
    calls: list[str] = []

    class Workflow(api_schema.as_state_machine()):
        def before_call(self, case):
            if "org" in (case.path_parameters or {}) and len(calls) % 2:
                case.path_parameters["org"] = bank.slug
            calls.append(f"{case.method} {case.path}")

        def get_call_kwargs(self, case):
            return {"headers": headers}  # explicit, so ignored_auth knows it is a valid token

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=excluded_for(case.operation),
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),  # what the stateful checks look back at
            )

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=SEQUENCES, stateful_step_count=STEPS_PER_SEQUENCE, **SETTINGS
        )
    )
    assert len(set(calls)) >= 10, calls
    print(f"schemathesis stateful: {len(calls)} requests, {len(set(calls))} operations")


def run_all(schema, bank, headers: dict, calls: list):
    """Each operation's first finding (hypothesis stops an operation there)."""
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, **SETTINGS)
        def run(case):
            if "org" in (case.path_parameters or {}) and len(calls) % 2:
                case.path_parameters["org"] = bank.slug  # half the time, our own organisation
            calls.append(case.path)
            with transaction.atomic():
                case.call_and_validate(
                    headers=headers, excluded_checks=excluded_for(case.operation)
                )
                transaction.set_rollback(True)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every finding, reported together
            yield f"{operation.label}: {error}"


def excluded_for(operation) -> list:
    return [positive_data_acceptance] if operation.label in NAMES_OTHER_OBJECTS else []
