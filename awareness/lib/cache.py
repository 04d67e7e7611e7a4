"""The Redis cache, built for speed and for Redis being away.

Django's Redis cache builds a new redis-py client for every get and set, and building one
costs more than the round trip itself (redis-py fills its reply tables each time): keep one
client per connection pool for the life of the process instead.

Redis is never the only copy of anything, so while it cannot be reached the cache fails soft:
reads miss, writes are dropped, and pages fall back to the database (slower, correct). One
warning per outage, not one per request; for RETRY_SECONDS after a failure the process does not
even try. Keys whose writes were dropped are deleted when Redis answers again, so this process
never reads back a copy older than the database's (a session saved meanwhile, say)."""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 2.0
MAX_DROPPED = 100_000  # keys remembered for deletion; past this, stale copies may remain


class _Outage:
    """Whether Redis is away, since when to try again, and what writes it missed."""

    def __init__(self):
        self.retry_at: float | None = None  # None: Redis answered last time
        self.dropped: set[str] = set()
        self.lock = threading.Lock()

    def begin(self, error: Exception) -> None:
        with self.lock:
            if self.retry_at is None:
                logger.warning("The cache is unreachable; serving from the database: %s", error)
            self.retry_at = time.monotonic() + RETRY_SECONDS

    def drop(self, keys) -> None:
        with self.lock:
            if len(self.dropped) < MAX_DROPPED:
                self.dropped.update(keys)
            elif self.dropped:
                logger.error("Over %s cache writes dropped; some may be stale", MAX_DROPPED)


class _OneClientPerPool(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self.outage = _Outage()

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # redis-py clients are safe to share between threads: each command borrows a
            # connection from the pool, which also starts afresh in a forked child.
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    @property
    def reachable(self) -> bool:
        return self.outage.retry_at is None

    def _soft(self, fallback, call, *args, writes=()):
        """`call(*args)`, or `fallback` (returned, or raised if an exception) while Redis is
        away; `writes` are the keys the call would have changed."""
        retry_at = self.outage.retry_at
        if retry_at is not None and time.monotonic() < retry_at:
            return self._missed(fallback, writes)
        try:
            if retry_at is not None:
                self._end_outage()
            return call(*args)
        except UNREACHABLE as error:
            self.outage.begin(error)
            return self._missed(fallback, writes)

    def _missed(self, fallback, writes):
        self.outage.drop(writes)
        if isinstance(fallback, Exception):
            raise fallback
        return fallback

    def _end_outage(self) -> None:
        """Forget what changed while Redis was away, then use it again."""
        with self.outage.lock:
            stale = list(self.outage.dropped)
        if stale:
            super().delete_many(stale)
        else:
            self.get_client(write=True).ping()
        with self.outage.lock:
            self.outage.dropped.difference_update(stale)
            self.outage.retry_at = None
        logger.warning(
            "The cache answers again; deleted %s keys written while it was away", len(stale)
        )

    def add(self, key, value, timeout):
        return self._soft(False, super().add, key, value, timeout, writes=[key])

    def get(self, key, default):
        return self._soft(default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._soft(None, super().set, key, value, timeout, writes=[key])

    def touch(self, key, timeout):
        return self._soft(False, super().touch, key, timeout)

    def delete(self, key):
        return self._soft(False, super().delete, key, writes=[key])

    def get_many(self, keys):
        return self._soft({}, super().get_many, keys)

    def has_key(self, key):
        return self._soft(False, super().has_key, key)

    def incr(self, key, delta):
        # Django's contract for a key it cannot count: ValueError (rate limits then refuse).
        return self._soft(ValueError("the cache is unreachable"), super().incr, key, delta)

    def set_many(self, data, timeout):
        return self._soft(None, super().set_many, data, timeout, writes=list(data))

    def delete_many(self, keys):
        return self._soft(None, super().delete_many, keys, writes=list(keys))


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    @property
    def reachable(self) -> bool:
        """False while Redis is away (reads miss, writes are dropped)."""
        return self._cache.reachable
