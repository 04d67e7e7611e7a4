from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404

from awareness.content.models import Choice, RedFlag
from training.progress.models import Answer, Attempt, Certificate, ModuleProgress
from training.progress.services import CONFIDENCE_LEVELS, Learner, attempts_of


def attempt_for(learner: Learner, public_id: UUID | str) -> Attempt:
    """The learner's own attempt; anyone else's, or none, is a 404."""
    attempt = attempts_of(learner).select_related("module").filter(public_id=public_id).first()
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def unfinished_attempt(learner: Learner, module_slug: str) -> Attempt | None:
    return (
        attempts_of(learner)
        .filter(module__slug=module_slug, finished_at__isnull=True)
        .select_related("module")
        .first()
    )


def answer_for(attempt: Attempt, position: int) -> Answer | None:
    return attempt.answers.filter(question__step__position=position).first()


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
