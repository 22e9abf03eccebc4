"""Blocker commands: block (with a reason and a root-cause category) and unblock."""

from __future__ import annotations

from handlers.changes import confirm, resolve_blocker, set_status
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.reply import Reply
from storage import queries
from storage.models import CLOSED_STATUSES, Blocker, TaskStatus


def block(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if task.status in CLOSED_STATUSES:
        raise UserError("is_closed", task=task.number, status=env.t(f"status_{task.status}"))
    if task.status == TaskStatus.BLOCKED:
        existing = queries.open_blocker(env.s, task)
        raise UserError(
            "already_blocked", task=task.number, reason=existing.reason if existing else "?"
        )
    env.s.add(
        Blocker(
            task_id=task.id,
            reason=cmd.text,
            cause=cmd.cause,
            reported_by_id=env.me.id,
            reported_at=env.now,
        )
    )
    set_status(env, task, TaskStatus.BLOCKED, cmd.text)
    env.s.flush()
    return confirm(env, "blocked", task)


def unblock(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if task.status != TaskStatus.BLOCKED:
        raise UserError("not_blocked", task=task.number)
    cleared = resolve_blocker(env, task, cmd.text)
    set_status(env, task, TaskStatus.DOING if task.progress > 0 else TaskStatus.TO_DO, cmd.text)
    return confirm(env, "unblocked", task, cleared)
