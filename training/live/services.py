"""Live quiz sessions: start, join, answer, move on, kick, end.

The server owns the clock and the scores. Every transition is a conditional UPDATE on the
session's revision (a double click moves it once), saved first and broadcast on commit. An
answer is one row, counted only before the deadline by the server's clock; the unique
constraint, not a read-then-write check, refuses a second one.
"""

import json
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from awareness.content.models import AgeRating, Module, Question, RedFlag

# The self-paced player's scoring, so a question is marked the same way live and alone.
from awareness.content.scoring import AnswerRejected, score_response
from awareness.content.selectors import ModuleWithdrawn, playable_module
from awareness.lib.tokens import hash_token
from training.live import events, selectors
from training.live.broadcast import publish
from training.live.models import (
    LiveAnswer,
    LiveQuestion,
    LiveSession,
    Player,
    SessionState,
)
from training.live.nicknames import clean_nickname, nickname_key
from training.progress.models import Answer, Attempt
from training.progress.services import record_completion

SECONDS_CHOICES = (10, 20, 30, 60)
MAX_POINTS = 1000
PIN_DRAWS = 20
# A session nobody ended gives its PIN back after this long.
STALE_AFTER = timedelta(hours=12)
ANSWER_FIELDS = ("choice", "choices", "verdict", "real", "spots")
MAX_VALUES = 50


class LiveError(Exception):
    """A command or answer refused; the message goes to that client only."""


# --- Starting and joining ---------------------------------------------------------------------


def start_live_session(
    host, module: Module, *, question_ids=None, seconds: int = 20, now: datetime
) -> LiveSession:
    """A session in the lobby with a PIN no open session has, over the chosen questions of the
    module (all of them by default), in the module's order."""
    if seconds not in SECONDS_CHOICES:
        raise LiveError(_("Choose a time limit from the list."))
    questions = list(Question.objects.filter(step__module=module).order_by("step__position"))
    if question_ids is not None:
        wanted = {int(pk) for pk in question_ids}
        if not wanted <= {question.pk for question in questions}:
            raise LiveError(_("Those questions are not all in this module."))
        questions = [question for question in questions if question.pk in wanted]
    if not questions:
        raise LiveError(_("Choose at least one question."))
    LiveSession.objects.filter(created_at__lt=now - STALE_AFTER).exclude(
        state=SessionState.ENDED
    ).update(state=SessionState.ENDED, ended_at=now)
    for _draw in range(PIN_DRAWS):
        pin = f"{secrets.randbelow(900_000) + 100_000}"
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    host=host, module=module, pin=pin, seconds_per_question=seconds, created_at=now
                )
                LiveQuestion.objects.bulk_create(
                    LiveQuestion(session=session, position=position, question=question)
                    for position, question in enumerate(questions)
                )
        except IntegrityError:
            continue  # that PIN is in use: draw again
        return session
    raise RuntimeError(f"No free PIN in {PIN_DRAWS} draws.")


def join_live_session(
    session: LiveSession, *, nickname: str, user=None, max_age_rating: int, now: datetime
) -> tuple[Player, str]:
    """The player and the token their browser keeps. A signed-in player who joins again gets
    their player back, score and all; a child's account plays under its pseudonym."""
    if not session.is_open:
        raise LiveError(_("This live quiz has ended."))
    if session.module.age_rating > max_age_rating:
        raise LiveError(_("This quiz is for older players."))
    token = secrets.token_urlsafe(32)
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        player = Player.objects.filter(session=session, user=user).first()
        if player is not None:
            if player.kicked:
                raise LiveError(_("The host removed you from this quiz."))
            player.token_hash = hash_token(token)
            player.save(update_fields=["token_hash"])
            return player, token
    if signed_in and user.is_pseudonymous:
        names = [user.get_username()] + [f"{user.get_username()} {n}" for n in range(2, 6)]
    else:
        try:
            names = [clean_nickname(nickname)]
        except ValidationError as error:
            raise LiveError(" ".join(error.messages)) from None
    for name in names:
        try:
            with transaction.atomic():
                player = Player.objects.create(
                    session=session,
                    nickname=name,
                    nickname_key=nickname_key(name),
                    user=user if signed_in else None,
                    token_hash=hash_token(token),
                    joined_at=now,
                )
        except IntegrityError:
            continue
        return player, token
    raise LiveError(_("Someone in this quiz already has that nickname. Choose another."))


# --- Answering --------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _question_to_mark(session_key: str, question_id: int) -> Question:
    """The question with everything scoring reads. Content versions never change, so each
    process loads it once per session (the key never repeats: it is the session's UUID)."""
    spots = Prefetch("example__spots", queryset=RedFlag.objects.order_by("position"))
    return (
        Question.objects.select_related("example", "other_example")
        .prefetch_related("choices", spots)
        .get(pk=question_id)
    )


def _answer_data(message) -> tuple[int, dict[str, list[str]]]:
    """The question number and the answer, as lists of short strings; anything else is refused."""
    if not isinstance(message, dict):
        raise LiveError(_("Send an answer as a JSON object."))
    number, answer = message.get("question"), message.get("answer")
    if not isinstance(number, int) or isinstance(number, bool) or not isinstance(answer, dict):
        raise LiveError(_("An answer needs the question number and what you chose."))
    data: dict[str, list[str]] = {}
    for name, value in answer.items():
        values = value if isinstance(value, list) else [value]
        if (
            name not in ANSWER_FIELDS
            or len(values) > MAX_VALUES
            or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) and len(str(v)) <= 40
                for v in values
            )
        ):
            raise LiveError(_("That answer is not one of the choices."))
        data[name] = [str(v) for v in values]
    return number, data


def submit_live_answer(session_id: int, player_id: int, message, *, now: datetime) -> dict:
    """Record one answer to the open question; the reply says only that it counted."""
    result = submit_live_answers(session_id, [(player_id, message, now)])[0]
    if isinstance(result, LiveError):
        raise result
    return result


def submit_live_answers(session_id: int, answers: list[tuple]) -> list:
    """Record a batch of answers (player id, message, arrival time) to the open question: one
    read of the session, one of the players, one INSERT. Each gets its reply or its LiveError.

    The INSERT adds a row only while that question is still open, holding a shared lock on the
    session row (PostgreSQL), so a reveal waits for answers being saved and an answer arriving
    during a reveal sees it and is refused. The unique constraint refuses a second answer."""
    session = (
        LiveSession.objects.filter(pk=session_id)
        .values(
            "public_id",
            "state",
            "current_id",
            "current__position",
            "current__question_id",
            "deadline",
            "seconds_per_question",
        )
        .first()
    )
    players = dict(
        Player.objects.filter(
            session_id=session_id, pk__in=[player_id for player_id, *_rest in answers]
        ).values_list("pk", "kicked")
    )
    results: list = [None] * len(answers)
    rows: dict[int, list] = {}
    late = False
    for index, (player_id, message, now) in enumerate(answers):
        try:
            number, row = _marked_answer(session, players.get(player_id), player_id, message, now)
        except LiveError as refused:
            results[index] = refused
            late = late or refused.args[0] == _("Too late: time was up.")
            continue
        results[index] = {"type": "answer.recorded", "number": number}
        if player_id in rows:
            results[index] = LiveError(_("You have already answered this question."))
        else:
            rows[player_id] = row
    if rows:
        saved = _insert_while_open(session_id, session["current_id"], list(rows.values()))
        # Nothing saved and the question gone: it closed between the read and the INSERT.
        closed = (
            not saved
            and not LiveSession.objects.filter(
                pk=session_id, state=SessionState.QUESTION, current_id=session["current_id"]
            ).exists()
        )
        refusal = LiveError(
            _("This question is closed.")
            if closed
            else _("You have already answered this question.")
        )
        for index, (player_id, _message, _now) in enumerate(answers):
            if player_id in rows and player_id not in saved and isinstance(results[index], dict):
                results[index] = refusal
    if late:
        reveal_answers(session_id, question_id=session["current_id"], now=answers[-1][2])
    return results


def _marked_answer(session, kicked, player_id: int, message, now: datetime) -> tuple[int, list]:
    """The question number and the row to insert, or the reason the answer does not count."""
    number, data = _answer_data(message)
    if session is None or kicked is None or kicked:
        raise LiveError(_("The host removed you from this quiz."))
    if (
        session["state"] != SessionState.QUESTION
        or session["current_id"] is None
        or session["current__position"] + 1 != number
    ):
        raise LiveError(_("This question is closed."))
    deadline = session["deadline"]
    if now > deadline:
        raise LiveError(_("Too late: time was up."))
    question = _question_to_mark(str(session["public_id"]), session["current__question_id"])
    try:
        response, is_correct, score = score_response(question, data)
    except AnswerRejected as error:
        raise LiveError(str(error)) from None
    limit = session["seconds_per_question"]
    seconds = max(0.0, limit - (deadline - now).total_seconds())
    # Full marks for an instant answer, half for one at the buzzer; partial credit scales.
    points = round(MAX_POINTS * score * (1 - min(seconds / limit, 1.0) / 2))
    return number, [player_id, json.dumps(response), is_correct, score, points, seconds, now]


ANSWER_COLUMNS = "player_id, question_id, response, is_correct, score, points, seconds, answered_at"


def _insert_while_open(session_id: int, question_id: int, rows: list[list]) -> set[int]:
    """Insert the rows that still count; returns the players whose answer was saved."""
    if connection.vendor != "postgresql":
        return {row[0] for row in rows if _insert_one_while_open(session_id, question_id, row)}
    row_sql = "(%s::bigint, %s::jsonb, %s::boolean, %s::float8, %s::integer, %s::float8, "
    values = ", ".join([row_sql + "%s::timestamptz)"] * len(rows))
    # Only our own table names are interpolated; every value is a parameter.
    sql = (
        f"INSERT INTO {LiveAnswer._meta.db_table} ({ANSWER_COLUMNS}) "  # noqa: S608
        "SELECT v.player_id, %s, v.response, v.is_correct, v.score, v.points, v.seconds, "
        f"v.answered_at FROM (VALUES {values}) "
        "AS v(player_id, response, is_correct, score, points, seconds, answered_at) "
        f"JOIN {LiveSession._meta.db_table} s ON s.id = %s AND s.state = %s "
        "AND s.current_id = %s AND s.deadline >= v.answered_at FOR SHARE OF s "
        "ON CONFLICT (player_id, question_id) DO NOTHING RETURNING player_id"
    )
    params = [question_id, *(value for row in rows for value in row)]
    params += [session_id, SessionState.QUESTION.value, question_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {player_id for (player_id,) in cursor.fetchall()}


def _insert_one_while_open(session_id: int, question_id: int, row: list) -> bool:
    """SQLite (development and tests): one row at a time; it runs one writer at a time anyway."""
    player_id, response, is_correct, score, points, seconds, now = row
    sql = (
        f"INSERT INTO {LiveAnswer._meta.db_table} ({ANSWER_COLUMNS}) "  # noqa: S608
        f"SELECT %s, %s, %s, %s, %s, %s, %s, %s FROM {LiveSession._meta.db_table} "
        "WHERE id = %s AND state = %s AND current_id = %s AND deadline >= %s"
    )
    when = connection.ops.adapt_datetimefield_value(now)
    params = [player_id, question_id, response, is_correct, score, points, seconds, when]
    params += [session_id, SessionState.QUESTION.value, question_id, when]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount == 1
    except IntegrityError:
        return False


# --- The host moves the session on --------------------------------------------------------------


def _claim(session: LiveSession, **changes) -> None:
    """Move the session on from the revision this instance saw, or refuse: someone else did."""
    moved = LiveSession.objects.filter(pk=session.pk, revision=session.revision).update(
        revision=F("revision") + 1, **changes
    )
    if not moved:
        raise LiveError(_("The quiz has already moved on."))
    session.revision += 1
    for name, value in changes.items():
        setattr(session, name, value)


def _end_if_withdrawn(session: LiveSession, *, now: datetime) -> None:
    """Material withdrawn mid-quiz (consent revoked, a removal request) is never shown again:
    the quiz ends before its next question."""
    try:
        playable_module(session.module, max_age_rating=AgeRating.EIGHTEEN)
    except ModuleWithdrawn:
        end_live_session(session, now=now)
        raise LiveError(
            _("This quiz has ended: some of its material was withdrawn while we review it.")
        ) from None


def advance_session(session: LiveSession, *, revision: int, now: datetime) -> LiveSession:
    """The host's "next": lobby → question → reveal → leaderboard → next question or the end."""
    session.refresh_from_db()
    if revision != session.revision:
        raise LiveError(_("The quiz has already moved on."))
    if session.state in (SessionState.LOBBY, SessionState.LEADERBOARD):
        _end_if_withdrawn(session, now=now)
    if session.state == SessionState.LOBBY:
        open_question(session, 0, now=now)
    elif session.state == SessionState.QUESTION:
        if not reveal_answers(session.pk, question_id=session.current_id, now=now):
            raise LiveError(_("The quiz has already moved on."))
    elif session.state == SessionState.REVEAL:
        show_leaderboard(session, now=now)
    elif session.state == SessionState.LEADERBOARD:
        position = session.current.position + 1
        if position < session.questions.count():
            open_question(session, position, now=now)
        else:
            end_live_session(session, now=now)
    else:
        raise LiveError(_("This live quiz has ended."))
    session.refresh_from_db()
    return session


@transaction.atomic
def open_question(session: LiveSession, position: int, *, now: datetime) -> None:
    live_question = LiveQuestion.objects.select_related("question").get(
        session=session, position=position
    )
    deadline = now + timedelta(seconds=session.seconds_per_question)
    expected = Player.objects.filter(session=session, kicked=False).count()
    _claim(
        session,
        state=SessionState.QUESTION,
        current=live_question,
        deadline=deadline,
        expected_answers=expected,
    )
    LiveQuestion.objects.filter(pk=live_question.pk).update(opened_at=now, deadline=deadline)
    frame = events.question_opened(session, live_question, now=now)
    transaction.on_commit(lambda: publish(session.pk, frame))


@transaction.atomic
def reveal_answers(session_id: int, *, question_id: int, now: datetime) -> bool:
    """Close the question (at the deadline, when everyone has answered, or when the host
    says so), add the points and streaks, and tell each player their result and rank.
    Returns False when it was already closed."""
    moved = LiveSession.objects.filter(
        pk=session_id, state=SessionState.QUESTION, current_id=question_id
    ).update(state=SessionState.REVEAL, revision=F("revision") + 1)
    if not moved:
        return False
    LiveQuestion.objects.filter(pk=question_id).update(revealed_at=now)
    answers = LiveAnswer.objects.filter(question_id=question_id, player=OuterRef("pk"))
    # One UPDATE for every player, however many: no row-by-row loop.
    Player.objects.filter(session_id=session_id).update(
        score=F("score") + Coalesce(Subquery(answers.values("points")[:1]), Value(0)),
        streak=Case(
            When(Exists(answers.filter(is_correct=True)), then=F("streak") + 1),
            default=Value(0),
        ),
    )
    session = LiveSession.objects.select_related("current__question").get(pk=session_id)
    frame, personal = events.question_revealed(session)
    transaction.on_commit(
        lambda: publish(session_id, frame, personal=personal, fields=events.RESULT_FIELDS)
    )
    return True


@transaction.atomic
def show_leaderboard(session: LiveSession, *, now: datetime) -> None:
    _claim(session, state=SessionState.LEADERBOARD)
    frame = events.leaderboard_shown(session)
    transaction.on_commit(lambda: publish(session.pk, frame, audience="host"))


@transaction.atomic
def end_live_session(session: LiveSession, *, now: datetime) -> None:
    """End the quiz, save signed-in players' results in their progress, say goodbye."""
    session.refresh_from_db(fields=["state", "revision"])
    if session.state == SessionState.ENDED:
        raise LiveError(_("This live quiz has ended."))
    _claim(session, state=SessionState.ENDED, ended_at=now, deadline=None)
    save_results_as_attempts(session, now=now)
    frame, personal = events.session_ended(session)
    transaction.on_commit(
        lambda: publish(session.pk, frame, personal=personal, fields=events.FINAL_FIELDS)
    )


@transaction.atomic
def kick_player(session: LiveSession, player_id, *, now: datetime) -> None:
    """Remove a player for good: their socket closes and they cannot join again."""
    if not isinstance(player_id, int) or isinstance(player_id, bool):
        raise LiveError(_("No such player in this quiz."))
    if not Player.objects.filter(pk=player_id, session=session, kicked=False).update(kicked=True):
        raise LiveError(_("No such player in this quiz."))
    session.refresh_from_db()
    if (
        session.state == SessionState.QUESTION
        and not LiveAnswer.objects.filter(player_id=player_id, question=session.current).exists()
    ):
        # Nobody waits for a removed player's answer.
        LiveSession.objects.filter(pk=session.pk, expected_answers__gt=0).update(
            expected_answers=F("expected_answers") - 1
        )
    frame = {"type": "player.kicked", "message": _("The host removed you from this quiz.")}
    transaction.on_commit(
        lambda: publish(session.pk, frame, audience="player", targets=[player_id])
    )


def save_results_as_attempts(session: LiveSession, *, now: datetime) -> int:
    """An attempt with one answer per answered question for each signed-in player (once).
    A session over the whole module counts as completing it, like the self-paced player."""
    players = list(
        Player.objects.filter(session=session, user__isnull=False, attempt__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    if not players:
        return 0
    live_questions = list(session.questions.all())
    module = session.module
    steps = module.steps.count()
    whole_module = len(live_questions) == Question.objects.filter(step__module=module).count()
    started = min((q.opened_at for q in live_questions if q.opened_at), default=session.created_at)
    by_player: dict[int, list[LiveAnswer]] = defaultdict(list)
    for answer in LiveAnswer.objects.filter(player__in=players).select_related("question"):
        by_player[answer.player_id].append(answer)
    for player in players:
        answers = by_player[player.pk]
        attempt = Attempt.objects.create(
            module=module,
            user=player.user,
            position=steps,
            step_shown_at=now,
            started_at=started,
            finished_at=now,
            score=sum(answer.score for answer in answers) / len(live_questions),
        )
        Answer.objects.bulk_create(
            Answer(
                attempt=attempt,
                question_id=answer.question.question_id,
                response=answer.response,
                is_correct=answer.is_correct,
                score=answer.score,
                seconds=answer.seconds,
                answered_at=answer.answered_at,
            )
            for answer in answers
        )
        player.attempt = attempt
        player.save(update_fields=["attempt"])
        if whole_module:
            record_completion(attempt)
    return len(players)


# --- The session's clock, run by the host's socket ----------------------------------------------

TICK_SECONDS = 0.5
# While a question is open the clock ticks faster: when every player has answered, the
# reveal follows within this long, without a count on every answer's path.
QUESTION_TICK_SECONDS = 0.1


def tick_session(session_id: int, seen: dict, *, now: datetime) -> tuple[list[dict], float]:
    """Close the open question at its deadline or once everyone has answered, and say what
    changed since the last tick (the answer count, who is in the lobby). Returns the frames for
    the host and the seconds to the next tick."""
    session = LiveSession.objects.get(pk=session_id)
    frames: list[dict] = []
    if session.state == SessionState.QUESTION:
        remaining = (session.deadline - now).total_seconds()
        if remaining <= 0:
            reveal_answers(session_id, question_id=session.current_id, now=now)
            return frames, TICK_SECONDS
        answered = selectors.answers_so_far(session)
        if answered and answered >= session.expected_answers:
            reveal_answers(session_id, question_id=session.current_id, now=now)
            return frames, QUESTION_TICK_SECONDS
        if seen.get("answered") != (session.current_id, answered):
            seen["answered"] = (session.current_id, answered)
            frames.append(
                {"type": "answers", "answered": answered, "expected": session.expected_answers}
            )
        return frames, min(QUESTION_TICK_SECONDS, remaining + 0.01)
    signature = selectors.lobby_signature(session_id)
    if seen.get("lobby") != signature:
        seen["lobby"] = signature
        count, players = selectors.lobby_players(session_id)
        frames.append({"type": "lobby", "count": count, "players": players})
    return frames, TICK_SECONDS
