"""Django's Redis cache builds a new redis-py client for every get and set, and building one
costs more than the round trip itself (redis-py fills its reply tables each time): keep one
client per connection pool for the life of the process instead."""

from django.core.cache.backends import redis as django_redis


class _OneClientPerPool(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # redis-py clients are safe to share between threads: each command borrows a
            # connection from the pool, which also starts afresh in a forked child.
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
