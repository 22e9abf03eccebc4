"""The two scheduled posts, as plain functions of a channel and `now`: the morning reminder
(what is overdue or due today, by owner) and the weekly stand-up digest (counts and each
project's light, then one reply per project, then a question for the owners of red and yellow
items). The `remind` and `digest` commands preview them; the scheduler posts them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from handlers import views
from handlers.context import Env
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Light, Line, Reply
from storage import report_rows
from storage.models import TaskStatus
from storage.report_rows import Change, ReportTask

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- the morning reminder ---------------------------------------------------------------------


def reminder(env: Env, *, all_clear: bool | None = None) -> Reply | None:
    """Overdue and due-today tasks grouped by owner, each owner mentioned; None when there is
    nothing to say (unless the channel asked for an all-clear)."""
    today = env.today
    rows = report_rows.due_by(env.s.connection(), env.channel.id, today + timedelta(days=1))
    tasks, people, blockers = rows.tasks, rows.owners, rows.blockers
    when = fmt_date(env.lang, today, today)
    if not tasks:
        wanted = env.channel.remind_all_clear if all_clear is None else all_clear
        return Reply(env.t("remind_all_clear", day=when), light=Light.GREEN) if wanted else None
    overdue = sum(1 for t in tasks if t.due_date < today)
    by_owner: dict[int | None, list[ReportTask]] = defaultdict(list)
    for task in tasks:
        by_owner[task.assignee_id].append(task)
    lines: list[Line] = []
    owners = sorted(by_owner, key=lambda i: (i is None, people[i].display_name if i else ""))
    for owner in owners:
        mine = by_owner[owner]
        lines.append(Line(env.t("remind_owner", who=env.who(people.get(owner)), n=len(mine))))
        for task in mine:
            late = (today - task.due_date).days
            how = (
                env.t("remind_late", span=views.span_text(env, late))
                if late > 0
                else env.t("due_today")
            )
            text = f"#{task.number} {task.title} — {how}"
            if task.id in blockers:
                text += f" · {views.blocker_text(env, blockers[task.id])}"
            actions = views.actions(env, task, without=("start",))
            lines.append(
                Line(text, Light.RED if late > 0 or task.id in blockers else Light.YELLOW, actions)
            )
    title = env.t("remind_title", day=when, overdue=overdue, today=len(tasks) - overdue)
    return Reply(title, lines, light=Light.RED if overdue else Light.YELLOW, people=env.people)


def remind_command(env: Env, cmd: Command) -> Reply:
    """`remind` / `提醒`: this channel's reminder as it would be posted now."""
    reply = reminder(env, all_clear=True)
    reply.lines.append(Line(env.t("preview_note")))
    return reply


# --- the weekly digest --------------------------------------------------------------------------


@dataclass
class _Project:
    name: str
    tasks: list[ReportTask]


def week_of(today: date) -> tuple[date, date]:
    """The seven days before the digest's day: last Monday to Sunday when posted on a Monday."""
    return today - timedelta(days=7), today - timedelta(days=1)


def digest(env: Env) -> Reply:
    """The parent message, with one thread reply per project and a last one that asks."""
    today = env.today
    first, last = week_of(today)
    start = datetime.combine(first, time(0), env.zone)
    end = datetime.combine(today, time(0), env.zone)
    conn = env.s.connection()
    rows = report_rows.open_or_closed_since(conn, env.channel.id, start)
    tasks, people, projects, blockers = rows.tasks, rows.owners, rows.projects, rows.blockers
    by_task: dict[int, list[Change]] = defaultdict(list)
    for change in report_rows.changes(conn, env.channel.id, start, end, ("status", "due")):
        by_task[change.task_id].append(change)
    last_touch = {t.id: t.last_at for t in tasks if t.last_at is not None}
    lights = {t.id: views.verdict(env, t) for t in tasks}

    done = {
        t.id for t in tasks if any(c.field == "status" and c.new == "done" for c in by_task[t.id])
    }
    new = [t for t in tasks if start <= t.created_at < end]
    overdue = [t for t in tasks if t.status in OPEN and t.due_date and t.due_date < today]
    blocked = [t for t in tasks if t.status == TaskStatus.BLOCKED]

    groups: dict[int | None, _Project] = {}
    for task in tasks:
        if task.status in OPEN or task.id in done:
            key = task.project_id
            name = projects[key] if key else env.t("no_project")
            groups.setdefault(key, _Project(name, [])).tasks.append(task)
    order = sorted(groups, key=lambda k: (k is None, groups[k].name.casefold()))

    parent = Reply(
        env.t(
            "digest_title",
            first=fmt_date(env.lang, first, today),
            last=fmt_date(env.lang, last, today),
        ),
        fields=[
            (
                "",
                env.t(
                    "digest_counts",
                    done=len(done),
                    new=len(new),
                    overdue=len(overdue),
                    blocked=len(blocked),
                ),
            )
        ],
        people=env.people,
    )
    worst: list[Light] = []
    for key in order:
        group = groups[key]
        light, why = _project_light(env, group, lights)
        worst.append(light)
        bar = light_bar([lights[t.id].light for t in group.tasks if t.status in OPEN])
        name = group.name if key else env.t("no_project")
        parent.lines.append(Line(f"+{name} — {why} · {bar}" if bar else f"+{name} — {why}", light))
        parent.thread.append(
            _project_reply(
                env,
                group,
                light,
                why,
                lights,
                people,
                blockers,
                by_task,
                last_touch,
                done,
                first,
                today,
            )
        )
    if not order:
        parent.lines.append(Line(env.t("digest_empty")))
    parent.light = min(worst, key=lambda lt: views.LIGHT_ORDER[lt.value]) if worst else None
    ask = _ask_owners(env, tasks, lights, people)
    if ask is not None:
        parent.thread.append(ask)
    return parent


OPEN = (TaskStatus.TO_DO, TaskStatus.DOING, TaskStatus.BLOCKED)


SQUARES = {Light.RED: "🟥", Light.YELLOW: "🟨", Light.GREEN: "🟩"}


def light_bar(lights: list[Light | None], width: int = 10) -> str:
    """A project's open tasks at a glance: a square per task by light, red first; more than
    `width` tasks are scaled to `width` squares, and every light present keeps at least one."""
    counts = [sum(1 for lt in lights if lt == light) for light in SQUARES]
    total = sum(counts)
    if total > width:
        scaled = [max(1, round(c * width / total)) if c else 0 for c in counts]
        while sum(scaled) != width:
            i = max(range(3), key=lambda i: scaled[i])
            scaled[i] += 1 if sum(scaled) < width else -1
        counts = scaled
    return "".join(square * n for square, n in zip(SQUARES.values(), counts, strict=True))


def _project_light(env: Env, group: _Project, lights: dict) -> tuple[Light, str]:
    open_tasks = [t for t in group.tasks if t.status in OPEN]
    red = [t for t in open_tasks if lights[t.id].light == Light.RED]
    yellow = [t for t in open_tasks if lights[t.id].light == Light.YELLOW]
    if red:
        return Light.RED, env.t(
            "project_red", n=len(red), tasks=", ".join(f"#{t.number}" for t in red[:5])
        )
    if yellow:
        return Light.YELLOW, env.t(
            "project_yellow", n=len(yellow), tasks=", ".join(f"#{t.number}" for t in yellow[:5])
        )
    return Light.GREEN, env.t("project_green", n=len(open_tasks))


def _project_reply(
    env, group, light, why, lights, people, blockers, by_task, last_touch, done, first, today
) -> Reply:
    reply = Reply(f"+{group.name} — {why}", light=light, people=env.people)
    open_tasks = [t for t in group.tasks if t.status in OPEN]
    flagged = [t for t in open_tasks if lights[t.id].light in (Light.RED, Light.YELLOW)]
    flagged.sort(key=lambda t: views.LIGHT_ORDER[lights[t.id].light.value])
    if flagged:
        reply.lines.append(Line(env.t("digest_attention")))
        for task in flagged:
            text = (
                f"#{task.number} {task.title} · {env.who(people.get(task.assignee_id))} — "
                f"{views.reason(env, lights[task.id], blockers.get(task.id))}"
            )
            reply.lines.append(Line(text, lights[task.id].light, views.actions(env, task)))
    finished = [t for t in group.tasks if t.id in done]
    if finished:
        reply.lines.append(Line(env.t("digest_done", n=len(finished))))
        reply.lines.extend(
            Line(f"#{t.number} {t.title} · {env.who(people.get(t.assignee_id))}") for t in finished
        )
    slipped = _slipped(group.tasks, by_task, first, today)
    if slipped:
        reply.lines.append(Line(env.t("digest_slipped", n=len(slipped))))
        for task, key, days in slipped:
            shown = {k: fmt_date(env.lang, d, today) for k, d in days.items()}
            reply.lines.append(Line(f"#{task.number} {task.title} — {env.t(key, **shown)}"))
    cutoff = env.now - timedelta(days=7)
    quiet: dict[int, list[ReportTask]] = defaultdict(list)
    for task in open_tasks:
        if task.assignee_id and (last_touch.get(task.id) or task.created_at) < cutoff:
            quiet[task.assignee_id].append(task)
    owners_active = {
        t.assignee_id
        for t in open_tasks
        if t.assignee_id and (last_touch.get(t.id) or t.created_at) >= cutoff
    }
    silent = [m for m in quiet if m not in owners_active]
    if silent:
        who = ", ".join(env.who(people.get(m)) for m in silent)
        reply.lines.append(Line(env.t("digest_quiet", who=who)))
    if not reply.lines:
        reply.lines.append(Line(env.t("digest_nothing")))
    return reply


def _slipped(tasks: list[ReportTask], by_task: dict, first: date, today: date) -> list:
    """Tasks whose due date moved later this week, or that passed their due date unfinished."""
    out = []
    for task in tasks:
        moved = [
            e for e in by_task[task.id] if e.field == "due" and e.old and e.new and e.new > e.old
        ]
        if moved:
            days = {
                "old": date.fromisoformat(moved[0].old),
                "new": date.fromisoformat(moved[-1].new),
            }
            out.append((task, "slipped_moved", days))
        elif task.status in OPEN and task.due_date and first <= task.due_date < today:
            out.append((task, "slipped_missed", {"due": task.due_date}))
    return out


def _ask_owners(env: Env, tasks: list[ReportTask], lights: dict, people: dict) -> Reply | None:
    owners = {
        t.assignee_id
        for t in tasks
        if t.status in OPEN and t.assignee_id and lights[t.id].light in (Light.RED, Light.YELLOW)
    }
    if not owners:
        return None
    who = " ".join(env.who(people.get(m)) for m in sorted(owners))
    return Reply(env.t("digest_ask_title"), [Line(env.t("digest_ask", who=who))], people=env.people)


def digest_command(env: Env, cmd: Command) -> Reply:
    """`digest` / `周报`: this channel's weekly digest as it would be posted now."""
    reply = digest(env)
    reply.thread.append(Reply(env.t("preview_title"), [Line(env.t("preview_note"))]))
    return reply
