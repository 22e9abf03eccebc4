"""A door's durable intake: what it acknowledges is in the inbox (storage/inbox.py) before the
ack, its work runs in one bounded pool, and only finished work leaves the inbox. At start a
door replays what an earlier process acknowledged and never finished (a kill, a crash, a
deploy); at a stop it drains its pool within a bound and gives the rest back to the inbox.

A platform's retry of a request, or a replayed request, finds its key taken and is only
acknowledged: each request is worked once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from datetime import timedelta
from typing import TypeVar

from bot.door import Clock, acked
from storage.inbox import Inbox

log = logging.getLogger(__name__)
T = TypeVar("T")

# A worker that holds a request longer than this is taken for dead, and the request is worked
# again by whoever claims it next: far longer than any command takes.
LEASE = timedelta(minutes=2)
# During a burst of requests a worker waits for a pause in the acks before it starts the next
# request: QUIET seconds since the last one, MAX_YIELD at most. Acks and work share the one
# interpreter lock, and a command at work holds it milliseconds at a time; the platforms give
# an ack a few seconds, a reply has no such deadline (docs/benchmarks.md, the WeCom acks).
QUIET = 0.005
MAX_YIELD = 0.2


class Intake:
    def __init__(
        self,
        inbox: Inbox,
        platform: str,
        clock: Clock,
        *,
        workers: int,
        lease: timedelta = LEASE,
        only_process: bool = False,
        quiet: float = QUIET,
        max_yield: float = MAX_YIELD,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inbox, self.platform, self.clock, self.lease = inbox, platform, clock, lease
        # An embedded database has one process: at its start, every unfinished request is an
        # earlier process's, whatever its lease says.
        self.only_process = only_process
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=platform)
        self._running: dict[Future, int | None] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._stopped = threading.Event()
        self.quiet, self.max_yield = quiet, max_yield
        self._monotonic, self._sleep = monotonic, sleep
        self._last_ack = float("-inf")

    def accept(self, key: str, payload: dict) -> int | None:
        """Write a request before it is acknowledged; None: its key was seen (ack, do nothing)."""
        self._last_ack = self._monotonic()
        acked()  # for the rest of the process that may wait (the dashboard)
        return self.inbox.put(self.platform, key, payload, self.clock(), self.lease)

    def run(self, item: int | None, fn: Callable[..., T], *args: object) -> Future[T | None] | None:
        """Work `fn(*args)` in the pool; `item` leaves the inbox when it is done (or failed:
        a failure is logged, never retried into a loop). `item` None: nothing to keep. None
        when stopping: the request waits in the inbox for the next start."""

        def work() -> T | None:
            try:
                self._let_acks_pass()
                return fn(*args)
            except Exception:
                log.exception("%s work failed: %s", self.platform, getattr(fn, "__name__", fn))
                return None
            finally:
                if item is not None:
                    self._done(item)

        with self._lock:
            if self._closed:
                if item is not None:
                    self.inbox.release([item])
                return None
            future = self.pool.submit(work)
            self._running[future] = item
        future.add_done_callback(self._forget)
        return future

    def _let_acks_pass(self) -> None:
        give_up = self._monotonic() + self.max_yield
        while (now := self._monotonic()) < give_up and now - self._last_ack < self.quiet:
            self._sleep(self.quiet)

    def _done(self, item: int) -> None:
        try:
            self.inbox.done(item, self.clock())
        except Exception:
            log.exception("%s: could not mark request %s done", self.platform, item)

    def finished(self, item: int) -> None:
        """A request whose work was all done before its ack (a form answered at once)."""
        self.inbox.done(item, self.clock())

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._running.pop(future, None)

    def replay(self, handle: Callable[[int, dict], None]) -> int:
        """Work again what was acknowledged and not finished: `handle(item, payload)` takes
        each as the door takes a live request (it calls `run` or `finished` with `item`).
        Returns how many were taken."""
        everything = self.only_process
        taken = 0
        while True:
            items = self.inbox.claim(
                self.clock(), self.lease, platform=self.platform, everything=everything
            )
            everything = False  # what this process claimed is its own now
            if not items:
                return taken
            for found in items:
                taken += 1
                try:
                    handle(found.id, found.payload)
                except Exception:
                    log.exception("%s: cannot replay request %s", self.platform, found.key)
                    self._done(found.id)

    def keep_sweeping(self, handle: Callable[[int, dict], None], every: float) -> None:
        """Every `every` seconds, take up what another process acknowledged and left (its lease
        ran out: it was killed), as `replay` does at a start; until `drain`."""

        def sweep() -> None:
            while not self._stopped.wait(every):
                try:
                    self.replay(handle)
                except Exception:
                    log.exception("%s: sweeping the inbox failed", self.platform)

        threading.Thread(target=sweep, name=f"{self.platform}-inbox", daemon=True).start()

    def drain(self, seconds: float) -> int:
        """Stop taking work, wait up to `seconds` for what runs, give back the rest; returns
        how many requests were left for the next start."""
        self._stopped.set()
        with self._lock:
            self._closed = True
            running = dict(self._running)
        _done, left = wait_for(list(running), timeout=max(seconds, 0))
        for future in left:
            future.cancel()
        self.pool.shutdown(wait=False, cancel_futures=True)
        back = [running[f] for f in left if running[f] is not None]
        self.inbox.release([i for i in back if i is not None])
        if back:
            log.warning(
                "%s: %d requests left in the inbox for the next start", self.platform, len(back)
            )
        return len(back)
