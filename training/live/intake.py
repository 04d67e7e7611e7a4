"""Answers from this process's sockets, saved in batches.

A burst of answers (a room answering within two seconds) would otherwise queue up one
database round trip at a time behind the single thread Channels runs database work in. Here
every answer waits in one queue; a worker takes whatever has arrived while the previous batch
was being saved and records it with one read and one INSERT per session. At a quiet moment a
batch is a single answer, so nothing waits for a timer.
"""

import asyncio
import logging
import weakref
from collections import defaultdict
from datetime import datetime

from channels.db import database_sync_to_async

from training.live.services import submit_live_answers

logger = logging.getLogger(__name__)

MAX_BATCH = 500


class AnswerIntake:
    def __init__(self) -> None:
        self.queue: asyncio.Queue = asyncio.Queue()
        self.worker: asyncio.Task | None = None

    async def submit(self, session_id: int, player_id: int, message, now: datetime) -> dict:
        """The reply for this answer, or its LiveError raised."""
        future = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((session_id, player_id, message, now, future))
        if self.worker is None or self.worker.done():
            self.worker = asyncio.create_task(self._work())
        return await future

    async def _work(self) -> None:
        """Runs while there are answers waiting, then ends (a new one starts it again)."""
        while not self.queue.empty():
            batch = [self.queue.get_nowait()]
            while not self.queue.empty() and len(batch) < MAX_BATCH:
                batch.append(self.queue.get_nowait())
            by_session: dict[int, list] = defaultdict(list)
            for item in batch:
                by_session[item[0]].append(item)
            for session_id, items in by_session.items():
                await self._save(session_id, items)

    async def _save(self, session_id: int, items: list) -> None:
        answers = [(player_id, message, now) for _s, player_id, message, now, _f in items]
        try:
            results = await database_sync_to_async(submit_live_answers)(session_id, answers)
        except Exception as error:  # every waiting socket hears of it; the worker goes on
            logger.exception("Could not save a batch of live answers")
            results = [error] * len(items)
        for (*_rest, future), result in zip(items, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)


_intakes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AnswerIntake]" = (
    weakref.WeakKeyDictionary()
)


def intake() -> AnswerIntake:
    loop = asyncio.get_running_loop()
    if loop not in _intakes:
        _intakes[loop] = AnswerIntake()
    return _intakes[loop]
