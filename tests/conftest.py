"""Shared fixtures: an offline guard, a database per test (SQLite always, PostgreSQL when
PACELINE_TEST_POSTGRES_URL is set), and a console bot with a pinned clock."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlmodel import Session, SQLModel, select

from bot.console import ConsoleBot
from handlers import CoreConfig
from storage.db import Database, make_engine, upgrade
from storage.inbox import SCHEMA as INBOX_SCHEMA
from storage.models import Member, Task, Workspace

# Thursday 2026-11-26, 10:00 in Shanghai, 02:00 UTC, still Wednesday evening in New York.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

PG_URL = os.environ.get("PACELINE_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("PACELINE_REQUIRE_POSTGRES") == "1"


# --- offline guard: any connection off this machine fails the test loudly ---------------------

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> object:
    if self.family != getattr(socket, "AF_UNIX", None):
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            raise RuntimeError(f"a test tried to reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if host is not None and not _is_local(host):
        raise RuntimeError(f"a test tried to resolve a network host: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]


# --- databases ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert_models_cover(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def pg_engine_url() -> Iterator[tuple[str, str]]:
    """A private schema on the PostgreSQL server, migrated once for the session."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("PACELINE_REQUIRE_POSTGRES=1 but PACELINE_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PACELINE_TEST_POSTGRES_URL")
    with pg_schema(f"paceline_test_{os.getpid()}") as schema:
        engine = pg_engine(schema)
        upgrade(engine)
        assert_models_cover(engine)
        INBOX_SCHEMA.create_all(engine)  # as a door's inbox makes it, so every test can empty it
        engine.dispose()
        yield PG_URL, schema


@contextmanager
def pg_schema(schema: str) -> Iterator[str]:
    """An empty schema on the PostgreSQL server, dropped afterwards."""
    assert PG_URL
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def pg_engine(schema: str):
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "paceline.db"
        shutil.copy(template, path)
        database = Database(make_engine(f"sqlite:///{path}"))
    else:
        _, schema = request.getfixturevalue("pg_engine_url")
        database = Database(pg_engine(schema))
        # the models' tables and the doors' inbox (storage/inbox.py: its own schema)
        every = [*SQLModel.metadata.sorted_tables, *INBOX_SCHEMA.sorted_tables]
        tables = ", ".join(f'"{t.name}"' for t in every)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "paceline.db"
    shutil.copy(sqlite_template, path)
    database = Database(make_engine(f"sqlite:///{path}"))
    yield database
    database.dispose()


def assert_models_cover(engine: Engine) -> None:
    """snapshot() reads the models' tables (SQLModel.metadata), not the database's: reflecting
    the schema on every call cost more than the rest of the suite's assertions. So, once per
    backend, prove the migrated database holds nothing the models do not know: no table and no
    column added by a migration alone, which snapshot() would silently skip."""
    reflected = MetaData()
    reflected.reflect(engine)
    in_db = {
        name: {c.name for c in table.columns}
        for name, table in reflected.tables.items()
        if name != "alembic_version"
    }
    in_models = {
        name: {c.name for c in table.columns} for name, table in SQLModel.metadata.tables.items()
    }
    assert set(in_db) == set(in_models), (
        "the migrated tables and SQLModel.metadata differ: "
        f"only migrated {sorted(set(in_db) - set(in_models))}, "
        f"only in the models {sorted(set(in_models) - set(in_db))}"
    )
    columns = {
        name: (sorted(in_db[name] - in_models[name]), sorted(in_models[name] - in_db[name]))
        for name in in_db
        if in_db[name] != in_models[name]
    }
    assert not columns, f"columns differ (only migrated, only in the models): {columns}"


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table (but alembic_version), to assert that a command changed nothing.
    The tables are the models' (assert_models_cover proves they are all the database has)."""
    with db.engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(table.select()))
            for name, table in SQLModel.metadata.tables.items()
        }


def task_in(s: Session, number: int, workspace: str = "console") -> Task:
    return s.exec(
        select(Task)
        .join(Workspace, Task.workspace_id == Workspace.id)
        .where(Workspace.external_id == workspace, Task.number == number)
    ).one()


def task(db: Database, number: int, workspace: str = "console") -> Task:
    """Task #number of a workspace, as the database holds it now."""
    with Session(db.engine) as s:
        return task_in(s, number, workspace)


def added_days_ago(db: Database, number: int, days: int) -> None:
    """Task #number as if added `days` ago (a task added today is never yellow)."""
    with Session(db.engine) as s:
        row = s.exec(select(Task).where(Task.number == number)).one()
        row.created_at -= timedelta(days=days)
        s.add(row)
        s.commit()


def member(db: Database, external_id: str, workspace: str = "console") -> Member:
    with Session(db.engine) as s:
        return s.exec(
            select(Member)
            .join(Workspace, Member.workspace_id == Workspace.id)
            .where(Workspace.external_id == workspace, Member.external_id == external_id)
        ).one()


def count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()


# --- bots --------------------------------------------------------------------------------------


@pytest.fixture
def config() -> CoreConfig:
    return CoreConfig(default_tz="Asia/Shanghai", default_lang="en")


@pytest.fixture
def bot(db: Database, config: CoreConfig, tmp_path: Path) -> ConsoleBot:
    """alice, an admin, in #general of the console workspace, at NOW; the charts it shows are
    written under tmp_path/pictures."""
    return ConsoleBot(
        db, config, user="alice", admins=["alice"], now=NOW, pictures_dir=tmp_path / "pictures"
    )


@pytest.fixture
def make_bot(db: Database, config: CoreConfig, tmp_path: Path):
    """Another door on the same database: make_bot(user=..., workspace=..., channel=...)."""

    def factory(**kwargs: object) -> ConsoleBot:
        kwargs.setdefault("now", NOW)
        kwargs.setdefault("pictures_dir", tmp_path / "pictures")
        kwargs.setdefault("admins", [])
        return ConsoleBot(db, kwargs.pop("config", config), **kwargs)  # type: ignore[arg-type]

    return factory
