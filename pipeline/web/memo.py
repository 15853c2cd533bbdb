"""A small in-process cache where one key is worked out once at a time.

Why: a run's research and people layers run side by side and both want the same company's
site read (and search results); the second caller must wait for the first read instead of
fetching the site again. Entries live `seconds` and the oldest go beyond `size`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    def __init__(self, seconds: float, size: int) -> None:
        self.seconds, self.size = seconds, size
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[K, threading.Lock] = {}

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for `key`, or `make()`'s (one caller at a time per key; the others wait for it)."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._entries.get(key)
                if hit and time.monotonic() - hit[0] < self.seconds:
                    return hit[1]
            value = make()
            with self._lock:
                self._entries[key] = (time.monotonic(), value)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._key_locks.clear()
