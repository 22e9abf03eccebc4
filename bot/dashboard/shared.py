"""What several readers of the dashboard share: a page's data, computed once for everyone who
sees the same thing (a workspace's managers and admins, in one language and zone, on one day)
and kept for a few seconds. One reader computes while the others wanting the same wait for it,
instead of each computing it again: ten people refreshing a portfolio of 200 plans cost one
reading of the database, not ten (docs/benchmarks.md, "Dashboard")."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

KEPT = 1000  # entries at most; past that the oldest half is dropped


class Shared:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under `key` if it is younger than `seconds`, else `make()`'s (made by
        one caller at a time for a key; the others take what it made)."""
        if self.seconds <= 0:
            return make()
        found = self._fresh(key)
        if found is not None:
            return found[1]
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._fresh(key)
            if found is not None:
                return found[1]
            value = make()
            with self._lock:
                if len(self._entries) >= KEPT:
                    oldest = sorted(self._entries, key=lambda k: self._entries[k][0])
                    for old in oldest[: KEPT // 2]:
                        del self._entries[old]
                        self._locks.pop(old, None)
                self._entries[key] = (self.clock(), value)
            return value

    def _fresh(self, key: Hashable) -> tuple[float, Any] | None:
        entry = self._entries.get(key)
        if entry is not None and self.clock() - entry[0] < self.seconds:
            return entry
        return None
