"""A campaign's figures are kept as tallies when people enrol and attempts finish: counted
exactly once, equal to a recount from history, and what the report and its CSV both say."""

import csv
import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Module
from tests.campaigns.conftest import finish, staff
from training.campaigns import services
from training.campaigns.models import Assignment, CampaignRun, RunTally, TallyTopic
from training.campaigns.selectors import campaign_dashboard, run_summary


def figures(run) -> dict:
    return {
        (t.topic, t.key): (t.count, t.hits, t.passed, round(t.score_sum, 6))
        for t in RunTally.objects.filter(run=run)
    }


def enrolled(bank_admin, groups, people, *, pass_mark=0.6, days_ago=5):
    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    campaign = services.create_campaign(
        bank_admin, name="Q1", modules=[module], groups=groups,
        starts_at=timezone.now() - timedelta(days=days_ago), due_days=14, pass_mark=pass_mark,
    )  # fmt: skip
    run = CampaignRun.objects.create(
        campaign=campaign, number=1, starts_at=campaign.starts_at,
        due_at=campaign.starts_at + timedelta(days=14),
    )  # fmt: skip
    services.enroll(run, [p.pk for p in people])
    return module, run


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin.user)
    return client


@pytest.mark.django_db
def test_an_attempt_counted_twice_is_counted_once(bank_admin, departments, loaded_pack):
    people = staff(departments[0], 2)
    module, run = enrolled(bank_admin, departments[:1], people)
    attempt = finish(people[0], module, score=0.75)
    once = figures(run)

    services.count_finished_attempt(attempt)
    services.enroll(run, [p.pk for p in people])  # a launch chunk that runs twice

    assert figures(run) == once
    assert once[(TallyTopic.RUN, 0)] == (2, 1, 1, 0.75)
    assert once[(TallyTopic.PEOPLE, 0)] == (2, 1, 1, 0.0)
    assert once[(TallyTopic.DEPARTMENT, departments[0].pk)] == (2, 1, 1, 0.75)
    assert once[(TallyTopic.SCORE, 7)][0] == 1


@pytest.mark.django_db
def test_completed_and_passed_are_counted_apart_and_the_best_score_counts(
    bank_admin, departments, loaded_pack
):
    people = staff(departments[0], 1)
    module, run = enrolled(bank_admin, departments[:1], people, pass_mark=0.8)

    finish(people[0], module, score=0.42)
    first = run_summary(run, now=timezone.now())
    finish(people[0], module, score=0.9)
    then = run_summary(run, now=timezone.now())

    assert (first.completed, first.passed, first.average_score) == (1, 0, 0.42)
    assert (then.completed, then.passed, then.average_score) == (1, 1, 0.9)
    assignment = Assignment.objects.get()
    assert assignment.score == 0.9 and assignment.passed_at is not None
    scores = dict(RunTally.objects.filter(run=run, topic="score").values_list("key", "count"))
    assert scores == {4: 0, 9: 1}  # moved from the 40 % band to the 90 % one


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_attempt", [True, False], ids=["one attempt", "two attempts"])
def test_two_finishing_at_once_complete_the_assignment_once(
    postgresql, bank_admin, departments, loaded_pack, same_attempt
):
    """PostgreSQL only: SQLite has one writer, so nothing finishes at once there."""
    people = staff(departments[0], 1)
    module, run = enrolled(bank_admin, departments[:1], people)
    now = timezone.now()
    attempts = [finish_later(people[0], module, now) for _ in range(1 if same_attempt else 2)]
    attempts = attempts * 2 if same_attempt else attempts
    start = threading.Barrier(2)
    errors = []

    def count(attempt):
        try:
            start.wait()
            services.count_finished_attempt(attempt)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    tallies = figures(run)
    assert tallies[(TallyTopic.RUN, 0)][:3] == (1, 1, 1)
    questions = [v[0] for (topic, _k), v in tallies.items() if topic == TallyTopic.QUESTION]
    assert questions and set(questions) == {1 if same_attempt else 2}


def finish_later(person, module, at):
    """A finished attempt with an answer, not counted yet (the threads count it)."""
    from training.progress.models import Answer, Attempt

    attempt = Attempt.objects.create(
        module=module, user=person.user, step_shown_at=at, started_at=at, finished_at=at, score=1
    )
    question = module.steps.filter(question__isnull=False).first().question
    Answer.objects.create(
        attempt=attempt, question=question, response={}, is_correct=True, score=1, seconds=3,
        answered_at=at,
    )  # fmt: skip
    return attempt


@pytest.mark.django_db
def test_tallies_kept_by_playing_equal_a_recount_from_history(
    postgresql, client, bank_admin, departments, loaded_pack
):
    """The recount is PostgreSQL's SQL (rebuild_run_statistics), as the data migration is."""
    from tests.site.test_player import play_to_the_end, start

    retail, treasury = departments
    people = staff(retail, 2) + staff(treasury, 1)
    _module, run = enrolled(bank_admin, departments, people)
    for person, right in zip(people, [True, False, True], strict=True):
        client.force_login(person.user)
        play_to_the_end(client, start(client), right=right)
    kept = figures(run)

    call_command("rebuild_campaign_statistics", str(run.pk), stdout=io.StringIO())

    assert figures(run) == kept
    assert kept[(TallyTopic.RUN, 0)][:3] == (3, 3, 2)
    assert kept[(TallyTopic.DEPARTMENT, treasury.pk)][:3] == (1, 1, 1)


@pytest.mark.django_db
def test_the_evidence_report_counts_what_its_csv_lists(
    admin_client, bank_admin, departments, loaded_pack
):
    people = staff(departments[0], 6)
    module, run = enrolled(bank_admin, departments[:1], people, pass_mark=0.6)
    for person, score in zip(people, [1.0, 0.6, 0.59, 0.2], strict=False):
        finish(person, module, score=score)  # two never start

    report = admin_client.get(reverse("campaign_evidence", args=["harbour", run.campaign_id]))
    evidence = admin_client.get(
        reverse("campaign_csv", args=["harbour", run.campaign_id, "evidence"])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(evidence.streaming_content).decode())))

    summary = report.context["summary"]
    assert len(rows) == summary.assignments == 6
    assert sum(bool(r["completed"]) for r in rows) == summary.completed == 4
    assert sum(r["passed"] == "yes" for r in rows) == summary.passed == 2
    assert summary.people == 6 and summary.people_completed == 4
    html = report.content.decode()
    assert "Modules passed" in html and "2 / 6 (33%)" in html


@pytest.mark.django_db
def test_the_evidence_csv_has_departments_rounded_scores_and_times_to_the_second(
    admin_client, bank_admin, departments, loaded_pack
):
    people = staff(departments[0], 1)
    module, run = enrolled(bank_admin, departments[:1], people)
    finished_at = timezone.now().replace(microsecond=123456)
    finish(people[0], module, score=5 / 12, at=finished_at)

    evidence = admin_client.get(
        reverse("campaign_csv", args=["harbour", run.campaign_id, "evidence"])
    )
    row = next(csv.DictReader(io.StringIO(b"".join(evidence.streaming_content).decode())))

    assert row["department"] == "Retail"
    assert row["score_percent"] == "42" and row["passed"] == "no" and row["passed_at"] == ""
    assert row["completed"] == timezone.localtime(finished_at).isoformat(timespec="seconds")
    assert row["module"] == "parcel-fees" and row["person"] == people[0].user.username


def test_a_csv_sends_its_first_line_before_its_rows_are_read():
    from awareness.lib.spreadsheets import csv_response

    read = []

    def rows():
        for n in range(1_000_000):
            read.append(n)
            yield [n]

    chunks = iter(csv_response("big.csv", ["n"], rows()).streaming_content)

    assert next(chunks) == b"n\r\n" and read == []
    assert next(chunks) == b"0\r\n" and read == [0]


@pytest.mark.django_db
def test_the_dashboard_reads_tallies_through_indexes_not_history(
    postgresql, bank_admin, departments, loaded_pack
):
    """With sequential scans priced out, a query that still scans a big table has no index
    to use: the dashboard must not touch answers or attempts at all."""
    people = staff(departments[0], 3)
    module, run = enrolled(bank_admin, departments[:1], people)
    finish(people[0], module, score=0.9)

    with CaptureQueriesContext(connection) as queries:
        campaign_dashboard(run.campaign, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plans = []
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("RESET enable_seqscan")

    history = [q["sql"] for q in queries.captured_queries if "progress_" in q["sql"]]
    assert not history
    scans = [plan for plan in plans if "Seq Scan on campaigns_assignment" in plan]
    assert not scans, scans


@pytest.mark.django_db
def test_past_the_due_date_whoever_has_not_completed_everything_is_overdue(
    bank_admin, departments, loaded_pack
):
    people = staff(departments[0], 3)
    module, run = enrolled(bank_admin, departments[:1], people, days_ago=20)
    finish(people[0], module, score=0.3)  # late, and not a pass: completed all the same

    assert run_summary(run, now=timezone.now()).overdue_people == 2
    assert run_summary(run, now=run.due_at - timedelta(days=1)).overdue_people == 0
