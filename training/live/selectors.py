"""Reads of live sessions: one gate per role (the host's sessions, a PIN, a player's browser),
what the projector shows in each state, and the host's results table."""

from collections import Counter

from django.db.models import Count, Q
from django.http import Http404

from awareness.content.models import Question, QuestionKind
from awareness.lib.tokens import hash_token
from training.live.events import answer_options, correct_answer, question_with_answers
from training.live.models import (
    LiveAnswer,
    LiveQuestion,
    LiveSession,
    Player,
    SessionState,
)
from training.people.models import ADMIN_ROLES, STAFF_ROLES

# In a player's browser session: {live session id: player token}.
BROWSER_KEY = "live_players"
TOP = 5


def module_questions(module) -> list[Question]:
    return list(Question.objects.filter(step__module=module).order_by("step__position"))


def hosted_sessions(user, *, limit: int = 20) -> list[LiveSession]:
    return list(LiveSession.objects.filter(host=user).select_related("module")[:limit])


def session_for_host(user, public_id) -> LiveSession:
    """The host's own session; anyone else's, or none, is a 404."""
    session = (
        LiveSession.objects.filter(public_id=public_id, host_id=getattr(user, "pk", None))
        .select_related("module", "current")
        .first()
    )
    if session is None:
        raise Http404("No such live session.")
    return session


def hosted_session_or_none(user, public_id) -> LiveSession | None:
    """For the host's socket: None rather than a 404."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return session_for_host(user, public_id)
    except Http404:
        return None


def open_session_by_pin(pin: str) -> LiveSession:
    session = (
        LiveSession.objects.filter(pin=pin.strip())
        .exclude(state=SessionState.ENDED)
        .select_related("module")
        .first()
    )
    if session is None:
        raise Http404("No open live session with this PIN.")
    return session


def session_by_public_id(public_id) -> LiveSession:
    session = LiveSession.objects.filter(public_id=public_id).select_related("module").first()
    if session is None:
        raise Http404("No such live session.")
    return session


def player_in_browser(session: LiveSession, browser_session, user) -> Player | None:
    """The player this browser (its session's token) or this account is in the session."""
    token = (browser_session.get(BROWSER_KEY) or {}).get(str(session.pk), "")
    players = Player.objects.filter(session=session, kicked=False)
    player = players.filter(token_hash=hash_token(token)).first() if token else None
    if player is None and user is not None and user.is_authenticated:
        player = players.filter(user=user).first()
    return player


def player_for_socket(public_id, browser_session, user) -> Player | None:
    session = LiveSession.objects.filter(public_id=public_id).first()
    if session is None:
        return None
    return player_in_browser(session, browser_session, user)


def lobby_players(session_id: int, *, limit: int = 200) -> tuple[int, list[dict]]:
    players = Player.objects.filter(session_id=session_id, kicked=False).order_by("-joined_at")
    newest = [
        {"id": pk, "nickname": name} for pk, name in players.values_list("pk", "nickname")[:limit]
    ]
    return players.count(), newest


def lobby_signature(session_id: int) -> tuple:
    """Changes whenever someone joins or is removed: the host's lobby list needs a refresh."""
    players = Player.objects.filter(session_id=session_id)
    return (
        players.filter(kicked=False).count(),
        players.filter(kicked=True).count(),
        players.order_by("-pk").values_list("pk", flat=True).first(),
    )


def session_revisions(session_ids: list[int]) -> dict[int, int]:
    """Each session's current revision: what its sockets should have been sent by now."""
    return dict(LiveSession.objects.filter(pk__in=session_ids).values_list("pk", "revision"))


def answers_so_far(session: LiveSession) -> int:
    if session.current_id is None:
        return 0
    return LiveAnswer.objects.filter(question_id=session.current_id).count()


def leaderboard(session: LiveSession, *, top: int = TOP) -> list[Player]:
    return list(
        Player.objects.filter(session=session, kicked=False).order_by("-score", "joined_at", "pk")[
            :top
        ]
    )


def distribution(live_question: LiveQuestion, question) -> list[dict]:
    """How many players picked each option, with the right ones marked (for the reveal)."""
    counts: Counter = Counter()
    for response in LiveAnswer.objects.filter(question=live_question).values_list(
        "response", flat=True
    ):
        for value in response.values():
            for item in value if isinstance(value, list) else [value]:
                counts[str(item)] += 1
    right, _text = correct_answer(question)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [(str(c.pk), c.text) for c in question.choices.all()]
    elif question.kind == QuestionKind.SPOT_FLAGS:
        options = [(str(s.pk), s.label) for s in question.example.spots.all()]
    else:
        options = [(o["value"], o["label"]) for o in answer_options(question)[2]]
    most = max([counts[value] for value, _label in options] + [1])
    return [
        {
            "label": label,
            "count": counts[value],
            "percent": round(100 * counts[value] / most),
            "correct": value in right,
        }
        for value, label in options
    ]


def host_screen(session: LiveSession, *, now) -> dict:
    """What the projector shows now."""
    context: dict = {"session": session, "total": session.questions.count(), "remaining_ms": None}
    current = session.current
    if session.state == SessionState.LOBBY:
        context["player_count"], context["players"] = lobby_players(session.pk)
    if current is not None and session.state in (SessionState.QUESTION, SessionState.REVEAL):
        question = question_with_answers(current.question_id)
        context.update(question=question, number=current.position + 1)
        context["answered"] = answers_so_far(session)
        context["player_count"] = Player.objects.filter(session=session, kicked=False).count()
        if session.state == SessionState.QUESTION:
            remaining = (session.deadline - now).total_seconds()
            context["remaining_ms"] = max(0, round(remaining * 1000))
        if session.state == SessionState.REVEAL:
            context["distribution"] = distribution(current, question)
            context["answer_text"] = correct_answer(question)[1]
    if session.state in (SessionState.LEADERBOARD, SessionState.ENDED):
        context["leaders"] = leaderboard(session)
        context["player_count"] = Player.objects.filter(session=session, kicked=False).count()
        context["number"] = current.position + 1 if current else 0
    return context


def results_rows(session: LiveSession) -> tuple[list[str], list[list]]:
    """The host's CSV: one row per player, nicknames only (never an account's real name)."""
    live_questions = list(session.questions.order_by("position"))
    header = ["rank", "nickname", "signed_in", "score", "correct", "answered"] + [
        f"q{q.position + 1}_points" for q in live_questions
    ]
    points: dict[tuple[int, int], int] = {}
    correct: Counter = Counter()
    for player_id, question_id, earned, is_correct in LiveAnswer.objects.filter(
        player__session=session
    ).values_list("player_id", "question_id", "points", "is_correct"):
        points[(player_id, question_id)] = earned
        correct[player_id] += int(is_correct)
    rows, rank, previous = [], 0, None
    players = Player.objects.filter(session=session, kicked=False).order_by(
        "-score", "joined_at", "pk"
    )
    for number, player in enumerate(players, 1):
        if player.score != previous:
            rank, previous = number, player.score
        answered = [points.get((player.pk, q.pk)) for q in live_questions]
        rows.append(
            [
                rank,
                player.nickname,
                "yes" if player.user_id else "no",
                player.score,
                correct[player.pk],
                sum(value is not None for value in answered),
                *("" if value is None else value for value in answered),
            ]
        )
    return header, rows


def sessions_hosted_in(membership):
    """Live sessions hosted by the organisation's staff (administrators see all of them,
    educators their own); each session counts its players."""
    sessions = LiveSession.objects.select_related("module").annotate(
        player_count=Count("players", filter=Q(players__kicked=False))
    )
    if membership.role in ADMIN_ROLES:
        return sessions.filter(
            host__memberships__organization_id=membership.organization_id,
            host__memberships__role__in=STAFF_ROLES,
        )
    return sessions.filter(host_id=membership.user_id)


def hosted_session_in(membership, public_id) -> LiveSession:
    session = sessions_hosted_in(membership).filter(public_id=public_id).first()
    if session is None:
        raise Http404("No such live session.")
    return session
