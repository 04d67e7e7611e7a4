"""Hostile answers from a live quiz phone: each gets an error on that socket, never a crash,
and nothing is stored. (The player pages' forms are in test_hostile_input.py.)"""

import json

import pytest

from tests.live.conftest import host_socket, join, player_socket, receive_until, signed_in
from training.live.models import LiveAnswer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sockets_database")]

HOSTILE_VALUES = [
    "\x00",
    "<script>alert('x')</script>",
    "' OR 1=1 --",
    10**30,
    -1,
    1.5,
    "../../etc/passwd",
    {"nested": ["deep"] * 50},
    "x" * 3000,
]


async def test_hostile_answer_values_get_an_error_and_store_nothing(live_session, host):
    from channels.db import database_sync_to_async

    _player, cookie = await database_sync_to_async(join)(live_session, "Ann")
    hosting = host_socket(live_session, await database_sync_to_async(signed_in)(host))
    phone = player_socket(live_session, cookie)
    for socket in (hosting, phone):
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=5)
    await hosting.send_json_to({"type": "next", "revision": 0})
    await receive_until(phone, "question.opened")

    replies = []
    for value in HOSTILE_VALUES:
        for key in ("verdict", "choice", "choices", "spots", "real", "confidence"):
            frame = {"type": "answer", "question": 1, "answer": {key: value}}
            await phone.send_to(text_data=json.dumps(frame))
            replies.append(await receive_until(phone, "error"))

    assert all(reply["message"] and "<script>" not in reply["message"] for reply in replies)
    assert not await LiveAnswer.objects.aexists()
    for socket in (hosting, phone):
        await socket.disconnect()
