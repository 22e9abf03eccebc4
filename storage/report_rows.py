"""Read-only rows for the scheduled reports. A digest reads every open task of a channel with its
owner, project, open blocker and last change, and changes none of them, so these queries use
SQLAlchemy Core: one joined statement per report, prepared once, rows as plain tuples (no ORM
objects, no identity map). A new report's query goes here; anything that writes goes in queries.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Table, and_, bindparam, func, or_, select, type_coerce
from sqlalchemy.engine import Connection

from storage.models import (
    OPEN_STATUSES,
    Blocker,
    KpiSplit,
    Member,
    Project,
    Task,
    TaskEvent,
    TaskStatus,
)

# SQLModel's classes carry their Table at run time, but its stubs do not say so.
task_t: Table = Task.__table__  # type: ignore[attr-defined]
member_t: Table = Member.__table__  # type: ignore[attr-defined]
project_t: Table = Project.__table__  # type: ignore[attr-defined]
blocker_t: Table = Blocker.__table__  # type: ignore[attr-defined]
event_t: Table = TaskEvent.__table__  # type: ignore[attr-defined]
split_t: Table = KpiSplit.__table__  # type: ignore[attr-defined]


class Owner(NamedTuple):
    id: int
    display_name: str
    external_id: str
    last_active_at: datetime | None = None  # the last time they did something in the bot
    created_at: datetime | None = None  # when the bot first knew them


class OpenBlocker(NamedTuple):
    reason: str
    cause: str | None


class ReportTask(NamedTuple):
    """A task as a report reads it; `last_at` (its latest change) only where a report asks."""

    id: int
    number: int
    title: str
    status: str
    progress: int
    start_date: date | None
    due_date: date | None
    created_at: datetime
    closed_at: datetime | None
    assignee_id: int | None
    project_id: int | None
    owner_name: str | None
    owner_external_id: str | None
    project_name: str | None
    blocker_reason: str | None
    blocker_cause: str | None
    last_at: datetime | None
    owner_last_active_at: datetime | None
    owner_created_at: datetime | None


class Change(NamedTuple):
    task_id: int
    field: str
    old: str | None
    new: str | None
    note: str | None
    at: datetime


class ReportRows(NamedTuple):
    """One report's tasks, with their owners, projects and open blockers gathered by id."""

    tasks: list[ReportTask]
    owners: dict[int | None, Owner]
    projects: dict[int, str]
    blockers: dict[int, OpenBlocker]


def _task_query(where, *, with_last_change: bool):
    # The newest open blocker of a blocked task (queries.open_blockers keeps the newest too).
    other = blocker_t.alias("other")
    newest_blocker = (
        select(func.max(other.c.id))
        .where(other.c.task_id == task_t.c.id, other.c.resolved_at.is_(None))
        .correlate(task_t)
        .scalar_subquery()
    )
    last_change = (
        select(type_coerce(func.max(event_t.c.at), event_t.c.at.type))
        .where(event_t.c.task_id == task_t.c.id)
        .scalar_subquery()
        if with_last_change
        else type_coerce(None, event_t.c.at.type)
    )
    return (
        select(
            task_t.c.id,
            task_t.c.number,
            task_t.c.title,
            task_t.c.status,
            task_t.c.progress,
            task_t.c.start_date,
            task_t.c.due_date,
            task_t.c.created_at,
            task_t.c.closed_at,
            task_t.c.assignee_id,
            task_t.c.project_id,
            member_t.c.display_name,
            member_t.c.external_id,
            project_t.c.name,
            blocker_t.c.reason,
            blocker_t.c.cause,
            last_change,
            member_t.c.last_active_at,
            member_t.c.created_at,
        )
        .select_from(task_t)
        .outerjoin(member_t, member_t.c.id == task_t.c.assignee_id)
        .outerjoin(project_t, project_t.c.id == task_t.c.project_id)
        .outerjoin(
            blocker_t,
            and_(task_t.c.status == TaskStatus.BLOCKED.value, blocker_t.c.id == newest_blocker),
        )
        .where(task_t.c.channel_id == bindparam("channel_id"), where)
    )


_OPEN = task_t.c.status.in_([s.value for s in OPEN_STATUSES])

# The reminder: open tasks due by today, most overdue first.
_DUE_BY = _task_query(
    and_(_OPEN, task_t.c.due_date < bindparam("before")), with_last_change=False
).order_by(task_t.c.due_date, task_t.c.number)

# The digest: open tasks and those closed since the week began, with their latest change.
_OPEN_OR_CLOSED_SINCE = _task_query(
    or_(_OPEN, task_t.c.closed_at >= bindparam("closed_since")),
    with_last_change=True,
).order_by(task_t.c.number)

_CHANGES = (
    select(
        event_t.c.task_id,
        event_t.c.field,
        event_t.c.old,
        event_t.c.new,
        event_t.c.note,
        event_t.c.at,
    )
    .join(task_t, event_t.c.task_id == task_t.c.id)
    .where(
        task_t.c.channel_id == bindparam("channel_id"),
        event_t.c.at >= bindparam("start"),
        event_t.c.at < bindparam("end"),
        event_t.c.field.in_(bindparam("fields", expanding=True)),
    )
    .order_by(event_t.c.at, event_t.c.id)
)


def _gather(rows: Iterable) -> ReportRows:
    tasks = list(map(ReportTask._make, rows))
    owners: dict[int | None, Owner] = {}
    projects: dict[int, str] = {}
    blockers: dict[int, OpenBlocker] = {}
    for t in tasks:
        if t.assignee_id is not None and t.assignee_id not in owners:
            # an assignee always has a member row: the outer join's NULLs are only for none
            owners[t.assignee_id] = Owner(
                t.assignee_id,
                t.owner_name or "",
                t.owner_external_id or "",
                t.owner_last_active_at,
                t.owner_created_at,
            )
        if t.project_id is not None:
            projects[t.project_id] = t.project_name or ""
        if t.blocker_reason is not None:
            blockers[t.id] = OpenBlocker(t.blocker_reason, t.blocker_cause)
    return ReportRows(tasks, owners, projects, blockers)


def due_by(conn: Connection, channel_id: int, before: date) -> ReportRows:
    """A channel's open tasks due before `before` (overdue and due today, for the reminder)."""
    return _gather(conn.execute(_DUE_BY, {"channel_id": channel_id, "before": before}))


def open_or_closed_since(conn: Connection, channel_id: int, since: datetime) -> ReportRows:
    """A channel's open tasks and those closed since `since`, each with `last_at`."""
    params = {"channel_id": channel_id, "closed_since": since}
    return _gather(conn.execute(_OPEN_OR_CLOSED_SINCE, params))


def changes(
    conn: Connection, channel_id: int, start: datetime, end: datetime, fields: tuple[str, ...]
) -> list[Change]:
    """Changes of the given fields to a channel's tasks within [start, end), oldest first."""
    params = {"channel_id": channel_id, "start": start, "end": end, "fields": list(fields)}
    return list(map(Change._make, conn.execute(_CHANGES, params)))


_SPLITS = select(split_t.c.kpi_id, split_t.c.phase_id, split_t.c.amount).where(
    split_t.c.kpi_id.in_(bindparam("kpis", expanding=True))
)


def kpi_splits(conn: Connection, kpi_ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    """Each KPI's planned split as (phase id, amount) pairs, by KPI id."""
    found: dict[int, list[tuple[int, float]]] = {}
    if kpi_ids:
        for kpi_id, phase_id, amount in conn.execute(_SPLITS, {"kpis": kpi_ids}):
            found.setdefault(kpi_id, []).append((phase_id, amount))
    return found
