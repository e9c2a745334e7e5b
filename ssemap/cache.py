"""A cache backend that fails soft: the cache is an optimisation, never a reason for a 500.

``FailSoftCache`` wraps the configured backend (``WRAPPED_BACKEND``: LocMem, file, Redis).
When a read fails it answers a miss, when a write fails it does nothing, so every page is
computed as if nothing were cached; a warning is logged (at most once a minute per process and
operation, so an outage does not flood the logs) and ``/healthz`` reports the cache as
degraded (``check()``). Counters (``add``, ``incr``, ``decr``) still raise: their users (rate
limits, locks) must decide what a missing counter means, not receive a silent default.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

WARNING_INTERVAL = 60  # seconds between two warnings about the same operation


class FailSoftCache(BaseCache):
    def __init__(self, location, params):
        params = dict(params)
        self._wrapped_class = import_string(params.pop("WRAPPED_BACKEND"))
        super().__init__(params)
        self._location, self._params = location, params
        self._wrapped = None
        self._warned = {}

    @property
    def wrapped(self):
        """The real backend, built on first use (and again after a failed build: a file cache
        whose directory cannot be made fails in its constructor)."""
        if self._wrapped is None:
            self._wrapped = self._wrapped_class(self._location, self._params)
        return self._wrapped

    def _failed(self, operation):
        now = time.monotonic()
        if now - self._warned.get(operation, -WARNING_INTERVAL) >= WARNING_INTERVAL:
            self._warned[operation] = now
            log.warning("cache %s failed: answering without the cache", operation, exc_info=True)

    def check(self):
        """Write and read back a probe through the wrapped backend; raises when it cannot."""
        self.wrapped.set("ssemap:healthz", 1, 10)
        if self.wrapped.get("ssemap:healthz") != 1:
            raise OSError("the cache does not keep what it is given")

    # -- reads: a failure is a miss --------------------------------------------------------------

    def get(self, key, default=None, version=None):
        try:
            return self.wrapped.get(key, default, version)
        except Exception:
            self._failed("read")
            return default

    def get_many(self, keys, version=None):
        try:
            return self.wrapped.get_many(keys, version)
        except Exception:
            self._failed("read")
            return {}

    def has_key(self, key, version=None):
        try:
            return self.wrapped.has_key(key, version)
        except Exception:
            self._failed("read")
            return False

    # -- writes: a failure is nothing kept -------------------------------------------------------

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            self.wrapped.set(key, value, timeout, version)
        except Exception:
            self._failed("write")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self.wrapped.set_many(data, timeout, version)
        except Exception:
            self._failed("write")
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self.wrapped.touch(key, timeout, version)
        except Exception:
            self._failed("write")
            return False

    def delete(self, key, version=None):
        try:
            return self.wrapped.delete(key, version)
        except Exception:
            self._failed("write")
            return False

    def delete_many(self, keys, version=None):
        try:
            self.wrapped.delete_many(keys, version)
        except Exception:
            self._failed("write")

    def clear(self):
        try:
            self.wrapped.clear()
        except Exception:
            self._failed("write")

    def close(self, **kwargs):
        if self._wrapped is None:
            return
        try:
            self._wrapped.close(**kwargs)
        except Exception:
            self._failed("close")

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.set(key, value, timeout, version)
        return value

    # -- counters: a failure is the caller's to handle -------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self.wrapped.add(key, value, timeout, version)
        except Exception:
            self._failed("add")
            raise

    def incr(self, key, delta=1, version=None):
        try:
            return self.wrapped.incr(key, delta, version)
        except ValueError:  # no such key: the backend's own answer, not a failure
            raise
        except Exception:
            self._failed("incr")
            raise

    def decr(self, key, delta=1, version=None):
        try:
            return self.wrapped.decr(key, delta, version)
        except ValueError:
            raise
        except Exception:
            self._failed("decr")
            raise
