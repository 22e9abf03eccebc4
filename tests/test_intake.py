"""A door's durable intake: accepted before the ack, worked once, replayed after a crash,
drained within a bound at a stop."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.intake import Intake
from storage.inbox import Inbox

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def intake(path: Path, **kw) -> Intake:
    kw.setdefault("only_process", True)
    return Intake(
        Inbox.open(f"sqlite:///{path / 'paceline.db'}"), "slack", lambda: NOW, workers=2, **kw
    )


def test_accepted_work_runs_once_and_leaves_the_inbox(tmp_path):
    door, ran = intake(tmp_path), []
    item = door.accept("trigger:T1", {"text": "add a"})
    assert door.accept("trigger:T1", {"text": "add a"}) is None  # a retry: only acked
    door.run(item, ran.append, "add a")
    assert door.drain(5) == 0
    assert ran == ["add a"] and list(door.inbox.pending()) == []


def test_what_a_killed_process_acknowledged_is_replayed_at_the_next_start(tmp_path):
    first = intake(tmp_path)
    first.accept("trigger:T1", {"text": "add a"})  # acked, then the process died
    first.accept("event:E1", {"text": "list"})
    done = first.accept("trigger:T2", {"text": "add b"})
    first.finished(done)

    again, ran = intake(tmp_path), []
    taken = again.replay(lambda item, payload: again.run(item, ran.append, payload["text"]))
    assert again.drain(5) == 0
    assert taken == 2 and sorted(ran) == ["add a", "list"]
    assert list(again.inbox.pending()) == []
    last = intake(tmp_path)
    assert last.replay(lambda item, payload: last.run(item, ran.append, "twice")) == 0


def test_on_a_shared_database_a_live_workers_lease_is_respected(tmp_path):
    first = intake(tmp_path, only_process=False)
    first.accept("event:E1", {"text": "list"})
    other = intake(tmp_path, only_process=False)
    assert other.replay(lambda item, payload: None) == 0  # the first process may be at it


def test_a_stop_waits_for_running_work_and_gives_back_what_it_cannot_wait_for(tmp_path):
    door, release, started = intake(tmp_path), threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        release.wait(10)

    stuck = door.accept("trigger:T1", {"text": "add slow"})
    door.run(stuck, slow)
    assert started.wait(5)
    assert door.drain(0) == 1  # not finished within the bound
    late = door.accept("trigger:T2", {"text": "add late"})
    door.run(late, lambda: None)  # came in while stopping: left for the next start

    nxt, ran = intake(tmp_path, only_process=False), []
    # given back, so the next start takes both at once, leases or not
    assert nxt.replay(lambda item, payload: nxt.run(item, ran.append, payload["text"])) == 2
    nxt.drain(5)
    assert sorted(ran) == ["add late", "add slow"]
    release.set()


def test_a_failing_job_is_logged_once_and_not_replayed_forever(tmp_path, caplog):
    door = intake(tmp_path)
    item = door.accept("trigger:T1", {})

    def boom() -> None:
        raise RuntimeError("bug")

    door.run(item, boom)
    door.drain(5)
    assert "slack work failed" in caplog.text
    assert list(door.inbox.pending()) == []


def test_the_lease_runs_out_on_a_shared_database(tmp_path):
    clock = [NOW]
    first = Intake(
        Inbox.open(f"sqlite:///{tmp_path / 'p.db'}"), "wecom", lambda: clock[0], workers=1
    )
    first.accept("aibot:M1", {"text": "帮助"})
    clock[0] = NOW + timedelta(minutes=3)
    ran: list[str] = []
    assert first.replay(lambda item, payload: first.run(item, ran.append, payload["text"])) == 1
    first.drain(5)
    assert ran == ["帮助"]


def test_during_a_burst_of_acks_work_waits_for_a_pause_but_not_forever(tmp_path):
    """A worker starts the next request once no ack came for `quiet` seconds, or after
    `max_yield` whatever comes: the acks keep the interpreter lock to themselves in a burst."""
    clock = {"t": 0.0}
    slept: list[float] = []
    door = intake(
        tmp_path,
        quiet=0.005,
        max_yield=0.2,
        monotonic=lambda: clock["t"],
        sleep=lambda s: (slept.append(s), clock.__setitem__("t", clock["t"] + s)),
    )
    door.accept("event:E1", {})
    door._let_acks_pass()  # an ack just now: wait out one quiet spell
    assert slept == [0.005]

    slept.clear()
    door._let_acks_pass()  # no ack since: start at once
    assert slept == []

    def burst(seconds: float) -> None:  # an ack arrives during every wait
        slept.append(seconds)
        clock["t"] += seconds
        door.accept(f"event:{clock['t']}", {})

    door._sleep = burst
    door.accept("event:E2", {})
    door._let_acks_pass()
    assert len(slept) == 40 and abs(sum(slept) - 0.2) < 1e-9  # gave up after max_yield
    assert door.drain(5) == 0
