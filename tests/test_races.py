"""Commands that arrive at the same moment: on PostgreSQL several run at once (threads of one
process, or several processes), on SQLite one writer at a time. Either way the rows must come
out as if the commands had run one after another: one workspace, channel, member and project
however many first see them, one blocker, one "done", a status that matches its blockers, and
task numbers without gaps or duplicates."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.console import ConsoleBot
from handlers import Reply
from storage.models import Blocker, Task, TaskEvent
from tests.conftest import NOW, count, task


def race(bots: list[ConsoleBot], texts: list[str]) -> list[Reply]:
    """Each bot says its text, all released at the same moment (one thread each)."""
    assert len(bots) == len(texts)
    barrier = threading.Barrier(len(bots))
    replies: list[Reply | None] = [None] * len(bots)

    def speak(i: int) -> None:
        barrier.wait(timeout=30)
        replies[i] = bots[i].reply(texts[i])

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(len(bots))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a command never finished"
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]


def said(reply: Reply) -> str:
    return "\n".join([reply.title, *(line.text for line in reply.lines)])


def errors(replies: list[Reply]) -> list[str]:
    return [said(r) for r in replies if r.error]


def numbers(db) -> list[int]:
    with Session(db.engine) as s:
        return sorted(s.exec(select(Task.number)))


def status_events(db, number: int) -> list[tuple[str | None, str | None]]:
    with Session(db.engine) as s:
        t = task(db, number)
        rows = s.exec(
            select(TaskEvent.old, TaskEvent.new)
            .where(TaskEvent.task_id == t.id, TaskEvent.field == "status")
            .order_by(col(TaskEvent.id))
        )
        return [(old, new) for old, new in rows]


def open_blockers(db, number: int) -> int:
    with Session(db.engine) as s:
        t = task(db, number)
        return len(
            s.exec(
                select(Blocker).where(Blocker.task_id == t.id, col(Blocker.resolved_at).is_(None))
            ).all()
        )


def assert_consistent(db, number: int) -> None:
    """The status events chain (each starts where the one before ended, at the task's status
    now), and the task is blocked exactly when it has one open blocker."""
    t = task(db, number)
    chain = status_events(db, number)
    previous = "todo"
    for old, new in chain:
        assert old == previous, chain
        previous = new
    assert previous == t.status, (chain, t.status)
    assert open_blockers(db, number) == (1 if t.status == "blocked" else 0)


# --- first sightings -----------------------------------------------------------------------------


def test_twenty_commands_that_first_see_everything_all_succeed(db, make_bot):
    """A new workspace, channel, speaker, mentioned person and project, seen by 20 commands at
    once: each command succeeds, each row is made once."""
    bots = [make_bot(user="newbie", workspace="newco", channel="launch") for _ in range(20)]
    replies = race(bots, [f"add Task {i} @bob +double11" for i in range(20)])
    assert errors(replies) == []
    assert count(db, "workspace") == 1
    assert count(db, "channel") == 1
    assert count(db, "member") == 2  # newbie and bob
    assert count(db, "project") == 1
    assert numbers(db) == list(range(1, 21))


def test_twenty_speakers_first_seen_at_once_in_a_known_channel(db, make_bot):
    make_bot(user="alice").say("add Seed")
    bots = [make_bot(user=f"user{i % 4}") for i in range(20)]
    replies = race(bots, [f"add Task {i} @owner{i % 3} +p{i % 2}" for i in range(20)])
    assert errors(replies) == []
    assert count(db, "workspace") == 1
    assert count(db, "channel") == 1
    assert count(db, "member") == 1 + 4 + 3
    assert count(db, "project") == 2
    assert numbers(db) == list(range(1, 22))


# --- changes of one task -------------------------------------------------------------------------


def test_ten_blocks_at_once_leave_one_blocker(db, bot, make_bot):
    bot.say("add Campaign brief @bob")
    bots = [make_bot(user="alice", admins=["alice"]) for _ in range(10)]
    replies = race(bots, [f"block 1 reason {i}" for i in range(10)])
    titles = Counter(r.title for r in replies)
    assert titles["#1 is blocked"] == 1, titles
    refused = errors(replies)
    assert len(refused) == 9
    assert all("#1 is already blocked (reason " in text for text in refused), refused
    assert open_blockers(db, 1) == 1
    assert status_events(db, 1) == [("todo", "blocked")]
    assert_consistent(db, 1)


def test_ten_dones_at_once_write_one_done(db, bot, make_bot):
    bot.say("add Campaign brief @bob")
    bot.say("start 1")
    bots = [make_bot(user="alice", admins=["alice"]) for _ in range(10)]
    replies = race(bots, ["done 1 shipped"] * 10)
    assert [r.title for r in replies].count("Done: #1") == 1
    refused = errors(replies)
    assert len(refused) == 9
    assert all(text.endswith("#1 is already done.") for text in refused), refused
    assert status_events(db, 1) == [("todo", "doing"), ("doing", "done")]
    with Session(db.engine) as s:
        progress = s.exec(
            select(TaskEvent).where(
                TaskEvent.task_id == task(db, 1).id, TaskEvent.field == "progress"
            )
        ).all()
    assert len(progress) == 1
    assert_consistent(db, 1)


def test_ten_unblocks_at_once_leave_no_blocker_and_a_consistent_status(db, bot, make_bot):
    bot.say("add Campaign brief @bob")
    bot.say("block 1 waiting for design")
    bots = [make_bot(user="alice", admins=["alice"]) for _ in range(10)]
    replies = race(bots, ["unblock 1"] * 10)
    assert [r.title for r in replies].count("#1 is unblocked") == 1
    refused = errors(replies)
    assert len(refused) == 9
    assert all(text.endswith("#1 is not blocked.") for text in refused), refused
    assert open_blockers(db, 1) == 0
    assert task(db, 1).status == "todo"
    assert status_events(db, 1) == [("todo", "blocked"), ("blocked", "todo")]
    assert_consistent(db, 1)


def test_blocks_unblocks_and_dones_at_once_end_consistent(db, bot, make_bot):
    bot.say("add Campaign brief @bob")
    bot.say("block 1 waiting for design")
    texts = [["block 1 again", "unblock 1", "done 1"][i % 3] for i in range(12)]
    bots = [make_bot(user="alice", admins=["alice"]) for _ in texts]
    replies = race(bots, texts)
    assert not any("Something went wrong" in text for text in errors(replies))
    assert [r.title for r in replies].count("Done: #1") == 1
    assert task(db, 1).status == "done"
    assert [new for _old, new in status_events(db, 1)].count("done") == 1
    assert_consistent(db, 1)


# --- task numbers from two processes --------------------------------------------------------------

ADDS = """
import sys, threading
from datetime import datetime

from bot.console import ConsoleBot
from handlers import CoreConfig
from storage.db import Database, make_engine

url, schema, name, n, now = sys.argv[1:6]
n = int(n)
engine = make_engine(
    url, connect_args={"options": f"-csearch_path={schema}"}, pool_size=10, max_overflow=0
)
db = Database(engine)
config = CoreConfig(default_tz="Asia/Shanghai", default_lang="en")
go = threading.Event()
out = [None] * n

def add(i):
    bot = ConsoleBot(db, config, channel="launch", user=f"user{i % 4}", admins=[],
                     now=datetime.fromisoformat(now))
    go.wait(60)
    reply = bot.reply(f"add {name}-{i} @owner{i % 3} +p{i % 2}")
    out[i] = ("ERROR " + " / ".join(l.text for l in reply.lines)) if reply.error else reply.title

threads = [threading.Thread(target=add, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
print("ready", flush=True)
sys.stdin.readline()
go.set()
for t in threads:
    t.join()
for line in out:
    print(line)
db.dispose()
"""


def test_fifty_adds_from_two_processes_number_one_to_fifty(db, request):
    """Two Paceline processes on one fresh PostgreSQL database, 25 adds each at the same moment,
    first seeing the workspace, channel, speakers, owners and projects: 50 tasks, #1..#50."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two processes on one database is PostgreSQL's (SQLite runs one process)")
    _, schema = request.getfixturevalue("pg_engine_url")
    url = db.engine.url.render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACELINE_", "DATABASE_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDS, url, schema, name, "25", NOW.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("one", "two")
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            assert p.stdout.readline().strip() == "ready", p.stderr.read() if p.stderr else ""
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs), outputs
    lines = [line for out, _err in outputs for line in out.splitlines()]
    assert [line for line in lines if not line.startswith("Added #")] == []
    assert len(lines) == 50
    assert numbers(db) == list(range(1, 51))
    assert count(db, "workspace") == 1
    assert count(db, "channel") == 1
    assert count(db, "member") == 4 + 3
    assert count(db, "project") == 2


@pytest.mark.parametrize(
    "orig",
    [
        pytest.param("locked", id="sqlite busy"),
        pytest.param("40P01", id="postgres deadlock"),
        pytest.param("40001", id="postgres serialization"),
    ],
)
def test_a_command_the_database_gave_up_on_runs_once_more_and_is_kept_once(
    db, bot, monkeypatch, caplog, orig
):
    """SQLite's lock not had in time, or PostgreSQL breaking a deadlock (or a serialization
    conflict) by rolling one transaction back: nothing of the command was kept, so it runs
    again; what it wrote before the error is not there twice. Any other database error is
    not retried."""
    import sqlite3

    import psycopg
    from sqlalchemy.exc import OperationalError

    from handlers import tasks
    from storage import queries

    real, calls = queries.allocate_task_number, []

    def gives_up_once(s, ws):
        number = real(s, ws)  # a real write in the transaction that is then rolled back
        calls.append(number)
        if len(calls) == 1:
            error = (
                sqlite3.OperationalError("database is locked")
                if orig == "locked"
                else {
                    "40P01": psycopg.errors.DeadlockDetected,
                    "40001": psycopg.errors.SerializationFailure,
                }[orig]("ended by the server")
            )
            raise OperationalError("UPDATE …", {}, error)
        return number

    monkeypatch.setattr(tasks.queries, "allocate_task_number", gives_up_once)
    caplog.set_level("WARNING", logger="handlers.dispatch")
    assert "#1" in bot.say("add Write copy")
    assert calls == [1, 1] and numbers(db) == [1]
    assert "running 'add Write copy' once more" in caplog.text

    def broken(s, ws):
        raise OperationalError("UPDATE …", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(tasks.queries, "allocate_task_number", broken)
    caplog.clear()
    assert bot.reply("add Another").error
    assert "once more" not in caplog.text and numbers(db) == [1]
