"""The OpenAPI schema: valid without a single warning, documented locally, and the API keeps
to it under a property-based run (schemathesis) that finds no server error and no response
outside the schema."""

import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

# Enough to reach every operation with valid and invalid input, well under a minute.
# Not checked: that every schema-valid request succeeds. Some rules depend on data no schema can
# hold (a module slug that exists, a group of the caller's own): those answer 400, as they must.
EXAMPLES_PER_OPERATION = 10


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_the_interactive_docs_load_their_assets_from_this_site(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_the_api_keeps_to_its_schema(bank, settings):
    """Every operation, with generated valid and invalid input, as a read-write token of our
    bank's admin. Each request is rolled back, so every example meets the same data."""
    from awareness.wsgi import application

    # The run makes hundreds of requests a minute with one token: not what is tested here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": None, "user": None, "anonymous": None},
    }
    headers = {"Authorization": f"Bearer {token_for(bank.admin)}"}
    calls: list[str] = []
    # As Django's test client does: a request must not close the test's open transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        failures = list(run_all(schema, bank, headers, calls))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 8 * len(list(schema.get_all_operations()))
    print(f"schemathesis: {len(calls)} requests")


def run_all(schema, bank, headers: dict, calls: list):
    """Each operation's first finding (hypothesis stops an operation there)."""
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            if "org" in (case.path_parameters or {}) and len(calls) % 2:
                case.path_parameters["org"] = bank.slug  # half the time, our own organisation
            calls.append(case.path)
            with transaction.atomic():
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
                transaction.set_rollback(True)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every finding, reported together
            yield f"{operation.label}: {error}"
