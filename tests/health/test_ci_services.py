"""In CI (REQUIRE_SERVICES=1) the suite runs on the production parts, or fails."""

from channels.layers import get_channel_layer
from django.conf import settings


def test_the_database_is_postgresql(postgresql):
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_the_cache_is_redis(redis_url):
    assert settings.CACHES["default"]["BACKEND"] == "awareness.lib.cache.RedisCache"
    assert settings.CACHES["default"]["LOCATION"] == redis_url


def test_celery_queues_tasks_on_a_server_broker(redis_url):
    assert settings.CELERY_BROKER_URL.split("://")[0] in {"redis", "amqp"}


def test_the_channel_layer_is_redis(redis_url):
    from channels_redis.core import RedisChannelLayer

    assert isinstance(get_channel_layer(), RedisChannelLayer)
    (host,) = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]
    assert (host["address"] if isinstance(host, dict) else host) == redis_url
