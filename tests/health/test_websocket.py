import asyncio
import json

import pytest
import websockets
from channels.testing import WebsocketCommunicator

from awareness.asgi import application
from tests.conftest import free_port, wait_for_port

LOCAL_ORIGIN = [(b"origin", b"http://localhost")]


def probe(headers=LOCAL_ORIGIN) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/healthz/", headers=headers)


async def test_a_ping_reaches_every_probe_in_the_group_through_the_channel_layer():
    first, second = probe(), probe()
    assert (await first.connect())[0]
    assert (await second.connect())[0]

    await first.send_json_to({"type": "ping", "token": "abc"})

    assert await first.receive_json_from(timeout=3) == {"type": "pong", "token": "abc"}
    assert await second.receive_json_from(timeout=3) == {"type": "pong", "token": "abc"}
    await first.disconnect()
    await second.disconnect()


async def test_a_connection_from_a_foreign_origin_is_refused():
    communicator = probe(headers=[(b"origin", b"https://evil.example")])

    connected, _ = await communicator.connect()

    assert not connected


async def test_a_broken_frame_gets_an_error_and_the_socket_stays_open():
    communicator = probe()
    await communicator.connect()

    await communicator.send_to(text_data="{not json")
    error = await communicator.receive_json_from(timeout=3)
    await communicator.send_json_to({"type": "ping", "token": "still-here"})
    pong = await communicator.receive_json_from(timeout=3)

    assert error["type"] == "error"
    assert pong == {"type": "pong", "token": "still-here"}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_two_real_servers_share_groups_through_redis(redis_url, start_process):
    """Players on one web process, the host on another: the layer joins them."""
    ports = [free_port(), free_port()]
    servers = [
        start_process("-m", "uvicorn", "awareness.asgi:application", "--port", str(port))
        for port in ports
    ]
    for port, server in zip(ports, servers, strict=True):
        wait_for_port(port, server)

    async def round_trip():
        origin = {"Origin": "http://localhost"}
        async with (
            websockets.connect(
                f"ws://127.0.0.1:{ports[0]}/ws/healthz/", additional_headers=origin
            ) as a,
            websockets.connect(
                f"ws://127.0.0.1:{ports[1]}/ws/healthz/", additional_headers=origin
            ) as b,
        ):
            await a.send(json.dumps({"type": "ping", "token": "across"}))
            return [json.loads(await asyncio.wait_for(ws.recv(), 5)) for ws in (a, b)]

    replies = asyncio.run(round_trip())

    assert replies == [{"type": "pong", "token": "across"}] * 2
