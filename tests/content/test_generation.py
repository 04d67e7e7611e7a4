"""The content generation: a change shows at once in the process that made it, and within
CONTENT_GENERATION_RECHECK seconds in every other one."""

import time

import pytest
from django.core.cache import cache

from awareness.content import caching


@pytest.fixture
def recheck(settings, monkeypatch):
    settings.CONTENT_GENERATION_RECHECK = 0.3
    monkeypatch.setattr(caching, "_seen", [None, 0.0])  # as a process that has read nothing
    monkeypatch.setattr(caching, "_lifetime", lambda: 60)  # no consent change due


def test_a_change_shows_at_once_here_and_within_the_recheck_interval_elsewhere(recheck, db):
    computed = []
    value = lambda: caching.cached("answer", lambda: computed.append(1) or len(computed))  # noqa: E731
    assert value() == value() == 1  # computed once, then kept

    caching.content_changed()  # a change in this process
    assert value() == 2

    cache.set(caching.GENERATION_KEY, "changed-by-another-process", None)
    assert value() == 2  # not looked at again yet
    time.sleep(0.35)
    assert value() == 3
    assert caching.generation() == "changed-by-another-process"


def test_a_kept_value_is_not_served_past_its_lifetime(recheck, monkeypatch):
    monkeypatch.setattr(caching, "_lifetime", lambda: 1)
    computed = []
    value = lambda: caching.cached("short", lambda: computed.append(1) or len(computed))  # noqa: E731
    assert value() == value() == 1
    time.sleep(1.05)
    assert value() == 2
