"""Campaigns through the API call the same services as the pages: create a draft, launch it
now or at its start, cancel it, and read its progress, assignments, attempts and live results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import client_with_token, token_for
from training.campaigns.models import Assignment, Campaign, CampaignRun, Notification
from training.campaigns.services import enroll_chunk, launch_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(bank):
    return client_with_token(token_for(bank.admin))


def create(api, bank, **fields):
    body = {
        "name": "Spot the parcel scam",
        "modules": ["parcel-fees"],
        "groups": [bank.ids["group"]],
        "starts_at": timezone.now().isoformat(),
        "due_days": 7,
    }
    return api.post("/api/v1/orgs/harbour/campaigns/", {**body, **fields}, format="json")


def test_a_campaign_is_created_as_a_draft_and_launched_now(
    api, bank, django_capture_on_commit_callbacks
):
    created = create(api, bank)
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert (campaign["status"], campaign["modules"]) == ("draft", ["parcel-fees"])

    launched = api.post(f"/api/v1/orgs/harbour/campaigns/{campaign['id']}/launch/")
    # Without a worker, run the queued launch steps here, as the worker would (the example
    # script's test runs them on a real worker).
    run = CampaignRun.objects.get(campaign_id=campaign["id"])
    with django_capture_on_commit_callbacks(execute=True):
        launch_run(run.pk)
    for chunk in run.chunks.all():
        enroll_chunk(chunk.pk)

    assert launched.json()["status"] == "running"
    progress = api.get(f"/api/v1/orgs/harbour/campaigns/{campaign['id']}/progress/").json()
    assert (progress["run"], progress["people"], progress["assignments"]) == (1, 1, 1)
    assert progress["run_status"] == "launched"


def test_a_campaign_starting_later_is_scheduled_and_can_be_cancelled(api, bank):
    later = (timezone.now() + timedelta(days=3)).isoformat()
    campaign = create(api, bank, starts_at=later).json()
    base = f"/api/v1/orgs/harbour/campaigns/{campaign['id']}"

    assert api.post(f"{base}/launch/").json()["status"] == "scheduled"
    assert api.post(f"{base}/launch/").status_code == 400  # only a draft launches
    assert api.get(f"{base}/progress/").json()["run"] is None
    assert api.post(f"{base}/cancel/").json()["status"] == "cancelled"
    assert not Notification.objects.filter(status="pending").exists()


def test_unknown_modules_and_foreign_groups_are_400_and_create_nothing(api, bank, elsewhere):
    before = Campaign.objects.count()
    unknown = create(api, bank, modules=["no-such-module", "adult-module"])
    foreign = create(api, bank, groups=[elsewhere.ids["group"]])
    assert unknown.status_code == foreign.status_code == 400
    assert unknown.json()["error"]["fields"] == {"modules": ["No such module: no-such-module"]}
    assert list(foreign.json()["error"]["fields"]) == ["groups"]
    assert Campaign.objects.count() == before


def test_assignments_progress_and_attempts_are_listed_per_member_and_module(api, bank):
    member = bank.ids["member"]
    assignments = api.get(f"/api/v1/orgs/harbour/assignments/?member={member}").json()
    progress = api.get("/api/v1/orgs/harbour/progress/?module=parcel-fees").json()
    attempts = api.get(f"/api/v1/orgs/harbour/attempts/?member={member}&finished=true").json()

    assert [(a["member"], a["module"], a["completed_at"]) for a in assignments["results"]] == [
        (member, "parcel-fees", None)
    ]
    assert [(p["member"], p["status"]) for p in progress["results"]] == [(member, "completed")]
    assert [(a["member"], a["score"]) for a in attempts["results"]] == [(member, 0.8)]
    assert api.get("/api/v1/orgs/harbour/attempts/?finished=false").json()["results"] == []
    assert api.get("/api/v1/orgs/harbour/assignments/?completed=true").json()["results"] == []


def test_overdue_assignments_can_be_found(api, bank):
    Assignment.objects.update(due_at=timezone.now() - timedelta(days=1))
    now = timezone.now().isoformat().replace("+00:00", "Z")
    overdue = api.get(
        "/api/v1/orgs/harbour/assignments/", {"completed": "false", "due_before": now}
    ).json()
    assert len(overdue["results"]) == 1


def test_live_results_show_nicknames_only(bank):
    api = client_with_token(token_for(bank.admin))
    sessions = api.get("/api/v1/orgs/harbour/live-sessions/").json()["results"]
    assert [(s["id"], s["players"]) for s in sessions] == [(bank.ids["session"], 1)]

    results = api.get(f"/api/v1/orgs/harbour/live-sessions/{bank.ids['session']}/results/")

    player = results.json()["players"][0]
    assert (player["rank"], player["nickname"], player["signed_in"]) == (1, "Fox 0", False)
    assert player["points"] == [None] * len(player["points"])


def test_an_educator_sees_only_the_sessions_they_host(bank):
    from tests.api.conftest import signed_in
    from tests.people.factories import MembershipFactory

    other_teacher = MembershipFactory(organization=bank.admin.organization, role="educator")
    api = signed_in(other_teacher)
    assert api.get("/api/v1/orgs/harbour/live-sessions/").json()["results"] == []
    path = f"/api/v1/orgs/harbour/live-sessions/{bank.ids['session']}/results/"
    assert api.get(path).status_code == 404
    assert signed_in(bank.manager).get(path).status_code == 200


def test_what_people_did_on_their_own_is_not_the_organisations_to_see(api, bank):
    from awareness.content.models import Module
    from training.progress.models import Attempt, ModuleProgress

    own_time = Module.objects.get(slug="adult-module")
    now = timezone.now()
    learner = bank.learner.user
    Attempt.objects.create(
        module=own_time, user=learner, step_shown_at=now, started_at=now, finished_at=now, score=1
    )
    ModuleProgress.objects.create(user=learner, module_slug="adult-module", status="completed")

    attempts = api.get("/api/v1/orgs/harbour/attempts/").json()["results"]
    progress = api.get("/api/v1/orgs/harbour/progress/").json()["results"]

    assert {a["module"] for a in attempts} == {p["module"] for p in progress} == {"parcel-fees"}
