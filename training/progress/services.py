"""Playing a module: start or resume, answer (scored on the server), advance, finish.

The learner is an account or an anonymous browser (a random key kept in its session). A client
never sends a score: it sends what it chose, and only for the step it is on.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from awareness.content.models import Module, Question, StepKind
from awareness.content.scoring import AnswerRejected, read_confidence, score_response
from awareness.lib.rows import insert_row
from training.progress.models import (
    Answer,
    Attempt,
    Certificate,
    ModuleProgress,
    ProgressStatus,
)
from training.progress.signals import attempt_completed

PASS_MARK = 0.6


@dataclass(frozen=True)
class Learner:
    user: object | None  # a signed-in User, or None
    key: str  # the anonymous session key; "" for accounts
    max_age_rating: int


def start_attempt(module: Module, learner: Learner, *, now: datetime) -> Attempt:
    """Resume the learner's unfinished attempt on this module version, or start one."""
    unfinished = attempts_of(learner).filter(module=module, finished_at__isnull=True).first()
    if unfinished:
        return unfinished
    attempt = Attempt.objects.create(
        module=module,
        user=learner.user,
        learner_key=learner.key if learner.user is None else "",
        started_at=now,
        step_shown_at=now,
    )
    if learner.user is not None:
        ModuleProgress.objects.get_or_create(user=learner.user, module_slug=module.slug)
    return attempt


def attempts_of(learner: Learner):
    if learner.user is not None:
        return Attempt.objects.filter(user=learner.user)
    return Attempt.objects.filter(user=None, learner_key=learner.key)


def record_answer(attempt: Attempt, question: Question, data, *, now: datetime) -> Answer:
    """Score a submission for the current step. `data` maps field names to lists of strings
    (a QueryDict or the same shape from JSON)."""
    if attempt.is_finished:
        raise AnswerRejected(_("This attempt is finished. Start the module again to retry."))
    if question.step.module_id != attempt.module_id or question.step.position != attempt.position:
        raise AnswerRejected(_("This question is not the current step of your attempt."))
    response, is_correct, score = score_response(question, data)
    confidence = read_confidence(question, data)
    # Inside a caller's transaction a savepoint lets it go on after a duplicate; on its own the
    # insert needs no transaction (and saves the round trips of one on every answer).
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            return insert_row(
                Answer(
                    attempt=attempt,
                    question=question,
                    response=response,
                    is_correct=is_correct,
                    score=score,
                    confidence=confidence,
                    seconds=max(0.0, (now - attempt.step_shown_at).total_seconds()),
                    answered_at=now,
                )
            )
    except IntegrityError:
        raise AnswerRejected(_("You have already answered this question.")) from None


def advance(attempt: Attempt, *, now: datetime) -> Attempt:
    """Move past the current step; a question must be answered first. Past the last step the
    attempt is finished and scored."""
    if attempt.is_finished:
        return attempt
    steps = list(attempt.module.steps.order_by("position").values_list("kind", flat=True))
    if (
        steps[attempt.position] == StepKind.QUESTION
        and not attempt.answers.filter(question__step__position=attempt.position).exists()
    ):
        raise AnswerRejected(_("Answer the question before you continue."))
    # A conditional UPDATE: a double click advances once.
    moved = Attempt.objects.filter(pk=attempt.pk, position=attempt.position).update(
        position=attempt.position + 1, step_shown_at=now
    )
    attempt.refresh_from_db()
    if moved and attempt.position >= len(steps):
        finish_attempt(attempt, now=now)
    return attempt


@transaction.atomic
def finish_attempt(attempt: Attempt, *, now: datetime) -> Attempt:
    scores = list(attempt.answers.values_list("score", flat=True))
    attempt.score = sum(scores) / len(scores) if scores else 1.0
    attempt.finished_at = now
    attempt.save(update_fields=["score", "finished_at"])
    if attempt.user_id:
        record_completion(attempt)
    return attempt


def record_completion(attempt: Attempt) -> None:
    """Update the account's module progress and issue a certificate for a pass."""
    progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
        user_id=attempt.user_id, module_slug=attempt.module.slug
    )
    if progress.best_score is None or attempt.score > progress.best_score:
        progress.best_score = attempt.score
    if progress.status != ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_at = attempt.finished_at
    progress.save(update_fields=["best_score", "status", "completed_at", "updated_at"])
    # Campaigns complete their assignments, integrations queue learning records.
    attempt_completed.send(sender=Attempt, attempt=attempt)
    if attempt.score >= PASS_MARK:
        Certificate.objects.get_or_create(
            attempt=attempt,
            defaults={
                "user_id": attempt.user_id,
                "name_on_certificate": attempt.user.get_full_name() or attempt.user.get_username(),
                "module_title": attempt.module.title,
                "score": attempt.score,
                "issued_at": attempt.finished_at,
            },
        )


@transaction.atomic
def claim_anonymous_progress(key: str, user) -> int:
    """Move what a browser did before signing in to the account; returns attempts moved."""
    if not key:
        return 0
    attempts = list(
        Attempt.objects.select_for_update()
        .filter(user=None, learner_key=key)
        .select_related("module")
    )
    Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(user=user, learner_key="")
    for attempt in attempts:
        attempt.user = user
        if attempt.is_finished:
            record_completion(attempt)
        else:
            ModuleProgress.objects.get_or_create(user=user, module_slug=attempt.module.slug)
    return len(attempts)
