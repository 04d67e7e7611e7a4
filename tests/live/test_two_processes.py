"""The host on one uvicorn process, the players on another, joined by Redis: every event
crosses once per process (one group member each), never once per socket."""

import asyncio
import json

import pytest
import websockets
from django.utils import timezone

from tests.conftest import free_port, wait_for_port
from tests.live.conftest import join, signed_in


async def until(socket, wanted: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if frame["type"] == wanted:
            return frame


@pytest.mark.django_db(transaction=True)
def test_players_on_one_process_follow_a_host_on_another(
    redis_url, start_process, host, parcel_module
):
    import redis

    from training.live.broadcast import live_group
    from training.live.models import LiveAnswer, LiveSession
    from training.live.selectors import module_questions
    from training.live.services import start_live_session

    ports = [free_port(), free_port()]
    uvicorn = ("-m", "uvicorn", "awareness.asgi:application", "--log-level", "warning")
    servers = [start_process(*uvicorn, "--port", str(port)) for port in ports]
    first_two = [question.pk for question in module_questions(parcel_module)[:2]]
    session = start_live_session(
        host, parcel_module, question_ids=first_two, seconds=30, now=timezone.now()
    )
    players = [join(session, name) for name in ("Ann", "Bo", "Cy")]
    host_cookie = signed_in(host)
    for port, server in zip(ports, servers, strict=True):
        wait_for_port(port, server)

    def connect(port: int, cookie, role: str):
        return websockets.connect(
            f"ws://127.0.0.1:{port}/ws/live/{session.public_id}/{role}/",
            additional_headers={"Origin": "http://localhost", "Cookie": cookie[1].decode()},
        )

    async def play():
        async with (
            connect(ports[0], host_cookie, "host") as hosting,
            connect(ports[1], players[0][1], "play") as ann,
            connect(ports[1], players[1][1], "play") as bo,
            connect(ports[1], players[2][1], "play") as cy,
        ):
            phones = (ann, bo, cy)
            for socket in (hosting, *phones):
                assert (await until(socket, "state"))["revision"] == 0
            members = redis.Redis.from_url(redis_url).zcard(f"asgi:group:{live_group(session.pk)}")

            await hosting.send(json.dumps({"type": "next", "revision": 0}))
            questions = [await until(phone, "question.opened") for phone in phones]
            for phone, verdict in zip(phones, ("scam", "scam", "legit"), strict=True):
                answer = {"type": "answer", "question": 1, "answer": {"verdict": verdict}}
                await phone.send(json.dumps(answer))
            results = [(await until(phone, "question.revealed"))["you"] for phone in phones]
            host_saw = await until(hosting, "question.revealed")

            for revision in (2, 3):  # reveal -> leaderboard -> question 2
                await hosting.send(json.dumps({"type": "next", "revision": revision}))
            await asyncio.gather(*(until(phone, "question.opened") for phone in phones))
            await hosting.send(json.dumps({"type": "end"}))
            finals = [(await until(phone, "session.ended"))["you"] for phone in phones]
            return members, questions, results, host_saw, finals

    members, questions, results, host_saw, finals = asyncio.run(play())

    assert members == 2  # one hub per web process, whatever the number of sockets
    assert all(q["number"] == 1 and "correct" not in q for q in questions)
    assert [r["correct"] for r in results] == [1, 1, 0]
    assert {r["rank"] for r in results[:2]} <= {1, 2} and results[2]["rank"] == 3
    assert host_saw["correct"] == ["scam"] and "you" not in host_saw
    assert [f["rank"] for f in finals][2] == 3
    assert LiveAnswer.objects.filter(player__session=session).count() == 3
    assert LiveSession.objects.get(pk=session.pk).state == "ended"
