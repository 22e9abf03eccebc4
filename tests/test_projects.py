"""Project plans (issue 12, first slice): `project new|show|list|edit|close|reopen` in English
and Chinese through the console bot, the rows they leave, the `+tag` upgrade that keeps its
tasks, the SMART hints, bad input (a message naming the bad piece, nothing written) and the
0012 migration. Today is pinned to Thursday 2026-11-26 (tests/conftest.py NOW)."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import text
from sqlmodel import Session, select

from storage.db import make_engine, upgrade
from storage.models import Project, ProjectStatus, Task
from tests.conftest import NOW
from tests.test_storage import seed_one_task


def plan(db, name: str) -> Project:
    with Session(db.engine) as s:
        return s.exec(select(Project).where(Project.name == name)).one()


# --- the 0012 migration ------------------------------------------------------------------------


def test_the_0012_upgrade_keeps_tasks_and_tag_projects(tmp_path):
    """A 0011 database with +tag projects and their tasks upgrades without loss: each project
    stays a tag (not a plan), open, with the default buffer; its tasks still point at it."""
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0011")
    seed_one_task(engine)
    with engine.begin() as conn:
        for key in ("双11", "launch"):
            conn.execute(
                text(
                    "INSERT INTO project (workspace_id, name, key, created_at)"
                    " VALUES (1, :name, :key, :at)"
                ),
                {"name": key, "key": key, "at": NOW},
            )
        conn.execute(text("UPDATE task SET project_id = 1 WHERE number = 1"))
        conn.execute(
            text(
                "INSERT INTO task (workspace_id, number, title, channel_id, creator_id,"
                " project_id, status, progress, created_at, updated_at)"
                " VALUES (1, 2, 'Copy', 1, 1, 2, 'done', 100, :at, :at)"
            ),
            {"at": NOW},
        )
    upgrade(engine)
    with Session(engine) as s:
        projects = {p.key: p for p in s.exec(select(Project))}
        tasks = {t.number: t for t in s.exec(select(Task))}
    assert set(projects) == {"双11", "launch"}
    for row in projects.values():
        assert row.is_plan is False and row.status == ProjectStatus.OPEN
        assert row.buffer_pct == 20 and row.goal is None and row.owner_id is None
        assert row.start_date is None and row.end_date is None and row.closed_at is None
        assert row.updated_at is not None and row.updated_at.replace(tzinfo=UTC) == NOW
    assert tasks[1].project_id == projects["双11"].id and tasks[1].title == "Poster"
    assert tasks[2].project_id == projects["launch"].id and tasks[2].status == "done"
    engine.dispose()
