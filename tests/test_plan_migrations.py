"""The plans migrations (0014 phases and KPIs, 0015 the plan index) on a database made at the
head before them (0013), on SQLite and PostgreSQL: tasks, `+tag` projects and plans come through
without loss, and a phase, a KPI and its actuals can be written at once; down to 0013 and up
again keeps the tasks and projects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from storage.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from storage.models import Kpi, KpiActual, Phase, Project, Task
from tests.conftest import NOW, PG_URL, REQUIRE_PG, pg_engine, pg_schema
from tests.test_storage import seed_one_task


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("PACELINE_REQUIRE_POSTGRES=1 but PACELINE_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PACELINE_TEST_POSTGRES_URL")
    with pg_schema(f"paceline_mig_{os.getpid()}") as schema:
        engine = pg_engine(schema)
        yield engine
        engine.dispose()


def seed_0013(engine) -> None:
    """Task #1 in the +双11 tag, task #2 (done) in the plan 双11大促 owned by alice."""
    seed_one_task(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO project (workspace_id, name, key, created_at) "
                "VALUES (1, '双11', '双11', :at)"
            ),
            {"at": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO project (workspace_id, name, key, created_at, is_plan, goal,"
                " start_date, end_date, buffer_pct, owner_id, status, updated_at)"
                " VALUES (1, '双11大促', '双11大促', :at, true, 'GMV 500万', :start, :end, 25, 1,"
                " 'open', :at)"
            ),
            {"at": NOW, "start": date(2026, 11, 1), "end": date(2026, 12, 10)},
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


def check_kept(engine) -> dict[str, Project]:
    with Session(engine) as s:
        projects = {p.key: p for p in s.exec(select(Project))}
        tasks = {t.number: t for t in s.exec(select(Task))}
    assert set(projects) == {"双11", "双11大促"}
    tag, plan = projects["双11"], projects["双11大促"]
    assert tag.is_plan is False and plan.is_plan is True
    assert (plan.goal, plan.start_date, plan.end_date, plan.buffer_pct, plan.owner_id) == (
        "GMV 500万",
        date(2026, 11, 1),
        date(2026, 12, 10),
        25,
        1,
    )
    assert (tasks[1].title, tasks[1].project_id, tasks[1].phase_id) == ("Poster", tag.id, None)
    assert (tasks[2].status, tasks[2].project_id, tasks[2].phase_id) == ("done", plan.id, None)
    return projects


def test_0013_databases_upgrade_to_plans_without_loss_and_back(empty_engine):
    command.upgrade(alembic_config(empty_engine), "0013")
    seed_0013(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    projects = check_kept(empty_engine)
    names = set(inspect(empty_engine).get_table_names())
    assert {"phase", "kpi", "kpi_split", "kpi_actual", "api_token"} <= names
    plan_id = projects["双11大促"].id
    with Session(empty_engine) as s:  # the new tables take a plan's phase, KPI and actuals
        phase = Phase(
            project_id=plan_id, name="预热期", key="预热期", created_at=NOW, updated_at=NOW
        )
        s.add(phase)
        s.flush()
        kpi = Kpi(
            project_id=plan_id,
            name="GMV",
            key="gmv",
            label="电商",
            target=5_000_000,
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(kpi)
        s.flush()
        s.add(KpiActual(kpi_id=kpi.id, value=1_200_000, at=NOW, member_id=1))
        task = s.exec(select(Task).where(Task.number == 2)).one()
        task.phase_id = phase.id
        s.add(task)
        s.commit()
    command.downgrade(alembic_config(empty_engine), "0013")
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT number FROM task ORDER BY number")).all() == [(1,), (2,)]
        assert {"kpi", "kpi_actual", "kpi_split", "api_token"}.isdisjoint(
            inspect(conn).get_table_names()
        )
    upgrade(empty_engine)
    check_kept(empty_engine)
