"""What the end-to-end harnesses of tests/test_slack.py and tests/test_wecom.py share: the door's
work pool tracked so that a test can wait until it is idle, `paceline serve` on port 0 around it,
and a log handler that collects the errors the server logs."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import pytest
from waitress import wasyncore

import bot.intake
from bot.door import Clock, Door, wall_clock
from bot.doors import configured_doors
from bot.web import make_server

__all__ = ["DoorHarness", "ErrorLog", "TrackedPool"]


class TrackedPool(ThreadPoolExecutor):
    """A door's work pool (Bolt's listener pool, the WeCom door's answers), remembering what it
    ran so a test can wait until it is idle; with ``check_failures``, ``drain`` also sees that
    nothing it ran raised. ``noun`` names what runs in it, in ``drain``'s messages."""

    def __init__(
        self, *args: Any, noun: str = "task", check_failures: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.noun, self.check_failures = noun, check_failures
        self.futures: list = []
        self.lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        with self.lock:
            self.futures.append(future)
        return future

    def drain(self, timeout: float = 10) -> None:
        while True:
            with self.lock:
                pending = [f for f in self.futures if not f.done()]
            if not pending:
                break
            _, late = wait(pending, timeout)
            assert not late, f"{len(late)} {self.noun}(s) still running after {timeout}s"
        if not self.check_failures:
            return
        with self.lock:  # each one is checked once
            failed = [f.exception() for f in self.futures if f.exception() is not None]
            self.futures.clear()
        assert not failed, f"the work pool raised: {failed!r}"


class DoorHarness:
    """`paceline serve` on 127.0.0.1 port 0 in a daemon thread, serving the one door the settings
    configure, its work pool a :class:`TrackedPool` (``self.pool``). A harness calls
    :meth:`open_doors`, sets up the door (``self.door``), then calls :meth:`serve`; :meth:`close`
    when the test ends."""

    def open_doors(
        self,
        settings,
        db,
        monkeypatch: pytest.MonkeyPatch,
        *,
        clock: Clock = wall_clock,
        **pool_options: Any,
    ) -> Door:
        """The door, handed ``clock``, the pool its intake makes (bot/intake.py) tracked."""
        pools: list[TrackedPool] = []

        def pool(*args, **kwargs) -> TrackedPool:
            pools.append(TrackedPool(*args, **pool_options, **kwargs))
            return pools[-1]

        monkeypatch.setattr(bot.intake, "ThreadPoolExecutor", pool)
        [self.door] = configured_doors(settings, db, clock)
        [self.pool] = pools
        return self.door

    def serve(self, settings, db) -> int:
        """Start the server; the port it took."""
        self.server = make_server(settings, db, host="127.0.0.1", port=0, doors=[self.door])
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        return self.server.effective_port

    def close(self) -> None:
        self.drain()
        stop_server(self.server, self.thread)
        self.pool.shutdown(wait=True)  # and so do the done-callbacks of what it ran

    def drain(self) -> None:
        self.pool.drain()


class ErrorLog(logging.Handler):
    """Errors logged by the loggers under ``watched`` (top-level names: "bot", "waitress")."""

    def __init__(self, watched: tuple[str, ...]) -> None:
        super().__init__(logging.ERROR)
        self.watched = watched
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in self.watched:
            self.records.append(record)

    def take(self) -> list[str]:
        """The messages logged so far, forgotten (a test that expects them takes them)."""
        taken, self.records = [r.getMessage() for r in self.records], []
        return taken


def stop_server(server, thread: threading.Thread) -> None:
    """Stop a waitress server running in `thread`: requests in flight finish first, then every
    socket closes inside the server's own loop (closing them from here races its select)."""
    server.task_dispatcher.shutdown()
    try:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    except OSError:  # its pipe is closed already (seen once in CI): the loop cannot be woken
        wasyncore.close_all(server._map)  # so close from here; an emptied map ends the loop
    thread.join(timeout=5)
    assert not thread.is_alive()
