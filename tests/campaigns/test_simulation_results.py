"""Results of a simulation: rates per simulation, department and day, CSV, the pages and
their pinned query counts, aggregate-only reporting and anonymising with the clock moved."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.campaigns.conftest import staff
from tests.campaigns.simulation_helpers import load_library, template, verify
from training.campaigns import services
from training.campaigns.models import Delivery, Notification, SimulationPolicy
from training.campaigns.services.simulations import simulation_policy

pytestmark = pytest.mark.django_db


def launched(bank_admin, departments, *, people=(3, 2), now=None):
    """A launched simulation whose lures are marked sent, without mail (as after delivery)."""
    load_library()
    verify(bank_admin.organization)
    retail, treasury = departments
    staff(retail, people[0])
    staff(treasury, people[1])
    now = now or timezone.now()
    simulation = services.create_simulation(
        bank_admin, template=template("payroll-change"), name="Payroll", groups=[retail, treasury]
    )
    services.launch_simulation(bank_admin, simulation, now=now)
    Delivery.objects.update(sent_at=now)
    return simulation


def act(group_name: str, count: int, **events):
    ids = Delivery.objects.filter(group__name=group_name).order_by("pk").values_list("pk")[:count]
    Delivery.objects.filter(pk__in=ids).update(**events)


def test_rates_per_simulation_and_department_and_the_time_to_first_report(
    client, bank_admin, departments
):
    now = timezone.now()
    simulation = launched(bank_admin, departments, now=now)
    act("Retail", 2, clicked_at=now + timedelta(hours=1))
    act("Retail", 1, submitted_at=now + timedelta(hours=1))
    act("Treasury", 1, reported_at=now + timedelta(minutes=42))

    client.force_login(bank_admin.user)
    page = client.get(f"/orgs/harbour/simulations/{simulation.pk}/").content.decode()
    assert "Click rate" in page and "40%" in page  # 2 of 5
    assert "20%" in page  # submitted 1 of 5, reported 1 of 5
    assert "42\xa0minutes" in page

    rows = list(csv.reader(io.StringIO(b"".join(
        client.get(f"/orgs/harbour/simulations/{simulation.pk}/groups.csv").streaming_content
    ).decode())))  # fmt: skip
    assert rows[0][:6] == ["group", "targets", "sent", "clicked", "submitted", "reported"]
    assert rows[1][:6] == ["Retail", "3", "3", "2", "1", "0"] and rows[1][6] == "67"
    assert rows[2][:6] == ["Treasury", "2", "2", "0", "0", "1"] and rows[2][8] == "50"


def test_the_results_page_takes_the_same_number_of_queries_for_more_people(
    client, bank_admin, departments, django_assert_num_queries
):
    client.force_login(bank_admin.user)
    simulation = launched(bank_admin, departments, people=(2, 1))
    now = timezone.now()
    act("Retail", 1, clicked_at=now, reported_at=now)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/orgs/harbour/simulations/{simulation.pk}/").status_code == 200
        return len(captured)

    few = queries()
    retail, treasury = departments
    staff(retail, 20)
    staff(treasury, 20)
    many = services.create_simulation(
        bank_admin, template=template("payroll-change"), name="Bigger", groups=[retail, treasury]
    )
    services.launch_simulation(bank_admin, many, now=now)
    Delivery.objects.update(sent_at=now, clicked_at=now)
    assert queries() == few
    with django_assert_num_queries(few):
        client.get(f"/orgs/harbour/simulations/{many.pk}/")
    # User, membership (the session is cached), the simulation (+ its groups), the totals, the
    # departments, one per kind of event for the timeline, the people, and the time to
    # report (its buckets, its median).
    assert few == 14


def test_the_list_page_and_phish_prone_trend_take_a_fixed_number_of_queries(
    client, bank_admin, departments, django_assert_num_queries
):
    client.force_login(bank_admin.user)
    launched(bank_admin, departments)
    simulation_policy(bank_admin.organization_id)
    with django_assert_num_queries(7):  # 5, then the repeat clickers: recent ones, their clicks
        page = client.get("/orgs/harbour/simulations/").content.decode()
    assert "Phish-prone percentage over time" in page and "Payroll" in page
    assert "/s/report-inbox/" in page


def test_aggregate_only_hides_every_per_person_view_and_csv(client, bank_admin, departments):
    simulation = launched(bank_admin, departments)
    SimulationPolicy.objects.filter(organization=bank_admin.organization).update(
        aggregate_only=True
    )
    client.force_login(bank_admin.user)
    base = f"/orgs/harbour/simulations/{simulation.pk}"
    delivery = Delivery.objects.first()
    page = client.get(f"{base}/").content.decode()
    assert "aggregate only" in page and delivery.membership.user.username not in page
    assert client.get(f"{base}/people.csv").status_code == 404
    assert client.get(f"{base}/people/{delivery.pk}/").status_code == 404
    assert client.get(f"{base}/groups.csv").status_code == 200


def test_per_person_results_are_anonymised_days_after_the_simulation_closes(
    client, bank_admin, departments
):
    start = timezone.now()
    simulation = launched(bank_admin, departments, now=start)
    act("Retail", 1, clicked_at=start)
    client.force_login(bank_admin.user)
    delivery = Delivery.objects.filter(clicked_at__isnull=False).get()
    person = f"/orgs/harbour/simulations/{simulation.pk}/people/{delivery.pk}/"
    assert delivery.membership.user.username in client.get(person).content.decode()

    closes = start + timedelta(days=simulation.open_days)
    services.dispatch_due_work(now=closes)
    simulation.refresh_from_db()
    assert simulation.status == "closed" and simulation.anonymised_at is None
    services.dispatch_due_work(now=closes + timedelta(days=29))
    assert Delivery.objects.filter(membership__isnull=False).count() == 5

    services.dispatch_due_work(now=closes + timedelta(days=30))
    simulation.refresh_from_db()
    assert simulation.anonymised_at is not None
    assert not Delivery.objects.filter(membership__isnull=False).exists()
    assert not Delivery.objects.exclude(token_hash=None).exists()
    assert not Notification.objects.filter(delivery__simulation=simulation).exists()
    assert client.get(person).status_code == 404
    page = client.get(f"/orgs/harbour/simulations/{simulation.pk}/").content.decode()
    assert "anonymised" in page and "20%" in page  # the figures stay: 1 click of 5
    rows = b"".join(
        client.get(f"/orgs/harbour/simulations/{simulation.pk}/groups.csv").streaming_content
    ).decode()
    assert "Retail,3,3,1" in rows


def test_another_organisation_sees_nothing(client, bank_admin, departments, other_org_admin):
    simulation = launched(bank_admin, departments)
    client.force_login(other_org_admin.user)
    delivery = Delivery.objects.first()
    for url in (
        f"/orgs/harbour/simulations/{simulation.pk}/",
        f"/orgs/elsewhere/simulations/{simulation.pk}/",
        f"/orgs/elsewhere/simulations/{simulation.pk}/people/{delivery.pk}/",
        f"/orgs/elsewhere/simulations/{simulation.pk}/groups.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/orgs/elsewhere/simulations/{simulation.pk}/launch/").status_code == 404


def test_bad_input_on_the_pages_gets_a_clear_4xx_and_changes_nothing(
    client, bank_admin, departments
):
    from training.campaigns.models import Simulation

    load_library()
    client.force_login(bank_admin.user)
    retail, _treasury = departments
    response = client.post(
        "/orgs/harbour/simulations/new/",
        {"template": "999999", "name": "", "groups": [str(retail.pk)], "send_over_hours": "-1"},
    )
    assert response.status_code == 400 and not Simulation.objects.exists()
    response = client.post(
        "/orgs/harbour/simulations/",
        {"anonymise_after_days": "lots", "require_approval": "on"},
    )
    assert response.status_code == 400
    assert not SimulationPolicy.objects.filter(require_approval=True).exists()
    assert client.get("/orgs/harbour/simulations/12345/").status_code == 404


def test_the_pages_speak_traditional_chinese(client, bank_admin, departments):
    simulation = launched(bank_admin, departments)
    client.force_login(bank_admin.user)
    page = client.get(
        f"/orgs/harbour/simulations/{simulation.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    assert "點擊率" in page and "舉報率" in page
