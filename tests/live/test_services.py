"""Live quiz rules, called directly: PINs, nicknames, the clock, points, streaks, results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.live.conftest import join
from training.live.models import LiveAnswer, LiveSession, Player, SessionState
from training.live.services import (
    LiveError,
    advance_session,
    end_live_session,
    join_live_session,
    kick_player,
    reveal_answers,
    start_live_session,
    submit_live_answer,
    tick_session,
)


def answer(session, player, verdict="scam", *, number=1, now=None):
    message = {"type": "answer", "question": number, "answer": {"verdict": verdict}}
    return submit_live_answer(session.pk, player.pk, message, now=now or timezone.now())


def test_a_new_session_draws_again_when_its_pin_is_taken(host, parcel_module, monkeypatch):
    draws = iter([123456 - 100_000, 123456 - 100_000, 654321 - 100_000])
    monkeypatch.setattr("training.live.services.secrets.randbelow", lambda _n: next(draws))
    now = timezone.now()

    first = start_live_session(host, parcel_module, now=now)
    second = start_live_session(host, parcel_module, now=now)

    assert (first.pin, second.pin) == ("123456", "654321")


def test_a_pin_is_free_again_once_its_session_has_ended(host, parcel_module, monkeypatch):
    monkeypatch.setattr("training.live.services.secrets.randbelow", lambda _n: 23456)
    first = start_live_session(host, parcel_module, now=timezone.now())
    end_live_session(first, now=timezone.now())

    second = start_live_session(host, parcel_module, now=timezone.now())

    assert second.pin == first.pin == "123456"


def test_a_session_plays_the_chosen_questions_in_the_module_order(host, parcel_module):
    from training.live.selectors import module_questions

    questions = module_questions(parcel_module)
    chosen = [questions[4].pk, questions[1].pk]

    session = start_live_session(host, parcel_module, question_ids=chosen, now=timezone.now())

    assert list(session.questions.values_list("question_id", flat=True)) == chosen[::-1]


def test_questions_of_another_module_or_none_at_all_are_refused(host, parcel_module):
    with pytest.raises(LiveError):
        start_live_session(host, parcel_module, question_ids=[999_999], now=timezone.now())
    with pytest.raises(LiveError):
        start_live_session(host, parcel_module, question_ids=[], now=timezone.now())
    with pytest.raises(LiveError):
        start_live_session(host, parcel_module, seconds=7, now=timezone.now())


def test_a_nickname_is_taken_once_per_session_whatever_its_case(live_session):
    join(live_session, "Ann")

    with pytest.raises(LiveError, match="already has that nickname"):
        join(live_session, "  ANN ")


def test_an_abusive_nickname_never_reaches_the_lobby(live_session):
    with pytest.raises(LiveError, match="not allowed"):
        join(live_session, "sh1t head")
    assert not Player.objects.exists()


def test_a_child_plays_under_its_pseudonym_never_a_chosen_or_real_name(live_session):
    from tests.people.factories import UserFactory

    child = UserFactory(
        username="brave-otter-42", first_name="Mei", last_name="Chan", is_pseudonymous=True
    )
    join(live_session, "Squatter")
    Player.objects.filter(nickname="Squatter").update(
        nickname="brave-otter-42", nickname_key="brave-otter-42"
    )

    player, _cookie = join(live_session, "Mei Chan", user=child)

    assert player.nickname == "brave-otter-42 2"


def test_a_signed_in_player_who_joins_again_gets_the_same_player(live_session):
    from tests.people.factories import UserFactory

    user = UserFactory()
    first, _ = join(live_session, "Ann", user=user)
    Player.objects.filter(pk=first.pk).update(score=1234)

    again, _ = join(live_session, "Another name", user=user)

    assert again.pk == first.pk and again.score == 1234


def test_a_kicked_player_cannot_come_back(live_session):
    from tests.people.factories import UserFactory

    user = UserFactory()
    player, _ = join(live_session, "Ann", user=user)
    kick_player(live_session, player.pk, now=timezone.now())

    with pytest.raises(LiveError, match="removed you"):
        join(live_session, "Ann", user=user)


def test_content_above_a_players_age_is_refused(live_session):
    live_session.module.age_rating = 16
    with pytest.raises(LiveError, match="older players"):
        join_live_session(live_session, nickname="Kid", max_age_rating=13, now=timezone.now())


def test_a_faster_right_answer_earns_more_and_a_wrong_one_nothing(live_session):
    fast, slow, wrong = (join(live_session, name)[0] for name in ("Fast", "Slow", "Wrong"))
    live_session = advance_session(live_session, revision=0, now=timezone.now())
    deadline = live_session.deadline

    answer(live_session, fast, now=deadline - timedelta(seconds=29))
    answer(live_session, slow, now=deadline - timedelta(seconds=1))
    answer(live_session, wrong, "legit", now=deadline - timedelta(seconds=29))
    points = dict(LiveAnswer.objects.values_list("player__nickname", "points"))

    assert points["Fast"] > points["Slow"] >= 500 and points["Wrong"] == 0


def test_an_answer_counts_only_before_the_deadline_by_the_servers_clock(live_session):
    player, _ = join(live_session, "Ann")
    live_session = advance_session(live_session, revision=0, now=timezone.now())

    with pytest.raises(LiveError, match="Too late"):
        answer(live_session, player, now=live_session.deadline + timedelta(milliseconds=1))

    assert not LiveAnswer.objects.exists()
    assert LiveSession.objects.get(pk=live_session.pk).state == SessionState.REVEAL


def test_a_second_answer_to_the_same_question_is_refused(live_session):
    player, _ = join(live_session, "Ann")
    live_session = advance_session(live_session, revision=0, now=timezone.now())
    answer(live_session, player)

    with pytest.raises(LiveError, match="already answered"):
        answer(live_session, player, "legit")

    assert LiveAnswer.objects.get().response == {"verdict": "scam"}


def test_a_double_click_moves_the_session_on_once(live_session):
    advance_session(live_session, revision=0, now=timezone.now())

    with pytest.raises(LiveError, match="already moved on"):
        advance_session(live_session, revision=0, now=timezone.now())

    assert LiveSession.objects.get(pk=live_session.pk).revision == 1


def test_points_and_streaks_are_added_once_however_often_the_reveal_is_asked(live_session):
    ann, _ = join(live_session, "Ann")
    bo, _ = join(live_session, "Bo")
    live_session = advance_session(live_session, revision=0, now=timezone.now())
    answer(live_session, ann)
    answer(live_session, bo, "legit")

    assert reveal_answers(live_session.pk, question_id=live_session.current_id, now=timezone.now())
    assert not reveal_answers(
        live_session.pk, question_id=live_session.current_id, now=timezone.now()
    )

    scores = {p.nickname: (p.score, p.streak) for p in Player.objects.all()}
    assert scores["Ann"][0] == LiveAnswer.objects.get(player=ann).points and scores["Ann"][1] == 1
    assert scores["Bo"] == (0, 0)


def test_the_hosts_clock_reveals_at_the_deadline_or_once_everyone_answered(live_session):
    ann, _ = join(live_session, "Ann")
    live_session = advance_session(live_session, revision=0, now=timezone.now())

    frames, _wait = tick_session(live_session.pk, {}, now=timezone.now())
    assert frames == [{"type": "answers", "answered": 0, "expected": 1}]
    answer(live_session, ann)
    tick_session(live_session.pk, {}, now=timezone.now())
    assert LiveSession.objects.get(pk=live_session.pk).state == SessionState.REVEAL

    live_session = advance_session(live_session, revision=2, now=timezone.now())
    live_session = advance_session(live_session, revision=3, now=timezone.now())
    tick_session(live_session.pk, {}, now=live_session.deadline + timedelta(seconds=1))
    assert LiveSession.objects.get(pk=live_session.pk).state == SessionState.REVEAL


def play_whole_module(session, players):
    """Everyone answers every question right (the first player) or not at all."""
    from awareness.content.models import Choice

    now = timezone.now()
    revision = 0
    for number in range(1, 6):
        session = advance_session(session, revision=revision, now=now)
        right = Choice.objects.filter(question=session.current.question, is_correct=True)
        message = {
            1: {"verdict": "scam"},
            3: {"choice": str(right.values_list("pk", flat=True).first())},
        }.get(number)
        if message:
            submit_live_answer(
                session.pk,
                players[0].pk,
                {"type": "answer", "question": number, "answer": message},
                now=now,
            )
        session = advance_session(session, revision=session.revision, now=now)  # reveal
        session = advance_session(session, revision=session.revision, now=now)  # leaderboard
        revision = session.revision
    return advance_session(session, revision=revision, now=now)  # the end


def test_the_end_saves_signed_in_players_results_in_their_progress(live_session):
    from tests.people.factories import UserFactory
    from training.progress.models import Attempt, ModuleProgress

    learner = UserFactory()
    signed_in, _ = join(live_session, "Ann", user=learner)
    anonymous, _ = join(live_session, "Bo")

    session = play_whole_module(live_session, [signed_in, anonymous])

    assert session.state == SessionState.ENDED
    attempt = Attempt.objects.get()
    assert attempt.user == learner and attempt.is_finished
    assert attempt.answers.count() == 2 and attempt.score == pytest.approx(2 / 5)
    assert ModuleProgress.objects.get(user=learner).status == "completed"
    assert Player.objects.get(pk=signed_in.pk).attempt == attempt


def test_the_results_table_ranks_players_by_nickname_only(live_session):
    from tests.people.factories import UserFactory
    from training.live.selectors import results_rows

    ann, _ = join(live_session, "Ann", user=UserFactory(first_name="Real", last_name="Name"))
    bo, _ = join(live_session, "Bo")
    play_whole_module(live_session, [ann, bo])

    header, rows = results_rows(live_session)

    assert header[:6] == ["rank", "nickname", "signed_in", "score", "correct", "answered"]
    assert [row[:3] for row in rows] == [[1, "Ann", "yes"], [2, "Bo", "no"]]
    assert rows[0][4:6] == [2, 2] and rows[1][5] == 0
    assert "Real" not in str(rows)


def test_a_quiz_whose_material_is_withdrawn_ends_before_its_next_question(live_session):
    """A removal request about one's likeness, once its address is confirmed, hides the
    example at once, in live sessions too."""
    from awareness.content.models import Example
    from awareness.safety.services.removal import (
        confirm_removal_contact,
        confirmation_token,
        file_removal_request,
    )
    from training.live.models import SessionState
    from training.live.services import LiveError, advance_session

    example = Example.objects.get(slug="parcel-fee-sms", language="en")
    removal = file_removal_request(
        example=example, reason="likeness", contact_email="me@example.org", details="",
        language="en", now=timezone.now(),
    )  # fmt: skip
    confirm_removal_contact(confirmation_token(removal), now=timezone.now())

    with pytest.raises(LiveError, match="withdrawn"):
        advance_session(live_session, revision=live_session.revision, now=timezone.now())

    live_session.refresh_from_db()
    assert live_session.state == SessionState.ENDED
