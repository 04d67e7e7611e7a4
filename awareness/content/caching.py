"""Learner-facing content is read far more often than it changes. What is withdrawn, and whole
catalogue and player pages, are cached under a generation that every write to content or to
the safety records deciding what may be shown replaces, and never longer than the next consent
starts or ends.

Each process reads the generation from the shared cache at most once a second
(CONTENT_GENERATION_RECHECK), and keeps the values it has already fetched under it: a player
page then costs no cache round trip and no unpickling. A change shows at once in the process
that made it, and within that second everywhere else. While Redis is away (the cache then
misses, see awareness/lib/cache.py) every read goes to the database."""

import time
from collections import OrderedDict
from collections.abc import Callable
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "content:generation"
MAX_AGE = 300  # seconds: a bound for whatever no service saw (a consent row edited by hand)
LOCAL_ENTRIES = 1000  # values kept per process, least recently used dropped first

_seen: list = [None, 0.0]  # the generation this process read, and when to read it again
# Values are kept with the time they expire, here and in the shared cache alike.
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()


def content_changed() -> None:
    """Call from every write that changes what learners see: now, for the rest of this
    transaction, and again after commit, so a page cached from the old rows in between dies."""
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    current = uuid4().hex
    cache.set(GENERATION_KEY, current, None)
    _remember(current)


def generation() -> str | None:
    """None while the shared cache cannot be reached: then nothing is kept."""
    current, recheck_at = _seen
    if current is not None and time.monotonic() < recheck_at:
        return current
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)  # add: a writer's newer one wins
        current = cache.get(GENERATION_KEY)
    if current is not None:
        _remember(current)
    return current


def _remember(current: str) -> None:
    _seen[:] = [current, time.monotonic() + settings.CONTENT_GENERATION_RECHECK]


def cached(name: str, compute: Callable[[], object]) -> object:
    """`compute()`, kept until content changes; `name` must say everything the value depends
    on besides content (language, age, filters). Treat the value as read-only: this process
    hands the same object to later requests. With the shared cache away, it is `compute()`:
    another process may have changed content unseen, so only the database is trusted."""
    current = generation()
    if current is None:
        return compute()
    key = f"content:{current}:{name}"
    now = time.time()
    kept = _local.get(key) or cache.get(key)
    if kept is None or kept[0] <= now:
        seconds = _lifetime()
        kept = (now + seconds, compute())
        cache.set(key, kept, seconds)
    _local[key] = kept
    _local.move_to_end(key)
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)
    return kept[1]


def _lifetime() -> int:
    # safety imports this module (content_changed): the declared content:safety pair's cycle
    from awareness.safety.selectors import next_consent_change

    now = timezone.now()
    change = next_consent_change(now)
    seconds = MAX_AGE if change is None else (change - now).total_seconds()
    return max(1, min(MAX_AGE, int(seconds)))
