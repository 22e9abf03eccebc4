"""Storage: engine set-up, migrations, indexes and atomic task numbers, on both databases."""

from __future__ import annotations

import threading
from datetime import UTC, date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, insert, inspect, text
from sqlmodel import Session, SQLModel, select

from bot.console import ConsoleBot
from handlers import CoreConfig
from storage import queries, report_rows
from storage.db import Database, current_revision, head_revision, make_engine, upgrade
from storage.inbox import not_the_inbox
from storage.models import Channel, Member, Task, TaskEvent, TaskStatus, Workspace
from tests.conftest import NOW


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_sqlite_enforces_foreign_keys(sqlite_db):
    with pytest.raises(Exception, match="FOREIGN KEY"), sqlite_db.session() as s:
        s.add(Channel(workspace_id=999, external_id="x", tz="UTC", lang="en", created_at=NOW))


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": not_the_inbox}
        ctx = MigrationContext.configure(conn, opts=opts)
        assert compare_metadata(ctx, SQLModel.metadata) == []
    assert current_revision(db.engine) == head_revision()


def test_upgrade_downgrade_upgrade_on_a_fresh_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(engine)
    assert {"task", "task_event", "blocker", "member", "channel", "workspace", "project"} <= set(
        inspect(engine).get_table_names()
    )
    from alembic import command

    from storage.db import alembic_config

    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_database_open_migrates_automatically(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'auto.db'}")
    assert current_revision(db.engine) == head_revision()
    db.dispose()


def _seed_many(db: Database, channels: int, per_channel: int) -> None:
    """Bulk rows straight into the tables: enough that a planner prefers an index to a scan."""
    with db.session() as s:
        ws = Workspace(platform="console", external_id="bulk", created_at=NOW)
        s.add(ws)
        s.flush()
        member = Member(
            workspace_id=ws.id,
            external_id="m",
            display_name="m",
            name_key="m",
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(member)
        s.flush()
        chans = [
            Channel(workspace_id=ws.id, external_id=f"c{i}", tz="UTC", lang="en", created_at=NOW)
            for i in range(channels)
        ]
        s.add_all(chans)
        s.flush()
        statuses = list(TaskStatus)
        rows = [
            dict(
                workspace_id=ws.id,
                number=i * per_channel + j + 1,
                title=f"t{j}",
                channel_id=ch.id,
                assignee_id=member.id,
                creator_id=member.id,
                due_date=date(2026, 11, 1) + timedelta(days=j % 60),
                status=statuses[j % len(statuses)].value,
                progress=0,
                created_at=NOW,
                updated_at=NOW,
            )
            for i, ch in enumerate(chans)
            for j in range(per_channel)
        ]
        s.execute(insert(Task), rows)


PER_CHANNEL_QUERIES = {
    "open": queries.TaskFilter(channel_id=7),
    "overdue": queries.TaskFilter(channel_id=7, due_before=date(2026, 11, 26)),
    "blocked": queries.TaskFilter(channel_id=7, statuses=(TaskStatus.BLOCKED,)),
    "by assignee": queries.TaskFilter(channel_id=7, assignee_id=1),
}


@pytest.mark.parametrize("name", PER_CHANNEL_QUERIES)
def test_per_channel_queries_use_an_index_not_a_table_scan(db, name):
    _seed_many(db, channels=200, per_channel=50)
    f = PER_CHANNEL_QUERIES[name]
    with Session(db.engine) as s:
        stmt = select(Task).where(*queries._conditions(f))
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        if db.engine.dialect.name == "sqlite":
            s.exec(text("ANALYZE"))
            plan = " ".join(str(r[-1]) for r in s.exec(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "USING INDEX ix_task_channel" in plan or "USING INDEX ix_task_" in plan, plan
            assert "SCAN task" not in plan.replace("SCAN task USING", ""), plan
        else:
            s.exec(text("ANALYZE task"))
            plan = " ".join(r[0] for r in s.exec(text(f"EXPLAIN {sql}")))
            assert "Index" in plan and "Seq Scan on task" not in plan, plan
        assert len(queries.list_tasks(s, f)) <= 50


def test_task_numbers_are_unique_under_concurrent_adds(db):
    """Eight threads add ten tasks each at once: 80 tasks numbered 1..80, none lost."""
    config = CoreConfig(default_tz="Asia/Shanghai")
    ConsoleBot(db, config, user="alice", now=NOW).say("help")  # the workspace row exists first
    errors: list[str] = []

    def worker(n: int) -> None:
        bot = ConsoleBot(db, config, user=f"user{n}", now=NOW)
        for i in range(10):
            reply = bot.reply(f"add task {n}-{i}")
            if reply.error:
                errors.append(reply.lines[0].text)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session(db.engine) as s:
        numbers = sorted(s.exec(select(Task.number)))
    assert numbers == list(range(1, 81))


def test_a_command_that_could_not_get_the_write_lock_runs_once_more(sqlite_db, monkeypatch):
    """SQLite answers "database is locked" before anything is written: one more try is safe."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from storage import db as storage_db

    bot = ConsoleBot(sqlite_db, CoreConfig(), user="alice", now=NOW)
    real_begin, failures = storage_db._sqlite_begin, []

    def flaky_begin(conn) -> None:
        if not failures:
            failures.append(1)
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
            )
        real_begin(conn)

    from sqlalchemy import event

    event.remove(sqlite_db.engine, "begin", real_begin)
    event.listen(sqlite_db.engine, "begin", flaky_begin)
    assert "Added #1" in bot.say("add Survive a busy database")
    assert failures == [1]
    with Session(sqlite_db.engine) as s:
        assert [t.title for t in s.exec(select(Task))] == ["Survive a busy database"]


def test_claim_inbound_is_true_once_per_key(db):
    from datetime import UTC, datetime

    with db.session() as s:
        assert queries.claim_inbound(s, "slack", "event:Ev1", datetime.now(UTC))
        assert not queries.claim_inbound(s, "slack", "event:Ev1", datetime.now(UTC))
        assert queries.claim_inbound(s, "wecom", "event:Ev1", datetime.now(UTC))
    with db.session() as s:
        assert not queries.claim_inbound(s, "slack", "event:Ev1", datetime.now(UTC))


REPORT_QUERIES = {
    "reminder": (report_rows._DUE_BY, {"channel_id": 7, "before": date(2026, 11, 27)}),
    "digest tasks": (report_rows._OPEN_OR_CLOSED_SINCE, {"channel_id": 7, "closed_since": NOW}),
    "digest changes": (
        report_rows._CHANGES,
        {
            "channel_id": 7,
            "start": NOW - timedelta(days=7),
            "end": NOW,
            "fields": ["status", "due"],
        },
    ),
}


@pytest.mark.parametrize("name", REPORT_QUERIES)
def test_report_queries_read_one_channel_by_index(db, name):
    _seed_many(db, channels=200, per_channel=50)
    with db.session() as s:  # every task made, then changed once a day for a while
        tasks = s.exec(select(Task.id, Task.creator_id)).all()
        s.execute(
            insert(TaskEvent),
            [
                dict(task_id=i, actor_id=who, field=f, at=NOW - timedelta(days=d))
                for i, who in tasks
                for d, f in ((40, "created"), (i % 30, "status"), (i % 20, "due"))
            ],
        )
    stmt, values = REPORT_QUERIES[name]
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        sent = []
        grab = lambda *args: sent.append(args[2:4])  # noqa: E731 (statement, parameters)
        event.listen(conn, "before_cursor_execute", grab)
        conn.execute(stmt, values).fetchall()
        event.remove(conn, "before_cursor_execute", grab)
        sql, params = sent[-1]
        if db.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " | ".join(str(r[-1]) for r in rows)
            assert "SCAN task " not in f"{plan} ".replace("SCAN task USING", ""), plan
            assert "SCAN task_event " not in f"{plan} ", plan
        else:
            plan = " | ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}", params))
            assert "Seq Scan on task " not in f"{plan} ", plan
            assert "Seq Scan on task_event" not in plan, plan


def test_report_rows_gather_owners_projects_newest_open_blocker_and_last_change(db):
    bot = ConsoleBot(db, CoreConfig(default_tz="Asia/Shanghai"), now=NOW)
    bot.say("add write copy @ana +launch due:2026-11-20")
    bot.say("add book venue due:2026-11-24")
    bot.say("add plan party @ben +launch due:2026-12-20")
    bot.say("block 1 waiting for legal")
    bot.say("unblock 1")
    bot.say("block 1 printer broke cause:external")
    later = NOW + timedelta(hours=5)
    ConsoleBot(db, CoreConfig(default_tz="Asia/Shanghai"), now=later).say("progress 2 40%")
    with db.session() as s:
        channel_id = s.exec(select(Task.channel_id)).first()
        due = report_rows.due_by(s.connection(), channel_id, date(2026, 11, 25))
        week = report_rows.open_or_closed_since(s.connection(), channel_id, NOW)
        changes = report_rows.changes(
            s.connection(), channel_id, NOW, later + timedelta(seconds=1), ("status", "progress")
        )
    assert [t.number for t in due.tasks] == [1, 2]  # most overdue first; #3 is not due
    assert [t.last_at for t in due.tasks] == [None, None]  # the reminder does not ask
    assert {o.display_name for o in due.owners.values()} == {"ana", "me"}  # #2 is the speaker's
    assert set(due.projects.values()) == {"launch"}
    assert list(due.blockers.values()) == [("printer broke", "external")]
    assert [t.number for t in week.tasks] == [1, 2, 3]
    assert week.tasks[1].last_at == later and week.tasks[1].last_at.tzinfo is not None
    assert week.tasks[0].last_at == NOW
    assert {o.display_name for o in week.owners.values()} == {"ana", "me", "ben"}
    assert ("status", "blocked") in {(c.field, c.new) for c in changes}
    assert ("progress", "40") in {(c.field, c.new) for c in changes}
    assert {c.field for c in changes} == {"status", "progress"}


def test_the_upgrade_closes_duplicate_open_blockers_then_the_database_refuses_them(tmp_path):
    """An earlier version's race left a task with three open blockers: the 0009 upgrade keeps
    the newest open and closes the rest with a note; after it, a second open blocker on one
    task is refused by the database itself, while closed ones may pile up."""
    from alembic import command
    from sqlalchemy.exc import IntegrityError

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0008")
    seed_one_task(engine)  # as that version's bot would have (today's code needs the head schema)
    with engine.begin() as conn:
        for reason in ("legal", "legal again", "legal, a third time"):
            conn.execute(
                text(
                    "INSERT INTO blocker (task_id, reason, reported_by_id, reported_at)"
                    " VALUES (1, :reason, 1, :at)"
                ),
                {"reason": reason, "at": NOW},
            )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT reason, resolved_at IS NULL, note FROM blocker ORDER BY id")
        ).all()
    assert [(r[0], bool(r[1])) for r in rows] == [
        ("legal", False),
        ("legal again", False),
        ("legal, a third time", True),
    ]
    assert rows[0][2] == "closed as a duplicate by the 0009 upgrade"
    insert_open = text(
        "INSERT INTO blocker (task_id, reason, reported_by_id, reported_at)"
        " VALUES (1, 'a fourth', 1, :at)"
    )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert_open, {"at": NOW})
    with engine.begin() as conn:
        conn.execute(text("UPDATE blocker SET resolved_at = :at"), {"at": NOW})
        conn.execute(insert_open, {"at": NOW})  # closed ones do not count
    engine.dispose()


def seed_one_task(engine) -> None:
    """Workspace 1, channel 1, member 1 (alice) and task #1 "Poster", in plain SQL that any
    revision since 0004 accepts: for upgrade tests that start from an older schema."""
    statements = [
        "INSERT INTO workspace (platform, external_id, next_task_number, created_at)"
        " VALUES ('console', 'console', 2, :at)",
        "INSERT INTO channel (workspace_id, external_id, tz, lang, remind_days, digest_time,"
        " created_at) VALUES (1, 'general', 'UTC', 'en', 'mon,tue,wed,thu,fri', '10:00', :at)",
        "INSERT INTO member (workspace_id, external_id, display_name, name_key, role,"
        " created_at, updated_at) VALUES (1, 'alice', 'alice', 'alice', 'member', :at, :at)",
        "INSERT INTO task (workspace_id, number, title, channel_id, creator_id, status, progress,"
        " created_at, updated_at) VALUES (1, 1, 'Poster', 1, 1, 'todo', 0, :at, :at)",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), {"at": NOW})


def test_the_0011_upgrade_fills_each_members_last_activity_from_their_changes(tmp_path):
    """A member's last activity starts as the last change they made (the digest's "quiet for 7
    days" reads it); a member who never changed anything starts with none."""
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0009")
    seed_one_task(engine)
    later = NOW + timedelta(days=2)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO member (workspace_id, external_id, display_name, name_key, role,"
                " created_at, updated_at) VALUES (1, 'bob', 'bob', 'bob', 'member', :at, :at)"
            ),
            {"at": NOW},
        )
        for at in (NOW, later):
            conn.execute(
                text(
                    "INSERT INTO task_event (task_id, actor_id, field, old, new, at)"
                    " VALUES (1, 1, 'progress', '0', '10', :at)"
                ),
                {"at": at},
            )
    upgrade(engine)
    with Session(engine) as s:
        found = {m.external_id: m.last_active_at for m in s.exec(select(Member))}
    assert found["bob"] is None
    assert found["alice"] is not None and found["alice"].replace(tzinfo=UTC) == later
    engine.dispose()
