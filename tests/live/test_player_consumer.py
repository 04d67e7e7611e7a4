"""A player's socket: questions without answers, one answer counted once, and every bad
message answered with an error on that socket only, never a crash."""

import json

import pytest

from tests.live.conftest import host_socket, join, player_socket, receive_until, signed_in
from training.live.models import LiveAnswer, Player

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sockets_database")]


async def connected(socket):
    connected, _ = await socket.connect()
    assert connected
    state = await socket.receive_json_from(timeout=5)
    assert state["type"] == "state"
    return state


@pytest.fixture
async def game(live_session, host):
    """A host and two players, the first question open."""
    from channels.db import database_sync_to_async

    (ann, ann_cookie), (bob, bob_cookie) = [
        await database_sync_to_async(join)(live_session, name) for name in ("Ann", "Bob")
    ]
    hosting = host_socket(live_session, await database_sync_to_async(signed_in)(host))
    ann_socket, bob_socket = (
        player_socket(live_session, ann_cookie),
        player_socket(live_session, bob_cookie),
    )
    for socket in (hosting, ann_socket, bob_socket):
        await connected(socket)
    await hosting.send_json_to({"type": "next", "revision": 0})
    questions = [await receive_until(s, "question.opened") for s in (ann_socket, bob_socket)]
    yield {
        "host": hosting,
        "ann": ann_socket,
        "bob": bob_socket,
        "players": (ann, bob),
        "question": questions[0],
    }
    for socket in (hosting, ann_socket, bob_socket):
        await socket.disconnect()


async def test_a_browser_that_never_joined_is_turned_away(live_session):
    socket = player_socket(live_session)

    connected, code = await socket.connect()

    assert not connected
    assert code == 4403


async def test_a_question_never_says_which_answer_is_right(game):
    question = game["question"]

    assert question["number"] == 1 and question["total"] == 5
    assert question["kind"] == "scam_or_legit"
    assert [o["value"] for o in question["options"]] == ["scam", "legit"]
    text = json.dumps(question)
    assert "correct" not in text and "is_scam" not in text and "explanation" not in text


async def test_an_answer_counts_once_and_the_reveal_brings_points_and_rank(game):
    ann, bob = game["ann"], game["bob"]

    await ann.send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "scam"}})
    assert await ann.receive_json_from(timeout=5) == {"type": "answer.recorded", "number": 1}
    await ann.send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "legit"}})
    duplicate = await ann.receive_json_from(timeout=5)
    await bob.send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "legit"}})
    await receive_until(bob, "answer.recorded")

    ann_result = await receive_until(ann, "question.revealed")
    bob_result = await receive_until(bob, "question.revealed")

    assert duplicate["type"] == "error" and "already answered" in duplicate["message"]
    assert ann_result["correct"] == ["scam"]
    assert ann_result["you"]["correct"] == 1 and 500 <= ann_result["you"]["points"] <= 1000
    assert ann_result["you"]["rank"] == 1 and ann_result["you"]["streak"] == 1
    assert bob_result["you"] == {
        "answered": 1, "correct": 0, "points": 0, "score": 0, "streak": 0, "rank": 2,
    }  # fmt: skip
    assert await LiveAnswer.objects.acount() == 2


BAD_FRAMES = [
    b"\x00binary",
    "{not json",
    "x" * 5000,
    json.dumps([1, 2]),
    json.dumps({"type": "next", "revision": 1}),  # a host command from a phone
    json.dumps({"type": "answer", "question": 2, "answer": {"choice": "1"}}),  # not open
    json.dumps({"type": "answer", "question": "1", "answer": {"verdict": "scam"}}),
    json.dumps({"type": "answer", "question": 1, "answer": {"verdict": "maybe"}}),
    json.dumps({"type": "answer", "question": 1, "answer": {"verdict": None}}),
    json.dumps({"type": "answer", "question": 1, "answer": {"points": 1000}}),  # forged
    json.dumps({"type": "answer", "question": 1, "answer": {"verdict": ["scam"] * 99}}),
]


async def test_a_bad_message_gets_an_error_on_that_socket_only(game):
    ann, bob = game["ann"], game["bob"]

    errors = []
    for frame in BAD_FRAMES:
        if isinstance(frame, bytes):
            await ann.send_to(bytes_data=frame)
        else:
            await ann.send_to(text_data=frame)
        errors.append(await ann.receive_json_from(timeout=5))

    assert all(error["type"] == "error" and error["message"] for error in errors)
    assert await bob.receive_nothing(timeout=0.2)
    assert not await LiveAnswer.objects.aexists()
    # The socket still works: a proper answer is recorded.
    await ann.send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "scam"}})
    assert (await ann.receive_json_from(timeout=5))["type"] == "answer.recorded"


async def test_an_answer_after_the_deadline_does_not_count(game, live_session):
    from datetime import timedelta

    from django.utils import timezone

    from training.live.models import LiveSession

    await LiveSession.objects.filter(pk=live_session.pk).aupdate(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    await game["ann"].send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "scam"}})

    late = await receive_until(game["ann"], "error")
    revealed = await receive_until(game["bob"], "question.revealed")

    assert "Too late" in late["message"]
    assert revealed["you"]["answered"] == 0
    assert await LiveAnswer.objects.acount() == 0


async def test_too_many_messages_are_refused_without_closing_the_socket(game):
    ann = game["ann"]

    for _ in range(25):
        await ann.send_to(text_data="{}")
    frames = [await ann.receive_json_from(timeout=5) for _ in range(25)]

    assert any("slow down" in frame["message"] for frame in frames)
    assert await game["bob"].receive_nothing(timeout=0.1)


async def test_a_reconnecting_player_gets_the_open_question_and_keeps_its_score(game, live_session):
    from channels.db import database_sync_to_async

    from awareness.lib.tokens import hash_token
    from tests.live.conftest import browser_with

    ann, _bob = game["players"]
    await game["ann"].send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "scam"}})
    await receive_until(game["ann"], "answer.recorded")
    await game["ann"].disconnect()
    # The same browser comes back (same session cookie, same token).
    token = "reloaded-token"
    await Player.objects.filter(pk=ann.pk).aupdate(token_hash=hash_token(token))
    key = await database_sync_to_async(browser_with)(live_session, token)
    again = player_socket(live_session, (b"cookie", f"sessionid={key}".encode()))

    state = await connected(again)

    assert state["state"] == "question" and state["answered"] is True
    assert state["nickname"] == "Ann"
    await game["bob"].send_json_to({"type": "answer", "question": 1, "answer": {"verdict": "scam"}})
    result = await receive_until(again, "question.revealed")
    assert result["you"]["correct"] == 1 and result["you"]["score"] > 0
    await again.disconnect()


async def test_a_kicked_player_is_told_and_disconnected(game):
    ann, _bob = game["players"]

    await game["host"].send_json_to({"type": "kick", "player": ann.pk})
    kicked = await receive_until(game["ann"], "player.kicked")
    closed = await game["ann"].receive_output(timeout=5)

    assert kicked["message"]
    assert closed == {"type": "websocket.close", "code": 4001}
    assert await game["bob"].receive_nothing(timeout=0.2)
