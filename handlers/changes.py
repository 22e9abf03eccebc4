"""The few ways a command changes a task, shared by the command modules: each change of a
field records its event in the same transaction, and each confirmation reads the same way."""

from __future__ import annotations

from datetime import date

from handlers import views
from handlers.context import Env
from handlers.reply import Line, Reply
from storage import queries
from storage.models import CLOSED_STATUSES, Task, TaskStatus


def set_field(env: Env, task: Task, field: str, new: object, note: str | None = None) -> bool:
    """Change one field of a task and record the event; False when nothing changed."""
    attr = {
        "assignee": "assignee_id",
        "due": "due_date",
        "start": "start_date",
        "project": "project_id",
    }.get(field, field)
    old = getattr(task, attr)
    if old == new:
        return False
    setattr(task, attr, new)
    task.updated_at = env.now
    queries.add_event(env.s, task, env.me, field, _raw(old), _raw(new), env.now, note)
    return True


def _raw(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def set_status(env: Env, task: Task, status: TaskStatus, note: str | None = None) -> None:
    set_field(env, task, "status", status, note)
    task.closed_at = env.now if status in CLOSED_STATUSES else None


def confirm(env: Env, key: str, task: Task, *extra: str, **params: object) -> Reply:
    line = views.single_task_line(env, task)
    reply = Reply(
        env.t(key, task=task.number, **params),
        [line],
        light=line.light,
        actions=views.actions(env, task),
        people=env.people,
    )
    reply.lines.extend(Line(text) for text in extra if text)
    return reply


def resolve_blocker(env: Env, task: Task, note: str | None) -> str:
    blocker = queries.open_blocker(env.s, task)
    if blocker is None:
        return ""
    blocker.resolved_at, blocker.resolved_by_id, blocker.note = env.now, env.me.id, note or None
    hours = (env.now - blocker.reported_at).total_seconds() / 3600
    if hours >= 48:
        duration = views.span_text(env, round(hours / 24))
    elif round(hours) <= 1:
        duration = env.t("duration_hour")
    else:
        duration = env.t("duration_hours", hours=round(hours))
    return env.t("blocker_resolved", duration=duration, reason=blocker.reason)
