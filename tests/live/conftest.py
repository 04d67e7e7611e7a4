"""Live quiz fixtures: a host, a session over the test pack's five questions, players with
the browser session a real phone would have, and sockets on the real ASGI application."""

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from awareness.asgi import application
from training.live.selectors import BROWSER_KEY

LOCAL_ORIGIN = (b"origin", b"http://localhost")


@pytest.fixture
async def sockets_database(transactional_db):
    """For socket tests: the database, and afterwards the connection that Channels' database
    thread opened closed again (a kept PostgreSQL connection would leak into later tests)."""
    yield
    from channels.db import database_sync_to_async
    from django.db import connections

    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def host(db):
    from tests.people.factories import UserFactory

    return UserFactory(username="quizmaster")


@pytest.fixture
def parcel_module(loaded_pack):
    from awareness.content.models import Module

    return Module.objects.get(slug="parcel-fees", language="en", is_current=True)


@pytest.fixture
def live_session(host, parcel_module):
    from training.live.services import start_live_session

    return start_live_session(host, parcel_module, seconds=30, now=timezone.now())


def browser_with(session, token: str) -> str:
    """A Django session holding the player's token, as the join page leaves it."""
    store = SessionStore()
    store[BROWSER_KEY] = {str(session.pk): token}
    store.create()
    return store.session_key


def join(session, nickname: str, *, user=None):
    """The player and the cookie header of their browser."""
    from training.live.services import join_live_session

    player, token = join_live_session(
        session, nickname=nickname, user=user, max_age_rating=18, now=timezone.now()
    )
    return player, (b"cookie", f"sessionid={browser_with(session, token)}".encode())


def player_socket(session, cookie=None) -> WebsocketCommunicator:
    headers = [LOCAL_ORIGIN] + ([cookie] if cookie else [])
    return WebsocketCommunicator(application, f"/ws/live/{session.public_id}/play/", headers)


def signed_in(user) -> tuple[bytes, bytes]:
    """The cookie header of a browser signed in as `user`."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return (b"cookie", f"sessionid={store.session_key}".encode())


def host_socket(session, cookie) -> WebsocketCommunicator:
    headers = [LOCAL_ORIGIN, cookie]
    return WebsocketCommunicator(application, f"/ws/live/{session.public_id}/host/", headers)


async def receive_until(socket: WebsocketCommunicator, wanted: str, timeout: float = 5) -> dict:
    """The next frame of type `wanted`, skipping others (answer counts, lobby updates)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == wanted:
            return frame
