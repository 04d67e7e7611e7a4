"""Simulation results by API: the same figures as the results page, aggregates only."""

import pytest

from tests.api.conftest import client_with_token, fill_bank, token_for
from training.campaigns.models import SimulationPolicy

pytestmark = pytest.mark.django_db


def test_results_give_rates_per_simulation_group_and_day(bank_admin, module):
    bank = fill_bank(bank_admin, module, learners=4)
    api = client_with_token(token_for(bank_admin))

    body = api.get(f"/api/v1/orgs/harbour/simulations/{bank.ids['simulation']}/results/").json()

    summary = body["summary"]
    assert (summary["sent"], summary["clicked"], summary["reported"]) == (4, 1, 1)
    assert (summary["click_rate"], summary["report_rate"], summary["phish_prone"]) == (25, 25, 25)
    assert summary["time_to_first_report"] == "00:09:00"
    assert [(g["group"], g["sent"], g["report_rate"]) for g in body["groups"]] == [
        ("Retail", 4, 25)
    ]
    assert sum(day["sent"] for day in body["timeline"]) == 4
    assert body["simulation"]["channel"] == "sms"
    assert "people" not in body and "username" not in str(body)


def test_results_stay_aggregate_when_the_organisation_chose_aggregates_only(bank_admin, module):
    bank = fill_bank(bank_admin, module, learners=2)
    SimulationPolicy.objects.update_or_create(
        organization=bank_admin.organization, defaults={"aggregate_only": True}
    )
    api = client_with_token(token_for(bank_admin))

    response = api.get(f"/api/v1/orgs/harbour/simulations/{bank.ids['simulation']}/results/")

    assert response.status_code == 200
    assert response.json()["summary"]["sent"] == 2


def test_another_organisations_simulation_is_a_404(bank_admin, other_org_admin, module):
    theirs = fill_bank(other_org_admin, module)
    api = client_with_token(token_for(bank_admin))

    for path in ("", "results/"):
        response = api.get(f"/api/v1/orgs/harbour/simulations/{theirs.ids['simulation']}/{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
