"""The Redis cache keeps one client per connection pool, and still behaves as Django's."""

from awareness.lib.cache import RedisCache


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
