"""Per-person time to report (median and distribution) and repeat clickers over the last
simulations, named only where the organisation keeps per-person results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.campaigns.test_simulation_results import launched
from training.campaigns import services
from training.campaigns.models import Delivery, SimulationPolicy
from training.campaigns.selectors.reporting import time_to_report

pytestmark = pytest.mark.django_db


def test_time_to_report_counts_from_each_persons_own_lure(client, bank_admin, departments):
    now = timezone.now()
    simulation = launched(bank_admin, departments, people=(3, 2), now=now)
    deliveries = list(Delivery.objects.order_by("pk"))
    # Sent over the window: each person's clock starts when their own lure arrived.
    for delivery, (sent_after, took) in zip(deliveries, [
        (timedelta(0), timedelta(minutes=3)), (timedelta(hours=3), timedelta(minutes=20)),
        (timedelta(hours=1), timedelta(hours=5)), (timedelta(0), timedelta(days=2)),
    ], strict=False):  # fmt: skip
        Delivery.objects.filter(pk=delivery.pk).update(
            sent_at=now + sent_after, reported_at=now + sent_after + took
        )
    result = time_to_report(simulation)
    assert result["total"] == 4 and result["median_minutes"] == 300  # of 3, 20, 300, 2880
    assert [count for _label, count in result["buckets"]] == [1, 1, 0, 1, 1]
    client.force_login(bank_admin.user)
    page = client.get(f"/orgs/harbour/simulations/{simulation.pk}/").content.decode()
    assert "Median time from a person's lure arriving to their report: 300 min" in page


def test_repeat_clickers_are_named_unless_results_are_aggregate_only(
    client, bank_admin, departments
):
    now = timezone.now()
    first = launched(bank_admin, departments, people=(2, 1), now=now - timedelta(days=30))
    second = services.create_simulation(
        bank_admin, template=first.template, name="Again", groups=list(departments)
    )
    services.launch_simulation(bank_admin, second, now=now)
    Delivery.objects.update(sent_at=now)
    twice = Delivery.objects.filter(simulation=first).order_by("pk").first().membership
    Delivery.objects.filter(membership=twice).update(clicked_at=now)
    once = Delivery.objects.filter(simulation=second).exclude(membership=twice).first()  # once
    Delivery.objects.filter(pk=once.pk).update(clicked_at=now)

    client.force_login(bank_admin.user)
    page = client.get("/orgs/harbour/simulations/").content.decode()
    assert "1 person clicked in two or more of the last 2 simulations." in page
    assert f"{twice.user.username} · 2 clicks" in page
    assert once.membership.user.username not in page.split("Repeat clickers")[1]

    SimulationPolicy.objects.filter(organization=bank_admin.organization).update(
        aggregate_only=True
    )
    page = client.get("/orgs/harbour/simulations/").content.decode()
    assert "1 person clicked in two or more" in page and twice.user.username not in page
