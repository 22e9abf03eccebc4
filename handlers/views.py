"""How a task reads in a reply: its line, its fields, its light and the buttons that fit it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Protocol

from handlers.context import Env
from handlers.messages import fmt_date, t
from handlers.reply import Action, Light, Line, moment
from handlers.rules import Verdict, task_light
from storage import queries
from storage.models import CLOSED_STATUSES, Blocker, Member, Project, Task, TaskEvent, TaskStatus
from storage.report_rows import OpenBlocker, ReportTask


class LightTask(Protocol):
    """What a light is judged on (a Task, a report's row, a plan's row)."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def progress(self) -> int: ...
    @property
    def start_date(self) -> date | None: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def created_at(self) -> datetime: ...


LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}


def verdict(env: Env, task: Task | ReportTask) -> Verdict:
    return task_light(
        status=task.status,
        progress=task.progress,
        start=task.start_date or env.local_day(task.created_at),
        due=task.due_date,
        today=env.today,
        thresholds=env.ctx.config.thresholds,
        created=env.local_day(task.created_at),
    )


def lights(env: Env, tasks: Iterable[LightTask]) -> dict[int, Light | None]:
    """Each task's light by id, as `verdict` gives it, for many tasks at once: the zone and
    today are read once (a plan's state judges every open task of the plan)."""
    zone, today, thresholds = env.zone, env.today, env.ctx.config.thresholds
    out: dict[int, Light | None] = {}
    for task in tasks:
        created = task.created_at.astimezone(zone).date()
        out[task.id] = task_light(
            status=task.status,
            progress=task.progress,
            start=task.start_date or created,
            due=task.due_date,
            today=today,
            thresholds=thresholds,
            created=created,
        ).light
    return out


def light_order(light: Light | None) -> int:
    return LIGHT_ORDER[light.value if light is not None else None]


def rank(env: Env, tasks: list[Task]) -> dict[int, Light | None]:
    """Sort tasks red → yellow → green → closed (stable, so the query's order stays within a
    light) and return each task's light by id."""
    lights = {t.id: verdict(env, t).light for t in tasks}
    tasks.sort(key=lambda t: light_order(lights[t.id]))
    return lights


def reason(env: Env, v: Verdict, blocker: Blocker | OpenBlocker | None = None) -> str:
    if v.reason == "why_blocked" and blocker is not None:
        return blocker_text(env, blocker)
    params = dict(v.params)
    if "days" in params:
        days = params["days"]
        assert isinstance(days, int)
        params["when"] = when_text(env, days)
        params["span"] = span_text(env, days)
    return env.t(v.reason, **params)


def when_text(env: Env, days: int) -> str:
    if days == 0:
        return env.t("when_today")
    if days == 1:
        return env.t("when_tomorrow")
    return env.t("when_days", days=days)


def span_text(env: Env, days: int) -> str:
    return env.t("span_day") if days == 1 else env.t("span_days", days=days)


def _verb_word(lang: str, verb: str) -> str:
    """The verb as a language writes it, for the commands buttons send."""
    from handlers.verbs import verb_word  # the verb table imports the handlers that use this

    return verb_word(lang, verb)


def blocker_text(env: Env, blocker: Blocker | OpenBlocker) -> str:
    if blocker.cause:
        return env.t(
            "blocker_cause_line", reason=blocker.reason, cause=env.t(f"cause_{blocker.cause}")
        )
    return env.t("blocker_line", reason=blocker.reason)


def due_text(env: Env, task: Task, *, lateness: bool = True) -> str:
    """The due date in the channel's words, with how late it is unless the light says so."""
    if task.due_date is None:
        return ""
    text = fmt_date(env.lang, task.due_date, env.today)
    late = (env.today - task.due_date).days
    if lateness and task.status not in CLOSED_STATUSES and late >= 0:
        note = env.t("days_overdue", days=late) if late > 0 else env.t("due_today")
        text += f"（{note}）" if env.lang == "zh" else f" ({note})"
    return text


def actions(env: Env, task: Task | ReportTask, *, without: tuple[str, ...] = ()) -> list[Action]:
    """The buttons that fit the task's status, less the verbs in `without`."""
    buttons = _buttons(env.lang, task.status, task.due_date is not None, without)
    return [Action(label, f"{word} {task.number}", style) for label, word, style in buttons]


@cache
def _buttons(
    lang: str, status: str, has_due: bool, without: tuple[str, ...]
) -> tuple[tuple[str, str, str], ...]:
    """(label, verb word, style) of each button, worked out once per language and state."""
    if status in CLOSED_STATUSES:
        verbs = [("reopen", "action_reopen", "default")]
    else:
        verbs = []
        if status == TaskStatus.TO_DO:
            verbs.append(("start", "action_start", "default"))
        verbs.append(("done", "action_done", "primary"))
        if status == TaskStatus.BLOCKED:
            verbs.append(("unblock", "action_unblock", "default"))
        else:
            verbs.append(("block", "action_block", "danger"))
        if has_due:
            verbs.append(("snooze", "action_snooze", "default"))
    return tuple(
        (t(lang, label), _verb_word(lang, verb), style)
        for verb, label, style in verbs
        if verb not in without
    )


def task_line(
    env: Env,
    task: Task,
    *,
    assignee: Member | None,
    project: Project | None,
    blocker: Blocker | None,
    with_actions: bool = True,
) -> Line:
    v = verdict(env, task)
    parts = [f"#{task.number} {task.title}", env.who(assignee) if assignee else env.t("nobody")]
    if task.due_date:
        shows_lateness = v.light is None or v.light.value == "green"
        parts.append(f"{env.t('field_due')} {due_text(env, task, lateness=shows_lateness)}")
    if project:
        parts.append(f"+{project.name}")
    if task.status in (TaskStatus.DOING, TaskStatus.BLOCKED) or 0 < task.progress < 100:
        parts.append(f"{task.progress}%")
    if task.status in CLOSED_STATUSES:
        parts.append(env.t(f"status_{task.status}"))
    text = " · ".join(parts)
    if v.light is not None and v.light.value != "green":
        text += f" — {reason(env, v, blocker)}"
    return Line(text, v.light, actions(env, task) if with_actions else [])


def task_lines(env: Env, tasks: list[Task], *, with_actions: bool = True) -> list[Line]:
    """Lines for many tasks with one query each for their people, projects and blockers."""
    people = queries.members_by_id(env.s, {t.assignee_id for t in tasks if t.assignee_id})
    projects = queries.projects_by_id(env.s, {t.project_id for t in tasks if t.project_id})
    blocked = [t.id for t in tasks if t.status == TaskStatus.BLOCKED]
    blockers = queries.open_blockers(env.s, blocked)
    return [
        task_line(
            env,
            t,
            assignee=people.get(t.assignee_id),
            project=projects.get(t.project_id),
            blocker=blockers.get(t.id),
            with_actions=with_actions,
        )
        for t in tasks
    ]


def single_task_line(env: Env, task: Task) -> Line:
    return task_lines(env, [task], with_actions=False)[0]


def event_text(env: Env, event: TaskEvent, people: dict[int | None, Member]) -> str:
    when = moment(event.at)
    who = env.who(people.get(event.actor_id))
    if event.field == "created":
        text = env.t("event_created", when=when, who=who)
    else:
        text = env.t(
            "event_change",
            when=when,
            who=who,
            field=env.t(f"field_{_FIELD_LABEL[event.field]}"),
            old=_value(env, event.field, event.old, people),
            new=_value(env, event.field, event.new, people),
        )
    if event.note:
        text += f" — {event.note}"
    return text


_FIELD_LABEL = {
    "status": "status",
    "progress": "progress",
    "assignee": "owner",
    "due": "due",
    "start": "start",
    "project": "project",
    "phase": "phase",
    "after": "after",
}


def _value(env: Env, field: str, raw: str | None, people: dict[int | None, Member]) -> str:
    if raw is None:
        return (
            env.t("nobody")
            if field == "assignee"
            else env.t("no_date")
            if field in ("due", "start")
            else "—"
        )
    if field == "status":
        return env.t(f"status_{raw}")
    if field == "progress":
        return f"{raw}%"
    if field == "assignee":
        return env.who(people.get(int(raw)))
    if field in ("due", "start"):
        return fmt_date(env.lang, date.fromisoformat(raw), env.today)
    return raw
