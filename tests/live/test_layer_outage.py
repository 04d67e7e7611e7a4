"""Redis (channel layer and cache) cut for a few seconds in the middle of a question, through a
TCP forwarder: the sockets stay open, the reveal lost with the layer reaches every phone and
the projector from the database, the host moves on, and the next question reaches everyone.
One warning for the outage, no traceback."""

import asyncio
import json

import pytest
import websockets
from django.utils import timezone

from tests.conftest import free_port, wait_for_port
from tests.live.conftest import join, signed_in

OUTAGE_SECONDS = 3


async def until(socket, wanted, timeout: float = 15) -> dict:
    """The next frame `wanted(frame)` accepts, skipping the others."""
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if wanted(frame):
            return frame


def of_type(*types):
    return lambda frame: frame["type"] in types


def question_number(frame) -> int | None:
    """The open question's number, from its broadcast or from a resync's state."""
    if frame["type"] == "question.opened":
        return frame["number"]
    if frame["type"] == "state" and frame["state"] == "question":
        return frame["question"]["number"]
    return None


@pytest.mark.django_db(transaction=True)
def test_players_and_host_reach_the_next_question_after_the_layer_comes_back(
    redis_forwarder, start_process, host, parcel_module
):
    from training.live.models import LiveAnswer, LiveSession
    from training.live.selectors import module_questions
    from training.live.services import start_live_session

    port = free_port()
    server = start_process(
        "-m", "uvicorn", "awareness.asgi:application", "--port", str(port),
        "--log-level", "warning", REDIS_URL=redis_forwarder.url(6),
    )  # fmt: skip
    first_two = [question.pk for question in module_questions(parcel_module)[:2]]
    session = start_live_session(
        host, parcel_module, question_ids=first_two, seconds=60, now=timezone.now()
    )
    players = [join(session, name) for name in ("Ann", "Bo", "Cy")]
    host_cookie = signed_in(host)
    wait_for_port(port, server)

    def connect(cookie, role: str):
        return websockets.connect(
            f"ws://127.0.0.1:{port}/ws/live/{session.public_id}/{role}/",
            additional_headers={"Origin": "http://localhost", "Cookie": cookie[1].decode()},
        )

    async def play():
        async with (
            connect(host_cookie, "host") as hosting,
            connect(players[0][1], "play") as ann,
            connect(players[1][1], "play") as bo,
            connect(players[2][1], "play") as cy,
        ):
            phones = (ann, bo, cy)
            for socket in (hosting, *phones):
                await until(socket, of_type("state"))
            await hosting.send(json.dumps({"type": "next", "revision": 0}))
            for phone in phones:
                await until(phone, of_type("question.opened"))

            redis_forwarder.cut()  # mid-question
            for phone in phones:
                answer = {"type": "answer", "question": 1, "answer": {"verdict": "scam"}}
                await phone.send(json.dumps(answer))
                await until(phone, of_type("answer.recorded"))
            # Everyone answered: the host's clock reveals now, and the broadcast is lost.
            await asyncio.sleep(OUTAGE_SECONDS)
            redis_forwarder.restore()

            revealed = [
                await until(phone, lambda f: f.get("state") == "reveal", timeout=20)
                for phone in phones
            ]
            seen = await until(hosting, lambda f: f.get("revision") == 2, timeout=20)
            await hosting.send(json.dumps({"type": "next", "revision": seen["revision"]}))
            await until(hosting, lambda f: f.get("revision") == 3)
            await hosting.send(json.dumps({"type": "next", "revision": 3}))
            nexts = [await until(phone, lambda f: question_number(f) == 2) for phone in phones]
            return revealed, seen, nexts

    revealed, seen, nexts = asyncio.run(play())
    server.terminate()
    log = server.communicate(timeout=10)[0]

    # The reveal reached each phone as a resync from the database, with their own result.
    assert [frame["type"] for frame in revealed] == ["state"] * 3
    assert [frame["result"]["you"]["answered"] for frame in revealed] == [1, 1, 1]
    assert [frame["result"]["you"]["correct"] for frame in revealed] == [1, 1, 1]
    assert seen["state"] == "reveal"
    assert [question_number(frame) for frame in nexts] == [2, 2, 2]
    assert LiveAnswer.objects.filter(player__session=session).count() == 3
    assert LiveSession.objects.get(pk=session.pk).state == "question"
    assert log.count("The live quiz channel layer failed") == 1, log
    assert "Traceback" not in log, log
