"""A question as an xAPI interaction (cmi.interaction): its type, its choices, the correct
response pattern and the learner's response, all named by what stays the same across module
versions (choice order, red-flag keys, example slugs), never by database ids."""

import hashlib
import json

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from awareness.content.models import QuestionKind

# Every kind is a choice among named options; several may be right for these two.
SEVERAL = "[,]"
VERDICTS = {"scam": _("Scam"), "legit": _("Legitimate")}


def question_key(question) -> str:
    """The same question in another version of the module (same kind, prompt, options) keeps
    its key; a question that was changed becomes another one."""
    content = [question.kind, question.prompt.strip(), [key for key, _text in options(question)]]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


def options(question) -> list[tuple[str, str]]:
    """(id, description) of what the learner chooses from."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [(f"choice-{c.position}", c.text) for c in question.choices.all()]
    if question.kind == QuestionKind.SCAM_OR_LEGIT:
        return list(VERDICTS.items())
    if question.kind == QuestionKind.WHICH_IS_REAL:
        pair = (question.example, question.other_example)
        return [(example.slug, example.title) for example in pair]
    return [(spot.key, spot.label) for spot in question.example.spots.all()]


def correct_response(question) -> str:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        right = [f"choice-{c.position}" for c in question.choices.all() if c.is_correct]
    elif question.kind == QuestionKind.SCAM_OR_LEGIT:
        right = ["scam" if question.example.is_scam else "legit"]
    elif question.kind == QuestionKind.WHICH_IS_REAL:
        pair = (question.example, question.other_example)
        right = [example.slug for example in pair if not example.is_scam]
    else:
        right = [spot.key for spot in question.example.spots.all() if spot.is_flag]
    return SEVERAL.join(right)


def learner_response(question, response: dict) -> str:
    """The stored answer ({"choice": id}, {"spots": [ids]}, ...) in the options' ids."""
    if question.kind == QuestionKind.SCAM_OR_LEGIT:
        return response.get("verdict", "")
    if question.kind == QuestionKind.WHICH_IS_REAL:
        pair = (question.example, question.other_example)
        return next((e.slug for e in pair if e.pk == response.get("real")), "")
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        named = {c.pk: f"choice-{c.position}" for c in question.choices.all()}
        picked = response.get("choices", [response["choice"]] if "choice" in response else [])
    else:
        named = {spot.pk: spot.key for spot in question.example.spots.all()}
        picked = response.get("spots", [])
    return SEVERAL.join(named[pk] for pk in picked if pk in named)


def definition(question, *, language: str, tag: str) -> dict:
    """In the module's language (`tag` is its RFC 5646 form, for the language maps)."""
    with translation.override(language):
        choices = [
            {"id": key, "description": {tag: str(text)[:200] or key}}
            for key, text in options(question)
        ]
    return {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "name": {tag: question.prompt[:200]},
        "interactionType": "choice",
        "choices": choices,
        "correctResponsesPattern": [correct_response(question)],
    }
