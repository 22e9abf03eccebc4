"""Project plans: `project new|show|list|edit|close|reopen`. A `+tag` that tasks name is the
same row as a plan: `project new +tag …` plans it in place, and its tasks stay.

The goal is checked gently for SMART (`smart_hints`): a goal with no number to measure, or a
plan with no end date, gets a one-line hint after the reply, never a refusal."""

from __future__ import annotations

import re
from datetime import date

from handlers import kpis, pace, phases, plan_state, views
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Light, Line, Reply
from storage import queries
from storage.models import DEFAULT_BUFFER_PCT, Project, ProjectStatus, TaskStatus

# A measurable number: a digit of any width (500万, １０k, 80%), or Chinese numerals with a
# unit of size (五百万, 十万, 百分之八十); 一 alone (一起, 统一) is no number.
_NUMBER = re.compile(
    r"\d|[零〇一二两三四五六七八九]*[十百千万亿][零〇一二两三四五六七八九十百千万亿]*|百分之"
)


def smart_hints(goal: str | None, end: date | None) -> list[str]:
    """The message keys of the SMART hints a plan earns: no goal, a goal without a number, no
    end date."""
    hints = []
    if not goal:
        hints.append("project_hint_no_goal")
    elif not _NUMBER.search(goal):
        hints.append("project_hint_no_number")
    if end is None:
        hints.append("project_hint_no_end")
    return hints


def project(env: Env, cmd: Command) -> Reply:
    return _ACTIONS[cmd.action or "list"](env, cmd)


def announces(cmd: Command) -> bool:
    """A plan made, changed, closed or reopened is news for the channel; a look is not."""
    return cmd.action in ("new", "edit", "close", "reopen")


def _find(env: Env, cmd: Command, *, for_update: bool = False) -> Project:
    name = cmd.projects[0]
    found = queries.find_project(env.s, env.ws, name, for_update=for_update)
    if found is None:
        raise UserError("project_not_found", project=name)
    return found


def _new(env: Env, cmd: Command) -> Reply:
    name = cmd.projects[0]
    notes: list[str] = []
    existing = queries.find_project(env.s, env.ws, name, for_update=True)
    if existing is not None and existing.is_plan:
        raise UserError("project_exists", project=existing.name)
    owner = env.me
    if cmd.people:
        owner, is_new = env.person(cmd.people[0])
        if is_new:
            notes.append(env.t("new_member", who=env.who(owner)))
    start = cmd.start
    if start is None and cmd.end is not None:
        start = env.today  # a plan with an end starts today unless it says otherwise
        if cmd.end < start:
            raise UserError(
                "project_end_before_start", start=start.isoformat(), end=cmd.end.isoformat()
            )
    if existing is None:
        plan, _ = queries.get_or_create_project(env.s, env.ws, name, env.now)
        title = "project_planned"
    else:
        plan = existing
        counts = queries.project_tasks_by_status(env.s, plan)
        notes.append(env.t("project_upgraded", project=plan.name, tasks=sum(counts.values())))
        title = "project_planned"
    plan.is_plan = True
    plan.goal = cmd.goal
    plan.start_date, plan.end_date = start, cmd.end
    plan.buffer_pct = cmd.buffer if cmd.buffer is not None else DEFAULT_BUFFER_PCT
    plan.owner_id = owner.id
    plan.status, plan.closed_at, plan.updated_at = ProjectStatus.OPEN, None, env.now
    env.s.add(plan)
    env.s.flush()
    if plan.key != plan.name.casefold():
        notes.append(env.t("project_tag_form", project=plan.name, tag=plan.key))
    reply = _summary(env, plan, env.t(title, project=plan.name))
    reply.lines.extend(Line(text) for text in notes)
    _hint(env, plan, reply)
    return reply


def _show(env: Env, cmd: Command) -> Reply:
    found = _find(env, cmd)
    return _summary(env, found, "+" + found.name)


def _edit(env: Env, cmd: Command) -> Reply:
    plan = _find(env, cmd, for_update=True)
    if not plan.is_plan:
        raise UserError("project_not_plan", project=plan.name)
    notes: list[str] = []
    start = cmd.start or plan.start_date
    end = cmd.end or plan.end_date
    if start and end and end < start:
        raise UserError("project_end_before_start", start=start.isoformat(), end=end.isoformat())
    if cmd.people:
        owner, is_new = env.person(cmd.people[0])
        if is_new:
            notes.append(env.t("new_member", who=env.who(owner)))
        plan.owner_id = owner.id
    if cmd.goal is not None:
        plan.goal = cmd.goal
    if cmd.buffer is not None:
        plan.buffer_pct = cmd.buffer
    plan.start_date, plan.end_date = start, end
    plan.updated_at = env.now
    env.s.add(plan)
    reply = _summary(env, plan, env.t("project_edited", project=plan.name))
    reply.lines.extend(Line(text) for text in notes)
    _hint(env, plan, reply)
    return reply


def _close(env: Env, cmd: Command) -> Reply:
    found = _find(env, cmd, for_update=True)
    if found.status == ProjectStatus.CLOSED:
        raise UserError("project_already_closed", project=found.name)
    found.status, found.closed_at, found.updated_at = ProjectStatus.CLOSED, env.now, env.now
    env.s.add(found)
    reply = _summary(env, found, env.t("project_closed", project=found.name))
    reply.lines.append(Line(env.t("project_close_keeps", project=found.name)))
    return reply


def _reopen(env: Env, cmd: Command) -> Reply:
    found = _find(env, cmd, for_update=True)
    if found.status != ProjectStatus.CLOSED:
        raise UserError("project_not_closed", project=found.name)
    found.status, found.closed_at, found.updated_at = ProjectStatus.OPEN, None, env.now
    env.s.add(found)
    return _summary(env, found, env.t("project_reopened", project=found.name))


def _list(env: Env, cmd: Command) -> Reply:
    rows = queries.projects_of(env.s, env.ws)
    title = env.t("project_list_title")
    if not rows:
        return Reply(title, [Line(env.t("project_list_empty"))])
    limit = env.ctx.config.list_limit
    owners = queries.members_by_id(env.s, {p.owner_id for p in rows[:limit] if p.owner_id})
    # each open plan's light, all in a few queries
    open_plans = [p for p in rows[:limit] if p.is_plan and p.status == ProjectStatus.OPEN]
    states = plan_state.summaries(env, open_plans)
    lines = []
    for row in rows[:limit]:
        if row.is_plan:
            text = env.t(
                "project_list_plan",
                project=row.name,
                dates=_dates(env, row),
                owner=env.who(owners.get(row.owner_id)),
            )
        else:
            text = env.t("project_list_tag", project=row.name)
        if row.status == ProjectStatus.CLOSED:
            text += env.t("project_list_closed")
        found = states.get(row.id)
        lines.append(Line(text, found.verdict.light if found else None))
    if len(rows) > limit:
        lines.append(Line(env.t("project_list_more", more=len(rows) - limit)))
    return Reply(title, lines, people=env.people)


_ACTIONS = {
    "new": _new,
    "show": _show,
    "list": _list,
    "edit": _edit,
    "close": _close,
    "reopen": _reopen,
}


def _hint(env: Env, plan: Project, reply: Reply) -> None:
    reply.lines.extend(Line(env.t(key)) for key in smart_hints(plan.goal, plan.end_date))


def _dates(env: Env, plan: Project) -> str:
    if plan.start_date and plan.end_date:
        days = (plan.end_date - plan.start_date).days + 1
        return env.t(
            "project_dates",
            start=fmt_date(env.lang, plan.start_date, env.today),
            end=fmt_date(env.lang, plan.end_date, env.today),
            days=days,
        )
    if plan.start_date:
        return env.t("project_dates_from", start=fmt_date(env.lang, plan.start_date, env.today))
    if plan.end_date:
        return env.t("project_dates_until", end=fmt_date(env.lang, plan.end_date, env.today))
    return env.t("project_dates_none")


def _summary(env: Env, plan: Project, title: str) -> Reply:
    """A project as `project show` says it: a plan's dates, goal, owner, buffer and status, and
    for plans and tags alike its tasks (in every channel) and their lights."""
    counts = queries.project_tasks_by_status(env.s, plan)
    open_tasks = queries.open_project_tasks(env.s, plan)
    lights = {light: 0 for light in Light}
    for task in open_tasks:
        light = views.verdict(env, task).light
        if light is not None:
            lights[light] += 1
    worst = next((light for light in (Light.RED, Light.YELLOW) if lights[light]), None)
    if worst is None and open_tasks:
        worst = Light.GREEN
    fields: list[tuple[str, str]] = []
    if plan.status == ProjectStatus.CLOSED and plan.closed_at is not None:
        status = env.t(
            "project_status_closed",
            day=fmt_date(env.lang, env.local_day(plan.closed_at), env.today),
        )
    else:
        status = env.t("project_status_open")
    fields.append((env.t("project_field_status"), status))
    lines: list[Line] = []
    if plan.is_plan:
        owner = (
            queries.members_by_id(env.s, {plan.owner_id}).get(plan.owner_id)
            if plan.owner_id
            else None
        )
        fields.append((env.t("project_field_dates"), _dates(env, plan)))
        fields.append((env.t("project_field_goal"), plan.goal or env.t("project_goal_none")))
        fields.append((env.t("project_field_owner"), env.who(owner)))
        fields.append((env.t("project_field_buffer"), f"{plan.buffer_pct}%"))
    else:
        lines.append(Line(env.t("project_is_tag", project=plan.name)))
    done = counts.get(TaskStatus.DONE.value, 0)
    opened = sum(
        counts.get(s.value, 0) for s in (TaskStatus.TO_DO, TaskStatus.DOING, TaskStatus.BLOCKED)
    )
    fields.append((env.t("project_field_tasks"), env.t("project_tasks", open=opened, done=done)))
    if open_tasks:
        summary = env.t(
            "project_lights",
            red=lights[Light.RED],
            yellow=lights[Light.YELLOW],
            green=lights[Light.GREEN],
        )
    else:
        summary = env.t("project_lights_none")
    fields.append((env.t("project_field_lights"), summary))
    if plan.is_plan:
        state = plan_state.state(env, plan, open_tasks)
        worst = state.verdict.light
        lines.extend(light_lines(env, state))
        lines.extend(phases.plan_lines(env, state))
        lines.extend(kpis.plan_lines(env, state))
    return Reply(title, lines, fields=fields, light=worst, people=env.people)


def light_lines(env: Env, state: plan_state.PlanState) -> list[Line]:
    """A plan's light with what decided it, its buffer and forecast, and the phase running
    now (DESIGN.md, "Red / yellow / green")."""
    verdict = state.verdict
    why = env.t(verdict.reason, **verdict.params)
    lines = [Line(env.t("plan_light_why", why=why), verdict.light)]
    buffer = state.buffer
    if buffer is None:
        lines.append(Line(env.t("plan_buffer_no_span", project=_tag(state.project))))
    else:
        forecast = (
            fmt_date(env.lang, buffer.forecast, env.today)
            if buffer.forecast is not None
            else env.t("plan_forecast_none")
        )
        lines.append(
            Line(
                env.t(
                    "plan_buffer_line",
                    buffer=buffer.days,
                    used=pace.used_text(buffer),
                    days=buffer.used_days,
                    planned=fmt_date(env.lang, buffer.planned_finish, env.today),
                    forecast=forecast,
                ),
                buffer.light,
            )
        )
    current = state.current
    if current is not None and current.start_date and current.end_date:
        lines.append(
            Line(
                env.t(
                    "plan_phase_now",
                    phase=current.name,
                    start=fmt_date(env.lang, current.start_date, env.today),
                    end=fmt_date(env.lang, current.end_date, env.today),
                )
            )
        )
    elif state.phases:
        lines.append(Line(env.t("plan_phase_between")))
    return lines


def _tag(project: Project) -> str:
    """How a command names the project: its name, or its tag when the name has blanks."""
    return project.key if any(ch.isspace() for ch in project.name) else project.name
