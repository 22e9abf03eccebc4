"""Read-only history of a plan for its charts (handlers/charts/kpi_chart.py, fever.py): every
reported actual of its KPIs, and every task of it with the changes that move a forecast (due
date and status events, blockers). Plain tuples, moments in UTC; nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from storage.models import Blocker, KpiActual, Task, TaskEvent

DUE_FIELD, STATUS_FIELD = "due", "status"  # TaskEvent.field of `due` and of a status change


def utc(value: datetime | str) -> datetime:
    """A stored moment as aware UTC (SQLite hands datetimes back naive)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Actual(NamedTuple):
    id: int
    kpi_id: int
    value: float
    at: datetime


def actuals(s: Session, kpi_ids: Sequence[int]) -> list[Actual]:
    """Every actual of these KPI rows, oldest first by (at, id): the order that decides which
    one is the latest (queries.latest_actuals)."""
    if not kpi_ids:
        return []
    rows = s.execute(
        sa_select(col(KpiActual.id), col(KpiActual.kpi_id), col(KpiActual.value), col(KpiActual.at))
        .where(col(KpiActual.kpi_id).in_(list(kpi_ids)))
        .order_by(col(KpiActual.at), col(KpiActual.id))
    ).all()
    return [Actual(int(i), int(k), float(v), utc(at)) for i, k, v, at in rows]


class PastTask(NamedTuple):
    id: int
    status: str
    due_date: date | None
    created_at: datetime
    closed_at: datetime | None


class Change(NamedTuple):
    task_id: int
    field: str
    old: str | None
    new: str | None
    at: datetime


class Block(NamedTuple):
    task_id: int
    reported_at: datetime
    resolved_at: datetime | None


class TaskHistory(NamedTuple):
    tasks: list[PastTask]
    changes: list[Change]  # due and status events, oldest first
    blocks: list[Block]


def task_history(s: Session, project_id: int) -> TaskHistory:
    """Every task of the project (in every channel, whatever its status), its due-date and
    status events and its blockers: three queries."""
    tasks = [
        PastTask(int(i), str(st), due, utc(made), utc(closed) if closed else None)
        for i, st, due, made, closed in s.execute(
            sa_select(
                col(Task.id),
                col(Task.status),
                col(Task.due_date),
                col(Task.created_at),
                col(Task.closed_at),
            ).where(col(Task.project_id) == project_id)
        ).all()
    ]
    ids = [t.id for t in tasks]
    if not ids:
        return TaskHistory([], [], [])
    changes = [
        Change(int(task), str(field), old, new, utc(at))
        for task, field, old, new, at in s.execute(
            sa_select(
                col(TaskEvent.task_id),
                col(TaskEvent.field),
                col(TaskEvent.old),
                col(TaskEvent.new),
                col(TaskEvent.at),
            )
            .where(
                col(TaskEvent.task_id).in_(ids),
                col(TaskEvent.field).in_((DUE_FIELD, STATUS_FIELD)),
            )
            .order_by(col(TaskEvent.at), col(TaskEvent.id))
        ).all()
    ]
    blocks = [
        Block(int(task), utc(reported), utc(resolved) if resolved else None)
        for task, reported, resolved in s.execute(
            sa_select(
                col(Blocker.task_id), col(Blocker.reported_at), col(Blocker.resolved_at)
            ).where(col(Blocker.task_id).in_(ids))
        ).all()
    ]
    return TaskHistory(tasks, changes, blocks)
