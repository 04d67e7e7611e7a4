"""Scoring a learner's response to a question, on the server: what they chose, whether it was
right, and the score (partial for multi-pick questions). The player and the live quiz share it.
"""

from django.utils.translation import gettext as _

from awareness.content.models import Question, QuestionKind

CONFIDENCE_LEVELS = (50, 65, 80, 95)


class AnswerRejected(Exception):
    """A malformed, forged or out-of-turn submission; the message is for the learner."""


def _values(data, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    if isinstance(values, (str, int)):
        values = [values]
    return [str(value) for value in values]


def _one(data, name: str, message: str) -> str:
    values = _values(data, name)
    if len(values) != 1:
        raise AnswerRejected(message)
    return values[0]


def _ids(values: list[str], allowed: set[int], message: str) -> set[int]:
    try:
        chosen = {int(value) for value in values}
    except ValueError:
        raise AnswerRejected(message) from None
    if not chosen <= allowed or len(chosen) != len(values):
        raise AnswerRejected(message)
    return chosen


def score_response(question: Question, data) -> tuple[dict, bool, float]:
    """(the response as stored, whether it is right, the score from 0 to 1)."""
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        choices = {choice.pk: choice for choice in question.choices.all()}
        picked = _ids(
            [_one(data, "choice", _("Choose one answer."))],
            set(choices),
            _("That answer is not one of the choices."),
        ).pop()
        correct = choices[picked].is_correct
        return {"choice": picked}, correct, float(correct)
    if kind == QuestionKind.MULTIPLE:
        choices = {choice.pk: choice for choice in question.choices.all()}
        picked = _ids(
            _values(data, "choices"), set(choices), _("Those answers are not all choices.")
        )
        if not picked:
            raise AnswerRejected(_("Choose at least one answer."))
        right = {pk for pk, choice in choices.items() if choice.is_correct}
        return {"choices": sorted(picked)}, picked == right, _partial(picked, right)
    if kind == QuestionKind.SCAM_OR_LEGIT:
        verdict = _one(data, "verdict", _("Choose scam or legitimate."))
        if verdict not in ("scam", "legit"):
            raise AnswerRejected(_("Choose scam or legitimate."))
        correct = (verdict == "scam") == question.example.is_scam
        return {"verdict": verdict}, correct, float(correct)
    if kind == QuestionKind.WHICH_IS_REAL:
        pair = {
            question.example_id: question.example,
            question.other_example_id: question.other_example,
        }
        picked = _ids(
            [_one(data, "real", _("Choose the one you think is real."))],
            set(pair),
            _("That is not one of the two examples."),
        ).pop()
        correct = not pair[picked].is_scam
        return {"real": picked}, correct, float(correct)
    # Spot the red flags: every flag found, no safe spot picked.
    spots = {spot.pk: spot for spot in question.example.spots.all()}
    picked = _ids(_values(data, "spots"), set(spots), _("Those are not parts of this example."))
    flags = {pk for pk, spot in spots.items() if spot.is_flag}
    return {"spots": sorted(picked)}, picked == flags, _partial(picked, flags)


def _partial(picked: set[int], right: set[int]) -> float:
    """Right picks minus wrong picks, over what there was to find; never below zero."""
    return max(0.0, (len(picked & right) - len(picked - right)) / len(right))


def read_confidence(question: Question, data) -> int | None:
    """How sure the learner said they were, if the question asks."""
    if not question.asks_confidence:
        return None
    message = _("Say how sure you are.")
    value = _one(data, "confidence", message)
    if not value.isdigit() or int(value) not in CONFIDENCE_LEVELS:
        raise AnswerRejected(message)
    return int(value)
