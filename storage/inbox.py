"""The inbox: every request a door acknowledged and has not finished, written before the ack so
that a restart finds it. A delivery key (Slack's event_id or trigger_id, WeCom's msgid) is
taken once: a platform's retry, or a replayed request, finds its key and is not written again.

On SQLite the inbox is a file of its own beside the database (`paceline.db` →
`paceline-inbox.db`), so an ack never waits for the main file's write lock held by a command
at work; on PostgreSQL it is a table in the same database. It has its own schema (created if
missing): rows live minutes, not years, and hold the raw request, not the model."""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    false,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from storage.db import make_engine


def _stamp(moment: datetime) -> str:
    """A moment as SQLAlchemy writes a DateTime to SQLite (UTC, so they compare as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sql(flag: bool) -> ColumnElement[bool]:
    return true() if flag else false()


SCHEMA = MetaData()
inbox = Table(
    "inbox",
    SCHEMA,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("key", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # the request as the door will need it again
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("leased_until", DateTime(timezone=True), nullable=True),  # a worker has it till then
    Column("done_at", DateTime(timezone=True), nullable=True, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    UniqueConstraint("platform", "key", name="uq_inbox_key"),
)


def not_the_inbox(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    """For Alembic (`include_object`): the inbox keeps its own schema, out of the migrations."""
    table = obj if kind == "table" else getattr(obj, "table", None)
    return getattr(table, "name", None) != inbox.name


@dataclass
class _Job:
    """A write handed to the writer thread: a request to put (its row's values), or a request
    done (its id and when)."""

    put: tuple | None = None  # (platform, key, payload, received_at, leased_until)
    done: tuple | None = None  # (item id, done_at)
    row: int | None = None
    error: Exception | None = None
    finished: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Item:
    id: int
    platform: str
    key: str
    payload: dict
    attempts: int


def inbox_url(database_url: str) -> str:
    """Where the inbox of a database lives: a sibling SQLite file, or the same PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return database_url
    if not url.database or url.database == ":memory:":
        return "sqlite://"  # a test's in-memory database: an in-memory inbox
    path = url.database
    stem, dot, suffix = path.rpartition(".")
    name = f"{stem}-inbox.{suffix}" if dot and "/" not in suffix else f"{path}-inbox"
    return str(url.set(database=name))


class Inbox:
    def __init__(self, engine: Engine, *, owned: bool = True) -> None:
        self.engine, self.owned = engine, owned
        SCHEMA.create_all(engine, checkfirst=True)
        # SQLite has one writer at a time, and a writer that finds the file locked sleeps in
        # steps of up to 100 ms: the acks would wait behind each other's sleeps. Writers of this
        # process take turns here instead (an embedded database has one process).
        self._turn: AbstractContextManager = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        # The ack's own write, on a file: one plain sqlite3 connection, a fraction of a
        # millisecond (SQLAlchemy's round of pool, BEGIN and ORM-free Core still costs ~1 ms,
        # which capped the acks at a few hundred a second).
        self._raw: sqlite3.Connection | None = None
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if path and path != ":memory:":
            self._raw = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._raw.execute("PRAGMA journal_mode=WAL")
            self._raw.execute("PRAGMA synchronous=NORMAL")
            self._raw.execute("PRAGMA busy_timeout=5000")
            # One writer thread commits what the acks and the workers hand it, many to a
            # transaction: each caller waits for its own row, never for the others' turns.
            self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
            self._writer = threading.Thread(target=self._write_batches, daemon=True)
            self._writer.start()

    def _write(self, job: _Job) -> int | None:
        self._jobs.put(job)
        job.finished.wait()
        if job.error is not None:
            raise job.error
        return job.row

    def _write_batches(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            while len(batch) < 256:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._jobs.put(None)
                    break
                batch.append(more)
            with self._turn:
                self._put_all([each for each in batch if each.put is not None])
                self._done_all([each for each in batch if each.done is not None])
            for each in batch:
                each.finished.set()

    # Each batch is one statement per kind, run outside any BEGIN: every call into sqlite3
    # lets go of the GIL, and a thread of this process busy with a command can hold it for a
    # whole switch interval (5 ms) before this one gets it back — per statement, not per batch.

    def _put_all(self, jobs: list[_Job]) -> None:
        if not jobs:
            return
        assert self._raw is not None
        rows = ", ".join(["(?, ?, ?, ?, ?, 1)"] * len(jobs))
        try:
            taken = self._raw.execute(
                "INSERT INTO inbox (platform, key, payload, received_at, leased_until, attempts)"
                f" VALUES {rows} ON CONFLICT (platform, key) DO NOTHING"
                " RETURNING id, platform, key",
                [value for each in jobs for value in each.put or ()],
            ).fetchall()
        except Exception as err:  # the whole batch failed: each caller hears it
            for each in jobs:
                each.error = err
            return
        ids = {(platform, key): item for item, platform, key in taken}
        for each in jobs:  # a key twice in one batch: the first caller has it, the next not
            platform, key = each.put[:2] if each.put else ("", "")
            each.row = ids.pop((platform, key), None)

    def _done_all(self, jobs: list[_Job]) -> None:
        if not jobs:
            return
        assert self._raw is not None
        marks = ", ".join("?" * len(jobs))
        try:
            self._raw.execute(
                f"UPDATE inbox SET done_at = ? WHERE id IN ({marks})",
                [max(each.done[1] for each in jobs if each.done)]
                + [each.done[0] for each in jobs if each.done],
            )
        except Exception as err:
            for each in jobs:
                each.error = err

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._turn, self.engine.begin() as conn:
            yield conn

    @classmethod
    def open(cls, database_url: str) -> Inbox:
        url = inbox_url(database_url)
        if url == "sqlite://":  # one in-memory database for every connection
            return cls(make_engine(url, poolclass=StaticPool))
        return cls(make_engine(url))

    @classmethod
    def beside(cls, engine: Engine) -> Inbox:
        """The inbox of the database `engine` opens: its own SQLite file, or PostgreSQL's
        engine itself (and so its schema)."""
        if engine.dialect.name != "sqlite":
            return cls(engine, owned=False)
        return cls.open(engine.url.render_as_string(hide_password=False))

    def dispose(self) -> None:
        if self._raw is not None:
            self._jobs.put(None)
            self._writer.join(5)
            self._raw.close()
        if self.owned:
            self.engine.dispose()

    def put(
        self, platform: str, key: str, payload: dict, now: datetime, lease: timedelta
    ) -> int | None:
        """Write a request before its ack, leased to the caller; None when its key was taken
        before (a retry or a replay: acknowledge it and do nothing)."""
        if self._raw is not None:
            return self._write(
                _Job(
                    put=(
                        platform,
                        key[:200],
                        json.dumps(payload, ensure_ascii=False),
                        _stamp(now),
                        _stamp(now + lease),
                    )
                )
            )
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = (
            insert(inbox)
            .values(
                platform=platform,
                key=key[:200],
                payload=json.dumps(payload, ensure_ascii=False),
                received_at=now,
                leased_until=now + lease,
                attempts=1,
            )
            .on_conflict_do_nothing(index_elements=["platform", "key"])
            .returning(inbox.c.id)
        )
        with self._writing() as conn:
            return conn.execute(stmt).scalar()

    def done(self, item_id: int, now: datetime) -> None:
        if self._raw is not None:
            self._write(_Job(done=(item_id, _stamp(now))))
            return
        with self._writing() as conn:
            conn.execute(update(inbox).where(inbox.c.id == item_id).values(done_at=now))

    def release(self, item_ids: list[int]) -> None:
        """Give back unfinished requests (a shutdown that could not wait for them), so the
        next start takes them at once instead of after their lease."""
        if not item_ids:
            return
        with self._writing() as conn:
            conn.execute(
                update(inbox)
                .where(inbox.c.id.in_(item_ids), inbox.c.done_at.is_(None))
                .values(leased_until=None)
            )

    def forget(self, platform: str, key: str) -> None:
        """Take a key back, so that a request refused for its content may be sent again."""
        with self._writing() as conn:
            conn.execute(
                delete(inbox).where(inbox.c.platform == platform, inbox.c.key == key[:200])
            )

    def claim(
        self,
        now: datetime,
        lease: timedelta,
        *,
        platform: str | None = None,
        everything: bool = False,
        limit: int = 100,
    ) -> list[Item]:
        """Unfinished requests whose worker is gone (its lease ran out: a crash, a kill, a
        shutdown that could not wait), leased to the caller, oldest first. `everything`: leases
        too, for the one process an embedded database has (at its start, nobody else works)."""
        free = and_(
            inbox.c.done_at.is_(None),
            or_(inbox.c.leased_until.is_(None), inbox.c.leased_until < now, _sql(everything)),
            inbox.c.platform == platform if platform is not None else true(),
        )
        with self._writing() as conn:
            ids = [
                row.id
                for row in conn.execute(
                    select(inbox.c.id).where(free).order_by(inbox.c.id).limit(limit)
                )
            ]
            claimed: list[Item] = []
            for item_id in ids:
                taken = conn.execute(
                    update(inbox)
                    .where(inbox.c.id == item_id, free)
                    .values(leased_until=now + lease, attempts=inbox.c.attempts + 1)
                    .returning(inbox.c.platform, inbox.c.key, inbox.c.payload, inbox.c.attempts)
                ).first()
                if taken is not None:
                    claimed.append(
                        Item(
                            item_id,
                            taken.platform,
                            taken.key,
                            json.loads(taken.payload),
                            taken.attempts,
                        )
                    )
            return claimed

    def pending(self) -> Iterator[tuple[str, str, int]]:
        """(platform, key, attempts) of every unfinished request."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(inbox.c.platform, inbox.c.key, inbox.c.attempts)
                .where(inbox.c.done_at.is_(None))
                .order_by(inbox.c.id)
            )
            yield from ((r.platform, r.key, r.attempts) for r in rows)

    def prune(self, before: datetime) -> int:
        """Forget finished requests older than `before` (their keys keep retries away until
        then: a day is far past every platform's retry window)."""
        with self._writing() as conn:
            result = conn.execute(
                delete(inbox).where(inbox.c.done_at.is_not(None), inbox.c.received_at < before)
            )
            return int(getattr(result, "rowcount", 0) or 0)
