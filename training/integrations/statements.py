"""xAPI 1.0.3 statements for a finished attempt: who (a pseudonym by default), what verb,
which module, each question as an interaction with the learner's response, and how it went.
Pure functions: the outbox and the export share them. The LRS sets `version` itself (the
specification leaves it to the LRS); the request header says which version we speak."""

import hashlib
import hmac
import uuid
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from training.integrations import interactions
from training.progress.services import PASS_MARK

XAPI_VERSION = "1.0.3"
# Fixed forever: statement ids are uuid5 names in this namespace, so they never change.
STATEMENT_NAMESPACE = uuid.UUID("6f1c39a4-4a57-4c1e-9a43-0d7f7f2b8a10")
VERBS = {
    verb: {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}}
    for verb in ("answered", "completed", "passed", "failed")
}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
# Our language codes as RFC 5646 tags for xAPI language maps.
LANGUAGE_TAGS = {"en": "en", "zh-hant": "zh-Hant"}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def statement_id(organization_id: int, attempt, verb: str, question_id: int | None = None) -> str:
    """The same fact for the same LRS always gets the same id, so a resend is a no-op there."""
    name = f"{organization_id}:{attempt.public_id}:{verb}"
    if question_id is not None:
        name += f":{question_id}"
    return str(uuid.uuid5(STATEMENT_NAMESPACE, name))


def actor(store, user) -> dict:
    """An account on the organisation's home page named by a keyed hash of the learner,
    or their e-mail address if the organisation chose that."""
    if store.identify_by_email and user.email:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    pseudonym = hmac.new(
        store.pseudonym_salt.encode(), str(user.pk).encode(), hashlib.sha256
    ).hexdigest()[:32]
    return {
        "objectType": "Agent",
        "account": {
            "homePage": site_url(reverse("organization_home", args=[store.organization.slug])),
            "name": pseudonym,
        },
    }


def module_activity(module, titles: dict[str, str]) -> dict:
    """The module as an activity, its name in every language it is published in."""
    names = {language_tag(lang): title for lang, title in titles.items()}
    return {
        "objectType": "Activity",
        "id": site_url(reverse("module_detail", args=[module.slug])),
        # A retired module has no current versions: the attempt's own version names it.
        "definition": {
            "type": MODULE_TYPE,
            "name": names or {language_tag(module.language): module.title},
        },
    }


def language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, language)


def duration(delta: timedelta) -> str:
    """ISO 8601 duration, e.g. PT4M12.5S."""
    total = max(0.0, delta.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{round(seconds, 2):g}S"
    if minutes:
        text = f"{int(minutes)}M" + text
    if hours:
        text = f"{int(hours)}H" + text
    return "PT" + text


def statements_for(store, attempt, titles: dict[str, str]) -> list[dict]:
    """answered (one per question), completed, then passed or failed. `attempt` comes with
    its module, user and answers (with questions) loaded."""
    user, module = attempt.user, attempt.module
    who = actor(store, user)
    activity = module_activity(module, titles)
    context = {
        "registration": str(attempt.public_id),
        "platform": "Scam Awareness",
        "language": language_tag(module.language),
    }
    timestamp = attempt.finished_at.isoformat()
    answers = list(attempt.answers.all())
    result = {"completion": True, "duration": duration(attempt.finished_at - attempt.started_at)}
    if answers:
        raw = round(sum(a.score for a in answers), 2)
        result["score"] = {
            "scaled": round(attempt.score, 4),
            "raw": raw,
            "min": 0,
            "max": len(answers),
        }

    def statement(verb, obj, result, *, question_id=None, parent=False, at=timestamp):
        body = {
            "id": statement_id(store.organization_id, attempt, verb, question_id),
            "actor": who,
            "verb": VERBS[verb],
            "object": obj,
            "result": result,
            "context": {**context, "contextActivities": {"parent": [{"id": activity["id"]}]}}
            if parent
            else context,
            "timestamp": at,
        }
        return verb, body

    made = [
        statement(
            "answered",
            {
                "objectType": "Activity",
                # Stable across versions of the module: the same question, the same activity.
                "id": f"{activity['id']}questions/{interactions.question_key(answer.question)}",
                "definition": interactions.definition(
                    answer.question, language=module.language, tag=context["language"]
                ),
            },
            answer_result(answer),
            question_id=answer.question_id,
            parent=True,
            at=answer.answered_at.isoformat(),
        )
        for answer in answers
    ]
    made.append(statement("completed", activity, result))
    passed = attempt.score >= PASS_MARK
    made.append(
        statement("passed" if passed else "failed", activity, {**result, "success": passed})
    )
    return made


def confidence_extension() -> str:
    return site_url("/xapi/extensions/confidence")


def answer_result(answer) -> dict:
    """How one answer went, with the learner's response in the interaction's option ids and
    how sure they said they were (a percentage, 50-100) where the question asked."""
    result = {
        "success": answer.is_correct,
        "score": {"scaled": round(answer.score, 4)},
        "response": interactions.learner_response(answer.question, answer.response),
        "duration": duration(timedelta(seconds=answer.seconds)),
    }
    if answer.confidence is not None:
        result["extensions"] = {confidence_extension(): answer.confidence}
    return result
