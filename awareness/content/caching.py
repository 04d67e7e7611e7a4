"""Learner-facing content is read far more often than it changes. What is withdrawn, and whole
catalogue and player pages, are cached under a generation that every write to content or to
the safety records deciding what may be shown replaces, and never longer than the next consent
starts or ends.

A request reads the generation from the shared cache once, and each process keeps the values
it has already fetched under that generation: a step page then costs no cache round trip and
no unpickling beyond that one read, while a change made by any process still shows from the
next request on."""

import time
from collections import OrderedDict
from collections.abc import Callable
from uuid import uuid4

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "content:generation"
MAX_AGE = 300  # seconds: a bound for whatever no service saw (a consent row edited by hand)
LOCAL_ENTRIES = 1000  # values kept per process, least recently used dropped first

_request = Local()  # the generation this request has read, if it is a request
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
    if getattr(_request, "generation", None) is not None:
        _request.generation = current


def generation() -> str:
    remembered = getattr(_request, "generation", None)
    if remembered:
        return remembered
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)  # add: a writer's newer one wins
        current = cache.get(GENERATION_KEY)
    if remembered is not None:  # "" : inside a request that has not read it yet
        _request.generation = current
    return current


def _start_request(**kwargs) -> None:
    _request.generation = ""


def _end_request(**kwargs) -> None:
    _request.generation = None


request_started.connect(_start_request, dispatch_uid="content_generation_start")
request_finished.connect(_end_request, dispatch_uid="content_generation_end")


def cached(name: str, compute: Callable[[], object]) -> object:
    """`compute()`, kept until content changes; `name` must say everything the value depends
    on besides content (language, age, filters). Treat the value as read-only: this process
    hands the same object to later requests."""
    key = f"content:{generation()}:{name}"
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
    from awareness.safety.selectors import next_consent_change

    now = timezone.now()
    change = next_consent_change(now)
    seconds = MAX_AGE if change is None else (change - now).total_seconds()
    return max(1, min(MAX_AGE, int(seconds)))
