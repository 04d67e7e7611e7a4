"""Learner-facing content is read far more often than it changes. What is withdrawn, and whole
catalogue pages, are cached under a generation that every write to content or to the safety
records deciding what may be shown replaces, and never longer than the next consent starts
or ends."""

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "content:generation"
MAX_AGE = 300  # seconds: a bound for whatever no service saw (a consent row edited by hand)


def content_changed() -> None:
    """Call from every write that changes what learners see: now, for the rest of this
    transaction, and again after commit, so a page cached from the old rows in between dies."""
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)


def generation() -> str:
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)  # add: a writer's newer one wins
        current = cache.get(GENERATION_KEY)
    return current


def cached(name: str, compute: Callable[[], object]) -> object:
    """`compute()`, kept until content changes; `name` must say everything the value depends
    on besides content (language, age, filters)."""
    key = f"content:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        from awareness.safety.selectors import next_consent_change

        value = compute()
        now = timezone.now()
        change = next_consent_change(now)
        seconds = MAX_AGE if change is None else (change - now).total_seconds()
        cache.set(key, value, max(1, min(MAX_AGE, int(seconds))))
    return value
