"""What the sockets are sent: one frame per event, built once for everyone.

A question frame never says which answer is right; the reveal does, with each player's own
result and rank in a compact table (`RESULT_FIELDS`) that each web process unpacks for its
own sockets. A player gets at most three messages per question: the question, the receipt of
their answer and their result.
"""

from datetime import datetime

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from awareness.content.models import Question, QuestionKind, RedFlag
from training.live.models import LiveAnswer, LiveQuestion, LiveSession, Player, SessionState

RESULT_FIELDS = ("answered", "correct", "points", "score", "streak", "rank")
FINAL_FIELDS = ("score", "rank", "results")


def question_with_answers(question_id: int) -> Question:
    spots = Prefetch("example__spots", queryset=RedFlag.objects.order_by("position"))
    return (
        Question.objects.select_related("example", "other_example")
        .prefetch_related("choices", spots)
        .get(pk=question_id)
    )


def answer_options(question: Question) -> tuple[str, bool, list[dict]]:
    """The form field, whether several values go in it, and the options players can pick."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [{"value": str(c.pk), "label": c.text} for c in question.choices.all()]
        if kind == QuestionKind.MULTIPLE:
            return "choices", True, options
        return "choice", False, options
    if kind == QuestionKind.SCAM_OR_LEGIT:
        return (
            "verdict",
            False,
            [
                {"value": "scam", "label": _("It's a scam")},
                {"value": "legit", "label": _("It's genuine")},
            ],
        )
    if kind == QuestionKind.WHICH_IS_REAL:
        return (
            "real",
            False,
            [
                {"value": str(question.example_id), "label": _("A is real")},
                {"value": str(question.other_example_id), "label": _("B is real")},
            ],
        )
    return "spots", True, []


def correct_answer(question: Question) -> tuple[list[str], str]:
    """The right values and how to say them, for the reveal."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        right = [c for c in question.choices.all() if c.is_correct]
        return [str(c.pk) for c in right], " · ".join(c.text for c in right)
    if kind == QuestionKind.SCAM_OR_LEGIT:
        if question.example.is_scam:
            return ["scam"], _("It's a scam")
        return ["legit"], _("It's genuine")
    if kind == QuestionKind.WHICH_IS_REAL:
        if question.example.is_scam:
            return [str(question.other_example_id)], _("B is real")
        return [str(question.example_id)], _("A is real")
    flags = [spot for spot in question.example.spots.all() if spot.is_flag]
    return [str(spot.pk) for spot in flags], " · ".join(spot.label for spot in flags)


def question_opened(session: LiveSession, live_question: LiveQuestion, *, now: datetime) -> dict:
    question = question_with_answers(live_question.question_id)
    with translation.override(session.module.language):
        field, multiple, options = answer_options(question)
        example_html = ""
        if question.kind == QuestionKind.SPOT_FLAGS:
            example_html = render_to_string(
                "content/example.html", {"example": question.example, "mode": "spot"}
            )
    remaining = (session.deadline - now).total_seconds() if session.deadline else 0
    return {
        "type": "question.opened",
        "state": SessionState.QUESTION.value,
        "revision": session.revision,
        "number": live_question.position + 1,
        "total": session.questions.count(),
        "kind": question.kind,
        "prompt": question.prompt,
        "field": field,
        "multiple": multiple,
        "options": options,
        "example_html": example_html,
        "seconds": session.seconds_per_question,
        "remaining_ms": max(0, round(remaining * 1000)),
    }


def ranked(session_id: int) -> list[tuple[int, int, int, int]]:
    """(player id, score, streak, rank) of every player still in, best first; ties share."""
    rows = Player.objects.filter(session_id=session_id, kicked=False).order_by(
        "-score", "joined_at", "pk"
    )
    result, rank, previous = [], 0, None
    for number, (pk, score, streak) in enumerate(rows.values_list("pk", "score", "streak"), 1):
        if score != previous:
            rank, previous = number, score
        result.append((pk, score, streak, rank))
    return result


def question_revealed(session: LiveSession) -> tuple[dict, dict[str, list]]:
    live_question = session.current
    question = question_with_answers(live_question.question_id)
    with translation.override(session.module.language):
        values, text = correct_answer(question)
    answers = {
        player_id: (is_correct, points)
        for player_id, is_correct, points in LiveAnswer.objects.filter(
            question=live_question
        ).values_list("player_id", "is_correct", "points")
    }
    players = ranked(session.pk)
    personal = {}
    for pk, score, streak, rank in players:
        correct, points = answers.get(pk, (False, 0))
        personal[str(pk)] = [int(pk in answers), int(correct), points, score, streak, rank]
    frame = {
        "type": "question.revealed",
        "state": SessionState.REVEAL.value,
        "revision": session.revision,
        "number": live_question.position + 1,
        "total": session.questions.count(),
        "correct": values,
        "answer_text": text,
        "explanation": question.explanation,
        "players": len(players),
    }
    return frame, personal


def leaderboard_shown(session: LiveSession) -> dict:
    return {
        "type": "leaderboard.shown",
        "state": SessionState.LEADERBOARD.value,
        "revision": session.revision,
    }


def session_ended(session: LiveSession) -> tuple[dict, dict[str, list]]:
    attempts = dict(
        Player.objects.filter(session=session, attempt__isnull=False).values_list(
            "pk", "attempt__public_id"
        )
    )
    players = ranked(session.pk)
    personal = {
        str(pk): [
            score,
            rank,
            reverse("results", args=[attempts[pk]]) if pk in attempts else "",
        ]
        for pk, score, _streak, rank in players
    }
    frame = {
        "type": "session.ended",
        "state": SessionState.ENDED.value,
        "revision": session.revision,
        "players": len(players),
    }
    return frame, personal


def player_state(player: Player, *, now: datetime) -> dict:
    """Everything a (re)connecting phone needs to show the right screen: the database, not
    the messages it may have missed, is the truth."""
    session = LiveSession.objects.select_related("module", "current").get(pk=player.session_id)
    player.refresh_from_db(fields=["score", "streak", "kicked"])
    frame = {
        "type": "state",
        "state": session.state,
        "revision": session.revision,
        "nickname": player.nickname,
        "score": player.score,
        "streak": player.streak,
        "total": session.questions.count(),
    }
    current = session.current
    if session.state == SessionState.QUESTION and current is not None:
        frame["question"] = question_opened(session, current, now=now)
        frame["answered"] = LiveAnswer.objects.filter(player=player, question=current).exists()
    elif session.state in (SessionState.REVEAL, SessionState.LEADERBOARD) and current:
        question = question_with_answers(current.question_id)
        with translation.override(session.module.language):
            values, text = correct_answer(question)
        answer = LiveAnswer.objects.filter(player=player, question=current).first()
        frame["result"] = {
            "number": current.position + 1,
            "correct": values,
            "answer_text": text,
            "explanation": question.explanation,
            "you": {
                "answered": int(answer is not None),
                "correct": int(bool(answer and answer.is_correct)),
                "points": answer.points if answer else 0,
                "score": player.score,
                "streak": player.streak,
                "rank": _rank_of(player),
            },
        }
    elif session.state == SessionState.ENDED:
        frame["you"] = {
            "score": player.score,
            "rank": _rank_of(player),
            "results": reverse("results", args=[player.attempt.public_id])
            if player.attempt_id
            else "",
        }
    return frame


def _rank_of(player: Player) -> int:
    ahead = Player.objects.filter(
        session_id=player.session_id, kicked=False, score__gt=player.score
    ).count()
    return ahead + 1


def host_state(session_id: int, *, now: datetime) -> dict:
    session = LiveSession.objects.only("state", "revision", "deadline").get(pk=session_id)
    remaining = (session.deadline - now).total_seconds() if session.deadline else 0
    return {
        "type": "state",
        "state": session.state,
        "revision": session.revision,
        "remaining_ms": max(0, round(remaining * 1000))
        if session.state == SessionState.QUESTION
        else 0,
    }
