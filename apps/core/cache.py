"""Django's Redis cache, made to stand through an outage of Redis.

When Redis cannot be reached every operation behaves as a miss (``get`` returns the
default, ``add`` and ``delete`` return False, ``get_many`` returns nothing…), so pages
are built from the database instead of failing. The outage is logged twice: a warning
when Redis goes away and an info line when it is back, once per process, whatever
the number of calls in between.

While Redis is down, calls skip it for ``RETRY_INTERVAL`` seconds (an ``OPTIONS`` key,
default 2) after each failed attempt, so a cache that does not answer at all costs a
request at most one connection timeout now and then, not one per call.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis is unreachable, or too slow to answer: anything else (a wrong command, a
# value that cannot be unpickled) is a bug and still raises.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def describe(servers):
    """The servers' addresses without credentials, for the log."""
    addresses = []
    for server in servers:
        parts = urlsplit(server)
        addresses.append(f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else server)
    return ", ".join(addresses)


class Outage:
    """Whether one Redis server is down, shared by every thread of the process."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0

    def skipping(self):
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error, retry_interval):
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + retry_interval
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "Cache unreachable at %s (%s): serving pages without it until it is back",
            self.name,
            error,
        )

    def succeeded(self):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
        logger.info("Cache back at %s after %.0f s", self.name, seconds)


_outages = {}
_outages_lock = threading.Lock()


def outage_for(servers):
    key = tuple(servers)
    with _outages_lock:
        if key not in _outages:
            _outages[key] = Outage(describe(servers))
        return _outages[key]


class PooledClients(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool.

    Django makes a new ``redis.Redis`` for every call, and redis-py 8 fills a table
    of some 170 response callbacks in each: 0.14 ms of a page served from the cache,
    whose whole work is one ``MGET``. A ``redis.Redis`` holds no connection of its own
    (its pool lends one per command) and may be shared between threads, so one per
    pool is enough; the pool itself starts afresh in a forked worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that treats an unreachable Redis
    as an empty cache. Use it with short ``socket_connect_timeout`` and
    ``socket_timeout`` options so that a silent server cannot hold a worker."""

    retry_interval = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClients
        # Ours, not a redis-py connection option: take it out before the pool sees it.
        self._options = dict(self._options)
        self.retry_interval = float(self._options.pop("RETRY_INTERVAL", self.retry_interval))
        self._outage = outage_for(self._servers)

    def _guard(self, operation, miss, *args):
        outage = self._outage
        if outage.skipping():
            return miss
        try:
            result = operation(*args)
        except UNAVAILABLE as error:
            outage.failed(error, self.retry_interval)
            return miss
        outage.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key is a ValueError for incr() and decr(): so is an unreachable one.
        missing = object()
        value = self._guard(super().incr, missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Returns the keys that could not be stored, as Django's backends do.
        return self._guard(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guard(super().delete_many, None, keys, version)

    def clear(self):
        return self._guard(super().clear, False)
