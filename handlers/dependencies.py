"""Task dependencies: `after 14 12` (task 14 waits for 12), `after 14 none`, `add … after:12`,
and the lines `show` and `start` give about them. A link that would close a cycle is refused
with the cycle named."""

from __future__ import annotations

from handlers.changes import confirm
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Line, Reply
from storage import queries
from storage.models import CLOSED_STATUSES, Task


def after(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if cmd.clear:
        removed = queries.clear_dependencies(env.s, task)
        if not removed:
            raise UserError("after_nothing", task=task.number)
        gone = queries.tasks_by_id(env.s, set(removed))
        for after_id in removed:
            queries.add_event(
                env.s, task, env.me, "after", f"#{gone[after_id].number}", None, env.now
            )
        task.updated_at = env.now
        return confirm(env, "after_cleared", task)
    befores = [env.task(number) for number in cmd.after]
    link(env, task, befores)
    return confirm(env, "after_set", task, afters=numbers(befores))


def link(env: Env, task: Task, befores: list[Task]) -> None:
    """Make `task` wait for each of `befores`, each link an event in its history; a link to
    itself, one it already has, or one closing a cycle is refused before anything is written."""
    have = set(queries.waits_for(env.s, {task.id}).get(task.id, []))
    for before in befores:
        if before.id == task.id:
            raise UserError("after_self", task=task.number)
        if before.id in have:
            raise UserError("after_twice", task=task.number, after=before.number)
        path = queries.dependency_path(env.s, before.id, task.id)
        if path is not None:
            tasks = queries.tasks_by_id(env.s, set(path))
            cycle = " → ".join(f"#{tasks[i].number}" for i in [*path, before.id])
            raise UserError("after_cycle", task=task.number, after=before.number, cycle=cycle)
    for before in befores:
        queries.add_dependency(env.s, task, before, env.now)
        queries.add_event(env.s, task, env.me, "after", None, f"#{before.number}", env.now)
    task.updated_at = env.now
    env.s.flush()


def show_lines(env: Env, task: Task) -> list[Line]:
    """What a task waits for (each with its state and due date) and what waits for it."""
    afters = queries.waits_for(env.s, {task.id}).get(task.id, [])
    successors = queries.waited_on_by(env.s, task.id)
    tasks = queries.tasks_by_id(env.s, set(afters) | set(successors))
    lines = []
    for after_id in afters:
        before = tasks[after_id]
        due = fmt_date(env.lang, before.due_date, env.today) if before.due_date else "—"
        lines.append(
            Line(
                env.t(
                    "after_waits_for",
                    task=before.number,
                    status=env.t(f"status_{before.status}"),
                    due=due,
                )
            )
        )
    lines.extend(
        Line(env.t("after_waited_on_by", task=tasks[i].number)) for i in successors if i in tasks
    )
    return lines


def open_predecessors(env: Env, task: Task) -> list[Task]:
    """The tasks this one waits for that are not done yet (cancelled ones wait for nothing)."""
    afters = queries.waits_for(env.s, {task.id}).get(task.id, [])
    tasks = queries.tasks_by_id(env.s, set(afters))
    return [tasks[i] for i in afters if tasks[i].status not in CLOSED_STATUSES]


def numbers(tasks: list[Task]) -> str:
    return ", ".join(f"#{t.number}" for t in tasks)
