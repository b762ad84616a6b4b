"""A Redis cache that keeps the site answering while Redis is unreachable.

Rate limits (allauth and our own) live in the cache, so a plain Redis cache turns a Redis
outage into a 500 on login, /anmeldung/, password reset and the barrier report. This backend
uses Redis while it answers; when a call fails to connect it logs once, serves from a
per-process local-memory cache and tries Redis again after ``retry_after`` seconds. During an
outage rate limits count per worker process instead of site-wide: weaker, but the forms work.
"""
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FallbackRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 30))
        self._redis = RedisCache(server, {**params, "OPTIONS": options})
        self._local = LocMemCache(f"fallback:{server}", {**params, "OPTIONS": {}})
        self._down_until = None  # monotonic time of the next try while Redis is down
        self._lock = threading.Lock()

    @property
    def redis_down(self) -> bool:
        return self._down_until is not None

    def _call(self, method: str, *args, **kwargs):
        down_until = self._down_until
        if down_until is None or time.monotonic() >= down_until:
            try:
                result = getattr(self._redis, method)(*args, **kwargs)
            except UNREACHABLE as error:
                with self._lock:
                    if self._down_until is None:
                        logger.warning("Redis cache unreachable (%s); using process memory, retrying every %ss",
                                       error, self.retry_after)
                    self._down_until = time.monotonic() + self.retry_after
            else:
                if down_until is not None:
                    with self._lock:
                        self._down_until = None
                    logger.info("Redis cache reachable again")
                return result
        return getattr(self._local, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self._local.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
        self._local.close(**kwargs)
