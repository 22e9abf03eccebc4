"""A monotonic clock for the code that waits (backoffs, pacing, Retry-After): it moves only when
something sleeps on it (or a test advances it), `sleeps` records every wait, and nothing really
waits."""

from __future__ import annotations

import threading


class SleepClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.t, self.sleeps = start, []
        self.lock = threading.Lock()

    def now(self) -> float:
        with self.lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.t += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.t += seconds
