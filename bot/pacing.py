"""Keeping to a platform's rate: at most so many sends per key (a channel, a robot) a period."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

ROBOT_PER_MINUTE = 20


class Pacer:
    """At most `limit` sends per `per` seconds for each key: callers wait their turn (queue),
    they are never refused. The clock and sleep are inputs, so tests pin time."""

    def __init__(
        self,
        limit: int = ROBOT_PER_MINUTE,
        per: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit, self.per, self.clock, self.sleep = limit, per, clock, sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Block until a send for `key` is allowed; returns how long it waited."""
        waited = 0.0
        while True:
            with self._lock:
                sent = self._sent.setdefault(key, deque())
                now = self.clock()
                while sent and now - sent[0] >= self.per:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return waited
                delay = self.per - (now - sent[0])
            self.sleep(delay)
            waited += delay
