"""xAPI statements: their shape, their ids, who is never sent, and delivery to a real LRS
that fails once."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.integrations.conftest import finish
from tests.people.factories import MembershipFactory
from training.integrations.models import OutboxStatus, Statement
from training.integrations.services import deliver_statements, dispatch_integrations, outbox
from training.integrations.statements import statements_for

pytestmark = pytest.mark.django_db

ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)$")
ADL_VERBS = {
    f"http://adlnet.gov/expapi/verbs/{v}" for v in ("answered", "completed", "passed", "failed")
}


def assert_valid_statement(statement: dict) -> None:
    """The properties xAPI 1.0.3 requires or constrains, as an LRS would check them."""
    assert str(uuid.UUID(statement["id"])) == statement["id"]
    actor = statement["actor"]
    identifiers = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    assert actor["objectType"] == "Agent" and len(identifiers) == 1
    if "account" in actor:
        assert set(actor["account"]) == {"homePage", "name"}
        assert actor["account"]["homePage"].startswith(("http://", "https://"))
    assert statement["verb"]["id"] in ADL_VERBS and statement["verb"]["display"]["en-US"]
    activity = statement["object"]
    assert activity["objectType"] == "Activity" and activity["id"].startswith("http")
    assert all(isinstance(v, str) and v for v in activity["definition"]["name"].values())
    result = statement["result"]
    score = result.get("score")
    if score:
        assert -1 <= score["scaled"] <= 1
        if "raw" in score:
            assert score["min"] <= score["raw"] <= score["max"] and score["min"] < score["max"]
    assert ISO_DURATION.match(result["duration"]), result["duration"]
    assert timezone.datetime.fromisoformat(statement["timestamp"]).tzinfo is not None
    uuid.UUID(statement["context"]["registration"])
    for parent in statement["context"].get("contextActivities", {}).get("parent", []):
        assert parent["id"].startswith("http")


def test_a_finished_attempt_is_queued_as_valid_statements_without_the_email(staff, lrs, module):
    attempt = finish(staff.user, module, score=0.5)

    rows = list(Statement.objects.order_by("pk"))
    questions = attempt.answers.count()
    assert [r.verb for r in rows] == ["answered"] * questions + ["completed", "failed"]
    for row in rows:
        assert_valid_statement(row.body)
        assert str(row.statement_id) == row.body["id"]
        assert staff.user.email not in json.dumps(row.body)
    completed = rows[-2].body
    assert completed["result"]["score"] == {
        "scaled": 0.5,
        "raw": questions / 2,
        "min": 0,
        "max": questions,
    }
    assert completed["object"]["id"] == f"http://127.0.0.1:8000/learn/{module.slug}/"
    assert completed["actor"]["account"]["homePage"] == "http://127.0.0.1:8000/orgs/harbour/"
    assert completed["result"]["duration"].startswith("PT4M")
    assert rows[-1].body["result"]["success"] is False


def test_an_organisation_that_opts_in_sees_the_email_address(staff, lrs, module):
    lrs.identify_by_email = True
    lrs.save()
    finish(staff.user, module)
    statement = Statement.objects.get(verb="passed").body
    assert statement["actor"] == {"objectType": "Agent", "mbox": f"mailto:{staff.user.email}"}


def test_statement_ids_and_pseudonyms_are_stable_and_differ_between_organisations(
    staff, lrs, module
):
    attempt = finish(staff.user, module)
    first = Statement.objects.order_by("pk").values_list("statement_id", flat=True)
    first = [str(i) for i in first]

    from training.integrations.services import queue_statements

    queue_statements(attempt, now=timezone.now())  # a second completion of the same attempt
    assert [
        str(i) for i in Statement.objects.order_by("pk").values_list("statement_id", flat=True)
    ] == first

    again = [body["id"] for _verb, body in statements_for(lrs, attempt, {"en": "T"})]
    assert again == first
    from training.integrations.models import LearningRecordStore

    other = LearningRecordStore.objects.create(organization=MembershipFactory().organization)
    theirs = statements_for(other, attempt, {"en": "T"})
    assert not {body["id"] for _v, body in theirs} & set(first)
    assert (
        theirs[-1][1]["actor"]["account"]["name"]
        != Statement.objects.last().body["actor"]["account"]["name"]
    )


@pytest.mark.parametrize("age_band", ["under-13", "13-15", "16-17"])
def test_children_are_never_sent(staff, lrs, module, age_band):
    staff.user.age_band = age_band
    staff.user.save()
    finish(staff.user, module)
    assert not Statement.objects.exists()


def test_modules_the_organisation_did_not_assign_and_anonymous_learners_are_never_sent(
    bank_admin, lrs, module
):
    from training.progress.services import Learner, finish_attempt, start_attempt

    stranger = MembershipFactory(organization=bank_admin.organization)  # no assignment
    finish(stranger.user, module)
    anonymous = start_attempt(
        module, Learner(user=None, key="k" * 32, max_age_rating=18), now=timezone.now()
    )
    finish_attempt(anonymous, now=timezone.now())
    assert not Statement.objects.exists()


def run_due(now, django_capture_on_commit_callbacks):
    """One tick's claim, with the delivery run here instead of on a worker."""
    with django_capture_on_commit_callbacks(execute=True):
        outbox.claim_due(Statement, now=now, enqueue=deliver_statements)


def test_the_lrs_fails_once_then_stores_every_statement_exactly_once(
    staff, lrs, module, receiver, django_capture_on_commit_callbacks
):
    finish(staff.user, module)
    total = Statement.objects.count()
    receiver.replies = [500]
    now = timezone.now()

    run_due(now, django_capture_on_commit_callbacks)
    waiting = Statement.objects.get(status=OutboxStatus.PENDING)
    assert waiting.attempts == 1 and waiting.response_status == 500
    assert waiting.not_before > now
    assert len(receiver.statements) == total - 1

    run_due(now, django_capture_on_commit_callbacks)  # not due yet: nothing happens
    assert len(receiver.requests) == total
    run_due(now + timedelta(minutes=2), django_capture_on_commit_callbacks)
    assert Statement.objects.filter(status=OutboxStatus.SENT).count() == total
    assert set(receiver.statements) == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }

    # A worker that died after the LRS answered: the row is handed back and sent again, and
    # the LRS, keyed by statement id, still holds one copy.
    Statement.objects.update(status=OutboxStatus.SENDING, claimed_at=now - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.release_stalled(Statement, now=now)
        outbox.claim_due(Statement, now=now + timedelta(minutes=2), enqueue=deliver_statements)
    assert len(receiver.statements) == total
    assert all(r["method"] == "PUT" for r in receiver.requests)


def test_a_rejected_statement_is_given_up_at_once_and_a_timeout_is_retried(
    staff, lrs, module, receiver, settings, django_capture_on_commit_callbacks
):
    finish(staff.user, module)
    receiver.replies = [400]
    lrs.secret = "wrong"
    lrs.save()
    run_due(timezone.now(), django_capture_on_commit_callbacks)
    assert set(Statement.objects.values_list("status", flat=True)) == {OutboxStatus.FAILED}
    assert set(Statement.objects.values_list("response_status", flat=True)) == {400, 401}


def test_the_tick_claims_statements_and_enqueues_them_after_commit(
    staff, lrs, module, django_capture_on_commit_callbacks
):
    finish(staff.user, module)
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch_integrations(now=timezone.now())
    assert len(callbacks) == 1
    assert not Statement.objects.exclude(status=OutboxStatus.SENDING).exists()


def test_a_pseudonymous_classroom_account_is_never_sent(staff, lrs, module):
    staff.user.is_pseudonymous = True
    staff.user.save()
    finish(staff.user, module)
    assert not Statement.objects.exists()


def test_the_export_names_a_retired_module_by_the_version_that_was_played(staff, lrs, module):
    from awareness.content.models import Module
    from training.integrations.services import export_statements

    finish(staff.user, module)
    Module.objects.filter(slug=module.slug).update(is_current=False)
    now = timezone.now()
    lines = [json.loads(line) for line in export_statements(lrs, now - timedelta(days=1), now)]
    assert lines[-1]["object"]["definition"]["name"] == {"en": module.title}
    assert [line["id"] for line in lines] == [
        str(i) for i in Statement.objects.order_by("pk").values_list("statement_id", flat=True)
    ]
