"""Fan-out of live-session events: once per web process, not once per socket.

Each web process has one `Hub` (per event loop). The first socket of a session in a process
joins the session's channel-layer group with the hub's own channel; every later socket only
registers locally. A service publishes one layer message per event, which reaches each process
once, and the hub writes it to its sockets, serialised once (or per player, from one compact
table, for personal results). The layer only wakes clients: what matters is in the database,
and a client that misses a message resynchronises from the "state" message it gets on
(re)connecting.

The layer (Redis) may go away for a while. Sockets do not read it (the hub does), so they stay
open; the hub's reader waits and subscribes again; a publish that fails is not retried.
Instead the hub compares, each second, the revision of each of its sessions in the database
with the last one it was sent: still behind a second later, the broadcast was lost, and every
local socket of that session is sent its "state" again. One warning per outage, not one per
socket or message.
"""

import asyncio
import json
import logging
import time
import weakref

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from training.live.selectors import session_revisions

logger = logging.getLogger(__name__)

RESYNC_SECONDS = 1.0
RESUBSCRIBE_SECONDS = (0.5, 2.0)  # the reader's first and longest wait while the layer is away
OUTAGE_GAP = 30.0


class _Outage:
    """Says once that the layer went away and once that it came back: failures less than
    OUTAGE_GAP apart (a pooled connection found dead just after the return) are one outage."""

    def __init__(self) -> None:
        self.failing = False
        self.announced = False
        self.last_failure = -OUTAGE_GAP

    def begin(self, error: BaseException) -> None:
        now = time.monotonic()
        if not self.failing and now - self.last_failure > OUTAGE_GAP:
            self.announced = True
            logger.warning("The live quiz channel layer failed (%s); clients resync", error)
        self.failing, self.last_failure = True, now

    def end(self) -> None:
        if self.failing and self.announced:
            self.announced = False
            logger.warning("The live quiz channel layer answers again")
        self.failing = False


layer_outage = _Outage()


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
    try:
        async_to_sync(get_channel_layer().group_send)(live_group(session_id), message)
    except Exception as error:  # the database has the change; each hub's resync sends it
        layer_outage.begin(error)
    else:
        layer_outage.end()


class Hub:
    """This process's sockets per live session, and the one layer subscription for each."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel = ""
        self.sockets: dict[int, set] = {}
        self.revisions: dict[int, int] = {}  # per session, the last revision sent to sockets
        self.lock = asyncio.Lock()
        self.reader: asyncio.Task | None = None
        self.watcher: asyncio.Task | None = None

    async def add(self, session_id: int, socket) -> None:
        async with self.lock:
            if not self.channel:
                # The default prefix: channels-redis reads every process-specific channel
                # through one shared "specific.<process>!" queue.
                self.channel = await self.layer.new_channel()
            if session_id not in self.sockets:
                self.sockets[session_id] = set()
                await self._subscribe([session_id])
            self.sockets[session_id].add(socket)
            if self.reader is None or self.reader.done():
                self.reader = asyncio.create_task(self._read())
            if self.watcher is None or self.watcher.done():
                self.watcher = asyncio.create_task(self._watch())

    async def discard(self, session_id: int, socket) -> None:
        async with self.lock:
            sockets = self.sockets.get(session_id)
            if sockets is None or socket not in sockets:
                return
            sockets.discard(socket)
            if not sockets:
                del self.sockets[session_id]
                self.revisions.pop(session_id, None)
                try:
                    await self.layer.group_discard(live_group(session_id), self.channel)
                except Exception as error:  # the group expires on its own
                    layer_outage.begin(error)
            if not self.sockets:
                for task in (self.reader, self.watcher):
                    if task is not None:
                        task.cancel()
                self.reader = self.watcher = None

    async def _subscribe(self, session_ids) -> bool:
        try:
            for session_id in session_ids:
                await self.layer.group_add(live_group(session_id), self.channel)
        except Exception as error:  # the reader subscribes again once the layer is back
            layer_outage.begin(error)
            return False
        return True

    async def _read(self) -> None:
        wait, longest = RESUBSCRIBE_SECONDS
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except Exception as error:
                layer_outage.begin(error)
                await asyncio.sleep(wait)
                wait = min(wait * 2, longest)
                if await self._subscribe(list(self.sockets)):
                    layer_outage.end()
                continue
            wait = RESUBSCRIBE_SECONDS[0]
            self._watch_cleaners()
            try:
                self.deliver(message)
            except Exception:  # a bad message must not stop this process's deliveries
                logger.exception("Could not deliver a live event")

    def _watch_cleaners(self) -> None:
        """channels-redis removes each received message from a backup queue in a task of its
        own; with the layer away that task fails (and the message comes again later, an old
        revision clients ignore). Its error counts toward the outage instead of a traceback."""
        for cleaner in getattr(self.layer, "receive_cleaners", ()):
            cleaner.add_done_callback(_note_cleaner)

    async def _watch(self) -> None:
        """Send "state" again to the sockets of a session whose broadcast was lost."""
        behind: dict[int, int] = {}
        while True:
            await asyncio.sleep(RESYNC_SECONDS)
            try:
                current = await database_sync_to_async(session_revisions)(list(self.sockets))
            except Exception:
                logger.warning("Could not read the live sessions' revisions", exc_info=True)
                continue
            for session_id, revision in current.items():
                sent = self.revisions.setdefault(session_id, revision)
                if revision <= sent:
                    behind.pop(session_id, None)
                elif behind.get(session_id) != revision:
                    behind[session_id] = revision  # its broadcast may still be on the way
                else:
                    del behind[session_id]
                    self.revisions[session_id] = revision
                    for socket in list(self.sockets.get(session_id, ())):
                        socket.resync()

    def deliver(self, message: dict) -> None:
        """Queue the event on each local socket it is for; never waits for a slow client."""
        sockets = list(self.sockets.get(message["session"], ()))
        frame, audience = message["frame"], message["audience"]
        if isinstance(frame.get("revision"), int) and sockets:
            sent = self.revisions.get(message["session"], frame["revision"])
            self.revisions[message["session"]] = max(sent, frame["revision"])
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


def _note_cleaner(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        layer_outage.begin(task.exception())


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop (one per web process; one per test's loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub(get_channel_layer())
    return _hubs[loop]
