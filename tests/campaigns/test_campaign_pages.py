"""A bank administrator's campaign pages: create, launch, watch, export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import finish, staff
from tests.people.factories import MembershipFactory
from training.campaigns import services
from training.campaigns.models import Assignment, Campaign, Notification
from training.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin.user)
    return client


def create(admin_client, departments, **overrides):
    retail, treasury = departments
    data = {
        "name": "Q1 awareness",
        "modules": ["parcel-fees"],
        "groups": [str(retail.pk), str(treasury.pk)],
        "starts_at": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        "due_days": 14,
        "recurrence": "",
        "reminder_every_days": 3,
        "reminder_limit": 4,
        "escalate": "on",
        **overrides,
    }
    return admin_client.post(reverse("campaign_create", args=["harbour"]), data)


def test_an_admin_creates_a_draft_and_launches_it_for_two_departments(
    admin_client, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, treasury = departments
    staff(retail, 2)
    staff(treasury, 3)

    response = create(admin_client, departments)
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaign_detail", args=["harbour", campaign.pk])
    assert campaign.status == "draft" and not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("campaign_launch", args=["harbour", campaign.pk]))
    run = campaign.runs.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_run(run.pk)  # what the worker does with the queued task
    for chunk in run.chunks.all():
        services.enroll_chunk(chunk.pk)

    page = admin_client.get(reverse("campaign_detail", args=["harbour", campaign.pk]))
    assert page.context["summary"].people == 5
    assert Assignment.objects.count() == 5


def test_launching_twice_is_refused(admin_client, departments, loaded_pack):
    create(admin_client, departments)
    campaign = Campaign.objects.get()
    url = reverse("campaign_launch", args=["harbour", campaign.pk])
    admin_client.post(url)

    again = admin_client.post(url, follow=True)

    assert "Only a draft campaign can be launched." in again.content.decode()
    assert campaign.runs.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"modules": []},
        {"groups": []},
        {"due_days": 0},
        {"starts_at": "yesterday-ish"},
        {"modules": ["no-such-module"]},
    ],
)
def test_a_bad_campaign_form_is_a_400_and_creates_nothing(
    admin_client, departments, loaded_pack, overrides
):
    response = create(admin_client, departments, **overrides)

    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_a_group_of_another_organisation_cannot_be_targeted(
    admin_client, departments, loaded_pack, other_org_admin
):
    from tests.people.factories import GroupFactory

    foreign = GroupFactory(organization=other_org_admin.organization)

    response = create(admin_client, departments, groups=[str(foreign.pk)])

    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_a_manager_cannot_run_campaigns(client, bank_admin):
    manager = MembershipFactory(organization=bank_admin.organization, role=Role.MANAGER)
    client.force_login(manager.user)

    assert client.get(reverse("campaign_list", args=["harbour"])).status_code == 403


def launched(bank_admin, departments, count, capture):
    from awareness.content.models import Module

    retail, _ = departments
    people = staff(retail, count)
    campaign = services.create_campaign(
        bank_admin,
        name="Big",
        modules=list(Module.objects.filter(is_current=True, language="en", age_rating=0)),
        groups=[retail],
        starts_at=timezone.now() - timedelta(days=20),
        due_days=14,
    )
    with capture(execute=True):
        services.schedule_campaign(bank_admin, campaign, now=timezone.now())
    run = campaign.runs.get()
    services.launch_run(run.pk)
    for chunk in run.chunks.all():
        services.enroll_chunk(chunk.pk)
    return campaign, run, people


def campaign_modules(campaign):
    from awareness.content.models import Module

    slugs = campaign.modules.values_list("module_slug", flat=True)
    return list(Module.objects.filter(slug__in=slugs, is_current=True, language="en"))


def test_the_dashboard_runs_a_fixed_number_of_queries_whatever_the_campaign_size(
    admin_client, bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    campaign, run, people = launched(
        bank_admin, departments, 60, django_capture_on_commit_callbacks
    )
    for module in campaign_modules(campaign):
        for person in people[:30]:
            finish(person, module, score=0.8)
    url = reverse("campaign_detail", args=["harbour", campaign.pk])

    with django_assert_max_num_queries(20) as small:
        page = admin_client.get(url)
    more = staff(departments[0], 100)
    services.enroll(run, [m.pk for m in more])
    with django_assert_max_num_queries(len(small.captured_queries)):
        bigger = admin_client.get(url)

    assert page.context["summary"].percent == 50
    assert bigger.context["summary"].people == 160
    assert page.context["scores"][8] == (80, 30)


def test_every_table_downloads_as_csv_and_the_evidence_lists_everyone(
    admin_client, bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    campaign, _run, people = launched(
        bank_admin, departments, 3, django_capture_on_commit_callbacks
    )
    people[0].user.username = "=cmd|calc"
    people[0].user.save()

    for table in ("groups", "overdue", "scores", "over_time"):
        response = admin_client.get(reverse("campaign_csv", args=["harbour", campaign.pk, table]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    evidence = admin_client.get(reverse("campaign_csv", args=["harbour", campaign.pk, "evidence"]))

    rows = list(csv.reader(io.StringIO(b"".join(evidence.streaming_content).decode())))
    assert rows[0] == [
        "person", "email", "department", "module", "due", "completed", "score_percent",
        "passed", "passed_at",
    ]  # fmt: skip
    assert len(rows) == 4 and any(row[0] == "'=cmd|calc" for row in rows)
    report = admin_client.get(reverse("campaign_evidence", args=["harbour", campaign.pk]))
    assert "Training evidence report" in report.content.decode()


def test_cancelling_from_the_page_stops_pending_mail(
    admin_client, bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    campaign, _run, _people = launched(
        bank_admin, departments, 3, django_capture_on_commit_callbacks
    )

    admin_client.post(reverse("campaign_cancel", args=["harbour", campaign.pk]))

    assert set(Notification.objects.values_list("status", flat=True)) == {"cancelled"}
    assert Campaign.objects.get().status == "cancelled"


def test_the_dashboard_shows_the_red_flags_staff_missed_most(
    admin_client, bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    from tests.site.test_player import play_to_the_end, start

    campaign, _run, people = launched(
        bank_admin, departments, 2, django_capture_on_commit_callbacks
    )
    for person in people:
        admin_client.force_login(person.user)
        play_to_the_end(admin_client, start(admin_client), right=False)
    admin_client.force_login(bank_admin.user)

    page = admin_client.get(reverse("campaign_detail", args=["harbour", campaign.pk]))
    flags = admin_client.get(reverse("campaign_csv", args=["harbour", campaign.pk, "red_flags"]))

    assert ("A lookalike link", 2, 2) in page.context["missed_flags"]
    assert "A lookalike link,2,2" in b"".join(flags.streaming_content).decode()
