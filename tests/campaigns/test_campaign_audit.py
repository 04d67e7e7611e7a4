"""Every campaign write leaves its event in the audit log: create, launch, cancel, the sending
pace and the simulation rules, each with who did it; a refused write leaves none."""

import pytest
from django.urls import reverse

from awareness.safety.models import AuditEvent
from tests.campaigns.test_campaign_pages import create
from training.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin.user)
    return client


def events(bank_admin):
    return list(
        AuditEvent.objects.filter(organization=bank_admin.organization)
        .order_by("pk")
        .values_list("action", "actor_id", "target_id", "details")
    )


def test_creating_launching_and_cancelling_a_campaign_are_each_recorded_once(
    admin_client, bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, treasury = departments
    create(admin_client, departments)
    campaign = Campaign.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("campaign_launch", args=["harbour", campaign.pk]))
        admin_client.post(reverse("campaign_launch", args=["harbour", campaign.pk]))  # refused
    admin_client.post(reverse("campaign_cancel", args=["harbour", campaign.pk]))

    recorded = events(bank_admin)
    assert [action for action, *_rest in recorded] == [
        "campaign.created",
        "campaign.launched",
        "campaign.cancelled",
    ]
    assert {(actor, target) for _action, actor, target, _details in recorded} == {
        (bank_admin.user_id, str(campaign.pk))
    }
    created, launched = recorded[0][3], recorded[1][3]
    assert created == {"modules": ["parcel-fees"], "groups": [retail.pk, treasury.pk]}
    assert launched["started_now"] is True


def test_the_sending_pace_and_the_simulation_rules_record_what_changed(admin_client, bank_admin):
    response = admin_client.post(
        reverse("campaign_list", args=["harbour"]), {"per_minute": 10, "per_day": 500}
    )
    assert response.status_code == 302
    response = admin_client.post(
        reverse("simulation_list", args=["harbour"]),
        {"require_approval": "on", "anonymise_after_days": 7},
    )
    assert response.status_code == 302

    (pace, pace_by, _p, pace_details), (rules, rules_by, _r, rules_details) = events(bank_admin)
    assert (pace, rules) == ("campaigns.sending_pace_changed", "simulations.rules_changed")
    assert pace_by == rules_by == bank_admin.user_id
    assert pace_details == {
        "before": {"per_minute": 30, "per_day": 10_000},
        "after": {"per_minute": 10, "per_day": 500},
    }
    assert rules_details["before"]["require_approval"] is False
    assert rules_details["after"] == {
        "require_approval": True,
        "aggregate_only": False,
        "anonymise_after_days": 7,
    }


def test_a_refused_pace_or_a_non_admin_changes_nothing_and_records_nothing(
    client, admin_client, bank_admin, departments
):
    from tests.campaigns.conftest import staff

    response = admin_client.post(
        reverse("campaign_list", args=["harbour"]), {"per_minute": "lots", "per_day": 500}
    )
    assert response.status_code == 400
    (member,) = staff(departments[0], 1)
    client.force_login(member.user)
    response = client.post(
        reverse("campaign_list", args=["harbour"]), {"per_minute": 1, "per_day": 1}
    )
    assert response.status_code == 403
    assert events(bank_admin) == []
