"""WebSockets of a live quiz: thin adapters over the services, which own clock and scores.

Each socket has a bounded outbox written by its own task, so one slow phone never holds up a
broadcast; a socket whose outbox overflows is closed, and its client reconnects and gets the
state again (never a silent drop). Anything a client sends that is not understood gets an
error frame on that socket only.
"""

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone
from django.utils.translation import gettext as _

from training.live import events, selectors
from training.live.broadcast import hub
from training.live.intake import intake
from training.live.services import (
    LiveError,
    advance_session,
    end_live_session,
    kick_player,
    tick_session,
)

logger = logging.getLogger(__name__)

MAX_FRAME = 4096
OUTBOX_SIZE = 64
# A client may send this many messages per window; more are refused, not processed.
RATE_COUNT, RATE_WINDOW = 20, 5.0
CLOSE = object()
NOT_ALLOWED = 4403
TOO_SLOW = 4008
KICKED = 4001


class LiveSocket(AsyncJsonWebsocketConsumer):
    # No channel of its own on the layer: the hub reads the layer for the whole process, so
    # a layer outage cannot close the sockets (an unconfigured alias means no layer).
    channel_layer_alias = "live-sockets-read-no-layer"
    role = ""
    player_id: int | None = None
    session_id: int | None = None

    async def start(self, session_id: int) -> None:
        """Accept, start the writer, and take this socket's place in the process's hub."""
        await self.accept()
        self.outbox: asyncio.Queue = asyncio.Queue(maxsize=OUTBOX_SIZE)
        self.writer = asyncio.create_task(self._write())
        self.sent_at: list[float] = []
        self.session_id = session_id
        await hub().add(session_id, self)

    async def disconnect(self, code):
        if self.session_id is not None:
            await hub().discard(self.session_id, self)
        if getattr(self, "writer", None) is not None:
            self.writer.cancel()

    async def _write(self) -> None:
        while True:
            text = await self.outbox.get()
            if text is CLOSE:
                await self.close(code=self._close_code)
                return
            await self.send(text_data=text)

    def deliver(self, event_type: str, text: str) -> None:
        """From the hub: "question.opened" goes to `question_opened` if there is one."""
        handler = getattr(self, event_type.replace(".", "_"), None)
        if callable(handler):
            handler(text)
        else:
            self.push(text)

    def push(self, text: str) -> None:
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            self.shut(TOO_SLOW)

    def shut(self, code: int) -> None:
        """Close after what is queued, or at once when the queue is full."""
        self._close_code = code
        try:
            self.outbox.put_nowait(CLOSE)
        except asyncio.QueueFull:
            self.writer.cancel()
            self.closing = asyncio.ensure_future(self.close(code=code))

    async def state(self) -> dict:
        """Everything this client needs to show the right screen, from the database."""
        raise NotImplementedError

    def resync(self) -> None:
        """From the hub, when a broadcast was lost: send the state again."""
        self.resyncing = asyncio.ensure_future(self._resync())

    async def _resync(self) -> None:
        try:
            self.reply(await self.state())
        except Exception:  # the next lost broadcast tries again
            logger.warning("Could not resync a live quiz socket", exc_info=True)

    def reply(self, frame: dict) -> None:
        self.push(json.dumps(frame, separators=(",", ":")))

    def error(self, message: str) -> None:
        self.reply({"type": "error", "message": message})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.session_id is None:
            return
        if text_data is None or len(text_data) > MAX_FRAME:
            self.error(_("Send one short JSON text message at a time."))
            return
        if not self._within_rate():
            self.error(_("Too many messages: slow down."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            self.error(_("That message is not valid JSON."))
            return
        try:
            await self.receive_json(content)
        except LiveError as refused:
            self.error(str(refused))
        except Exception:  # a bug must cost one message, never the socket
            logger.exception("Live quiz message failed")
            self.error(_("Something went wrong with that message. Try again."))

    def _within_rate(self) -> bool:
        now = time.monotonic()
        self.sent_at = [t for t in self.sent_at if now - t < RATE_WINDOW]
        self.sent_at.append(now)
        return len(self.sent_at) <= RATE_COUNT


class LivePlayerConsumer(LiveSocket):
    """A player's phone: it receives the questions and its own results, and sends answers."""

    role = "player"

    async def connect(self):
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        player = await database_sync_to_async(selectors.player_for_socket)(
            public_id, self.scope["session"], self.scope.get("user")
        )
        if player is None:
            await self.close(code=NOT_ALLOWED)
            return
        self.player = player
        self.player_id = player.pk
        await self.start(player.session_id)
        self.reply(await self.state())

    async def state(self) -> dict:
        return await database_sync_to_async(events.player_state)(self.player, now=timezone.now())

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "answer":
            raise LiveError(_('Send {"type": "answer", "question": N, "answer": {...}}.'))
        now = timezone.now()  # the server's clock, when the answer arrived
        self.reply(await intake().submit(self.session_id, self.player_id, content, now))

    def player_kicked(self, text: str) -> None:
        self.push(text)
        self.shut(KICKED)


class LiveHostConsumer(LiveSocket):
    """The projector: it sends the host's commands and runs the session's clock."""

    role = "host"
    ticker: asyncio.Task | None = None

    async def connect(self):
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        session = await database_sync_to_async(selectors.hosted_session_or_none)(
            self.scope.get("user"), public_id
        )
        if session is None:
            await self.close(code=NOT_ALLOWED)
            return
        self.session = session
        await self.start(session.pk)
        self.reply(await self.state())
        self.ticker = asyncio.create_task(self._tick())

    async def state(self) -> dict:
        return await database_sync_to_async(events.host_state)(self.session_id, now=timezone.now())

    async def disconnect(self, code):
        if self.ticker is not None:
            self.ticker.cancel()
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        now = timezone.now()
        if kind == "next":
            await database_sync_to_async(advance_session)(
                self.session, revision=content.get("revision"), now=now
            )
        elif kind == "kick":
            await database_sync_to_async(kick_player)(self.session, content.get("player"), now=now)
        elif kind == "end":
            await database_sync_to_async(end_live_session)(self.session, now=now)
        else:
            raise LiveError(_("Send next, kick or end."))

    async def _tick(self) -> None:
        """Close the question at its deadline; keep the answer count and lobby list fresh."""
        seen: dict = {}
        while True:
            try:
                frames, wait = await database_sync_to_async(tick_session)(
                    self.session_id, seen, now=timezone.now()
                )
            except Exception:
                logger.exception("Live quiz clock failed; trying again")
                frames, wait = [], 1.0
            for frame in frames:
                self.reply(frame)
            await asyncio.sleep(wait)
