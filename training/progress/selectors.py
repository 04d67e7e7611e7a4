from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.db.models import Prefetch
from django.http import Http404

from awareness.content.models import Choice, RedFlag
from awareness.content.scoring import CONFIDENCE_LEVELS
from awareness.content.selectors import module_version
from awareness.lib.rows import read_row
from training.progress.models import Answer, Attempt, Certificate, ModuleProgress
from training.progress.services import Learner, attempts_of


def attempt_for(learner: Learner, public_id: UUID | str) -> Attempt:
    """The learner's own attempt; anyone else's, or none, is a 404. Its module version comes
    from the content cache."""
    try:
        public_id = Attempt._meta.get_field("public_id").get_db_prep_value(
            UUID(str(public_id)), connection
        )
    except ValueError:
        raise Http404("No such attempt.") from None
    if learner.user is not None:
        owner, who = "user_id = %s", learner.user.pk
    else:
        owner, who = "user_id IS NULL AND learner_key = %s", learner.key
    attempt = read_row(Attempt, f"public_id = %s AND {owner}", [public_id, who])
    if attempt is None:
        raise Http404("No such attempt.")
    attempt.module = module_version(attempt.module_id)
    return attempt


def unfinished_attempt(learner: Learner, module_slug: str) -> Attempt | None:
    return (
        attempts_of(learner)
        .filter(module__slug=module_slug, finished_at__isnull=True)
        .select_related("module")
        .first()
    )


def answer_for(attempt: Attempt, question) -> Answer | None:
    return read_row(Answer, "attempt_id = %s AND question_id = %s", [attempt.pk, question.pk])


def answers_to_review(attempt: Attempt) -> list[Answer]:
    """Every answer with its question, choices and examples, in a fixed number of queries."""
    spots = Prefetch("spots", queryset=RedFlag.objects.order_by("position"))
    return list(
        attempt.answers.select_related(
            "question", "question__step", "question__example", "question__other_example"
        )
        .prefetch_related(
            Prefetch("question__choices", queryset=Choice.objects.order_by("position")),
            Prefetch("question__example__spots", queryset=spots.queryset),
            Prefetch("question__other_example__spots", queryset=spots.queryset),
        )
        .order_by("question__step__position")
    )


@dataclass(frozen=True)
class CalibrationRow:
    confidence: int
    answers: int
    correct: int

    @property
    def accuracy(self) -> int:
        return round(100 * self.correct / self.answers) if self.answers else 0


@dataclass(frozen=True)
class Calibration:
    rows: list[CalibrationRow]
    mean_confidence: int
    accuracy: int
    said_real_to_fakes: int
    fakes_judged: int

    @property
    def overconfident(self) -> bool:
        return self.mean_confidence - self.accuracy >= 10


def calibration(answers: list[Answer]) -> Calibration | None:
    """How sure the learner was against how often they were right (deepfake-detection studies
    find people biased towards "it's real" and more confident than accurate)."""
    rated = [answer for answer in answers if answer.confidence is not None]
    if not rated:
        return None
    rows = []
    for level in CONFIDENCE_LEVELS:
        at_level = [answer for answer in rated if answer.confidence == level]
        rows.append(CalibrationRow(level, len(at_level), sum(a.is_correct for a in at_level)))
    fakes = [
        answer
        for answer in rated
        if answer.question.kind == "scam_or_legit" and answer.question.example.is_scam
    ]
    return Calibration(
        rows=rows,
        mean_confidence=round(sum(a.confidence for a in rated) / len(rated)),
        accuracy=round(100 * sum(a.is_correct for a in rated) / len(rated)),
        said_real_to_fakes=sum(a.response.get("verdict") == "legit" for a in fakes),
        fakes_judged=len(fakes),
    )


def certificate_by_code(code: str) -> Certificate:
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        raise Http404("No certificate with this code.")
    return certificate


def progress_by_module(user) -> dict[str, ModuleProgress]:
    if not user.is_authenticated:
        return {}
    return {row.module_slug: row for row in ModuleProgress.objects.filter(user=user)}


def missed_red_flags(answers, *, limit: int = 10) -> list[tuple[str, int, int]]:
    """Red flags most often not spotted in spot-the-red-flags answers, as (label, missed,
    seen). `answers` have their question's example's red flags prefetched."""
    missed, seen = Counter(), Counter()
    for answer in answers:
        if answer.question.kind != "spot_flags":
            continue
        picked = set(answer.response.get("spots", []))
        for flag in answer.question.example.spots.all():
            seen[flag.label] += 1
            missed[flag.label] += flag.pk not in picked
    return [(label, count, seen[label]) for label, count in missed.most_common(limit) if count]
