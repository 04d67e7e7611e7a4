"""Fan-out of live-session events: once per web process, not once per socket.

Each web process has one `Hub` (per event loop). The first socket of a session in a process
joins the session's channel-layer group with the hub's own channel; every later socket only
registers locally. A service publishes one layer message per event, which reaches each process
once, and the hub writes it to its sockets, serialised once (or per player, from one compact
table, for personal results). The layer only wakes clients: what matters is in the database,
and a client that misses a message resynchronises from the "state" message it gets on
(re)connecting.
"""

import asyncio
import json
import logging
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def live_group(session_id: int) -> str:
    """The one place a live session's group name is built."""
    return f"live.{session_id}"


def publish(
    session_id: int,
    frame: dict,
    *,
    audience: str = "all",
    personal: dict[str, list] | None = None,
    fields: tuple[str, ...] = (),
    targets: list[int] | None = None,
) -> None:
    """Send one event to every process with sockets in the session (call it on commit).

    `audience` is "all", "host" or "player". `personal` maps a player id (as text) to the
    values of `fields` only that player gets, under "you": one compact table for thousands of
    players. `targets` limits delivery to those players."""
    message = {
        "type": "live.event",
        "session": session_id,
        "audience": audience,
        "frame": frame,
        "personal": personal or {},
        "fields": list(fields),
        "targets": targets or [],
    }
    async_to_sync(get_channel_layer().group_send)(live_group(session_id), message)


class Hub:
    """This process's sockets per live session, and the one layer subscription for each."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel = ""
        self.sockets: dict[int, set] = {}
        self.lock = asyncio.Lock()
        self.reader: asyncio.Task | None = None

    async def add(self, session_id: int, socket) -> None:
        async with self.lock:
            if not self.channel:
                # The default prefix: channels-redis reads every process-specific channel
                # through one shared "specific.<process>!" queue.
                self.channel = await self.layer.new_channel()
            if session_id not in self.sockets:
                await self.layer.group_add(live_group(session_id), self.channel)
                self.sockets[session_id] = set()
            self.sockets[session_id].add(socket)
            if self.reader is None or self.reader.done():
                self.reader = asyncio.create_task(self._read())

    async def discard(self, session_id: int, socket) -> None:
        async with self.lock:
            sockets = self.sockets.get(session_id)
            if sockets is None or socket not in sockets:
                return
            sockets.discard(socket)
            if not sockets:
                del self.sockets[session_id]
                await self.layer.group_discard(live_group(session_id), self.channel)
            if not self.sockets and self.reader is not None:
                self.reader.cancel()
                self.reader = None

    async def _read(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            try:
                self.deliver(message)
            except Exception:  # a bad message must not stop this process's deliveries
                logger.exception("Could not deliver a live event")

    def deliver(self, message: dict) -> None:
        """Queue the event on each local socket it is for; never waits for a slow client."""
        sockets = list(self.sockets.get(message["session"], ()))
        frame, audience = message["frame"], message["audience"]
        event_type = frame["type"]
        targets = set(message["targets"])
        personal, fields = message["personal"], message["fields"]
        shared = json.dumps(frame, separators=(",", ":"))
        for socket in sockets:
            if audience != "all" and socket.role != audience:
                continue
            if targets and socket.player_id not in targets:
                continue
            mine = personal.get(str(socket.player_id)) if socket.player_id else None
            if mine is None:
                socket.deliver(event_type, shared)
            else:
                you = dict(zip(fields, mine, strict=True))
                socket.deliver(event_type, json.dumps({**frame, "you": you}, separators=(",", ":")))


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop (one per web process; one per test's loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub(get_channel_layer())
    return _hubs[loop]
