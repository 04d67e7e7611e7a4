"""The Redis cache keeps one client per connection pool, still behaves as Django's, and fails
soft while Redis is away."""

import time
from urllib.parse import urlsplit

import pytest

from awareness.lib.cache import RETRY_SECONDS, RedisCache


def test_redis_cache_reuses_its_client_and_round_trips_values(redis_url):
    cache = RedisCache(redis_url, {"KEY_PREFIX": "cache-test"})

    cache.set("page", {"html": "<p>hi</p>"}, 30)
    assert cache.get("page") == {"html": "<p>hi</p>"}
    assert cache.add("page", "other", 30) is False
    assert cache.add("hits", 1, 30) is True
    assert cache.incr("hits") == 2
    cache.delete_many(["page", "hits"])
    assert cache.get_many(["page", "hits"]) == {}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_while_redis_is_away_reads_miss_and_nothing_stale_comes_back(
    redis_forwarder, redis_url, caplog
):
    database = int(urlsplit(redis_url).path.strip("/") or 0)
    cache = RedisCache(redis_forwarder.url(database), {"KEY_PREFIX": "cache-outage-test"})
    cache.set("session", "before", 30)

    redis_forwarder.cut()
    assert cache.get("session") is None  # a miss, not an error: the database has it
    cache.set("session", "during", 30)  # dropped, as the database got the new value
    assert cache.add("hits", 1, 30) is False
    with pytest.raises(ValueError):  # Django's answer for what cannot be counted
        cache.incr("hits")
    assert not cache.reachable
    redis_forwarder.restore()
    time.sleep(RETRY_SECONDS + 0.1)  # within the interval the process does not even try

    assert cache.get("session") is None  # the copy from before the outage is gone
    assert cache.reachable
    cache.set("session", "after", 30)
    assert cache.get("session") == "after"
    warnings = [r.getMessage() for r in caplog.records if r.name == "awareness.lib.cache"]
    assert len(warnings) == 2  # one when it went, one when it came back
    assert "unreachable" in warnings[0] and "deleted 2 keys" in warnings[1]  # session, hits
