"""xAPI statements sent to a real learning record store (ralph, on loopback) and read back:
each question an interaction with its type, options, correct responses, the learner's
response and confidence, under an activity id that a new version of the module keeps."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from awareness.content.models import Module, QuestionKind
from training.integrations.models import LearningRecordStore, OutboxStatus, Statement
from training.integrations.services import deliver_statements, outbox
from training.integrations.statements import confidence_extension
from training.progress.services import Learner, advance, record_answer, start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(loaded_pack):
    """The test pack's module that asks each kind of question (the bank assigns it)."""
    return Module.objects.get(slug="parcel-fees", language="en", is_current=True)


def right_answer(question) -> dict:
    """What a learner who knows the answer sends, as the page's form would."""
    if question.kind == QuestionKind.SCAM_OR_LEGIT:
        return {"verdict": ["scam" if question.example.is_scam else "legit"]}
    if question.kind == QuestionKind.WHICH_IS_REAL:
        pair = (question.example, question.other_example)
        return {"real": [str(next(e.pk for e in pair if not e.is_scam))]}
    if question.kind == QuestionKind.SPOT_FLAGS:
        return {"spots": [str(s.pk) for s in question.example.spots.all() if s.is_flag]}
    right = [str(c.pk) for c in question.choices.all() if c.is_correct]
    return {"choice": right} if question.kind == QuestionKind.SINGLE else {"choices": right}


def play(user, module):
    """Every question answered rightly, sure at 80 %, step by step to the end."""
    attempt = start_attempt(
        module, Learner(user=user, key="", max_age_rating=18), now=timezone.now()
    )
    for step in module.steps.order_by("position").select_related("question"):
        question = getattr(step, "question", None)
        if question is not None:
            data = {**right_answer(question), "confidence": ["80"]}
            record_answer(attempt, question, data, now=timezone.now())
        attempt = advance(attempt, now=timezone.now())
    assert attempt.is_finished
    return attempt


def send_all(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outbox.claim_due(Statement, now=timezone.now(), enqueue=deliver_statements)
    assert set(Statement.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def answered(lrs, attempt) -> list[dict]:
    back = lrs.statements(registration=str(attempt.public_id))
    return [s for s in back if s["verb"]["id"].endswith("/answered")]


def test_statements_are_stored_by_a_real_lrs_and_read_back_with_their_interactions(
    ralph_lrs, staff, module, loaded_pack, django_capture_on_commit_callbacks
):
    LearningRecordStore.objects.create(
        organization=staff.organization, endpoint=f"{ralph_lrs.url}/xAPI/",
        key=ralph_lrs.username, secret=ralph_lrs.password, is_enabled=True,
    )  # fmt: skip
    attempt = play(staff.user, module)
    sent = list(Statement.objects.values_list("body", flat=True))
    assert sent and not any("version" in body for body in sent)  # the LRS sets it
    send_all(django_capture_on_commit_callbacks)

    back = answered(ralph_lrs, attempt)
    kinds = set(
        module.steps.filter(question__isnull=False).values_list("question__kind", flat=True)
    )
    assert len(back) == len(kinds) == 5  # the test pack's module asks each kind once
    for statement in back:
        definition = statement["object"]["definition"]
        assert definition["interactionType"] == "choice"
        options = {choice["id"] for choice in definition["choices"]}
        [pattern] = definition["correctResponsesPattern"]
        assert set(pattern.split("[,]")) <= options
        result = statement["result"]
        assert result["response"] == pattern and result["success"] is True
        assert result.get("extensions", {}) in ({confidence_extension(): 80}, {})
        assert statement["object"]["id"].startswith(f"http://127.0.0.1:8000/learn/{module.slug}/")

    asking = module.steps.filter(question__asks_confidence=True).count()
    assert 0 < asking == sum("extensions" in s["result"] for s in back)

    # The author changes the module's title: a new version, the same questions, the same ids.
    source = loaded_pack / "modules" / f"{module.slug}.{module.language}.yaml"
    source.write_text(source.read_text().replace(module.title, f"{module.title}, revised"))
    call_command("load_content", str(loaded_pack))
    revised = Module.objects.get(slug=module.slug, language=module.language, is_current=True)
    assert revised.version == module.version + 1
    again = play(staff.user, revised)
    send_all(django_capture_on_commit_callbacks)
    assert {s["object"]["id"] for s in answered(ralph_lrs, again)} == {
        s["object"]["id"] for s in back
    }
