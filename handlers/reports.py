"""The two scheduled posts, as plain functions of a channel and `now`: the morning reminder
(what is overdue or due today, by owner) and the weekly stand-up digest (counts and each
project's light, then one reply per project, then a question for the owners of red and yellow
items). The `remind` and `digest` commands preview them; the scheduler posts them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from handlers import kpis, plan_state, views
from handlers.charts import gantt
from handlers.context import Env
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.pace import worst_kpi
from handlers.plan_state import PlanState
from handlers.reply import Light, Line, Reply
from handlers.rules import Verdict
from storage import queries, report_rows
from storage.models import OPEN_STATUSES, ProjectStatus, TaskStatus
from storage.report_rows import Change, OpenBlocker, Owner, ReportTask

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
    late_by = {t.id: (today - t.due_date).days for t in tasks if t.due_date is not None}
    overdue = sum(1 for days in late_by.values() if days > 0)
    by_owner: dict[int | None, list[ReportTask]] = defaultdict(list)
    for task in tasks:
        by_owner[task.assignee_id].append(task)
    lines: list[Line] = []
    owners = sorted(by_owner, key=lambda i: (i is None, people[i].display_name if i else ""))
    for owner in owners:
        mine = by_owner[owner]
        lines.append(Line(env.t("remind_owner", who=env.who(people.get(owner)), n=len(mine))))
        for task in mine:
            late = late_by[task.id]
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
    assert reply is not None  # with the all-clear asked for, there is always something to say
    reply.lines.append(Line(env.t("preview_note")))
    return reply


# --- the weekly digest --------------------------------------------------------------------------

FLAGGED = (Light.RED, Light.YELLOW)  # the lights the digest asks about


def week_of(today: date) -> tuple[date, date]:
    """The seven days before the digest's day: last Monday to Sunday when posted on a Monday."""
    return today - timedelta(days=7), today - timedelta(days=1)


@dataclass(frozen=True)
class Week:
    """One channel's week as the digest reads it: the rows, the window, and what happened to
    each task within it. Read once by `read_week`; every piece of the digest takes it."""

    today: date
    first: date  # the first day of the week (a Monday when the digest is posted on a Monday)
    last: date  # its last day, the day before `today`
    start: datetime  # `first` at midnight in the channel's zone
    end: datetime  # `today` at midnight in the channel's zone
    quiet_before: datetime  # an owner who did nothing in the bot since this is quiet
    tasks: list[ReportTask]  # open tasks, and those closed since `start`
    owners: dict[int | None, Owner]
    projects: dict[int, str]
    blockers: dict[int, OpenBlocker]
    changes: dict[int, list[Change]]  # status and due changes in [start, end) by task, oldest first
    later: dict[int, list[Change]]  # those made since `end` (before the digest), oldest first
    lights: dict[int, Verdict]  # by task id
    done: frozenset[int]  # ids of the tasks marked done within the week
    explained: frozenset[int]  # ids of the tasks given a reason this week (a status change's note)

    def light(self, task: ReportTask) -> Light | None:
        return self.lights[task.id].light

    def flagged(self, task: ReportTask) -> bool:
        return self.light(task) in FLAGGED


@dataclass(frozen=True)
class ProjectWeek:
    """The tasks of one project (or of none, `key` None) that the digest shows: open, or done
    within the week."""

    key: int | None
    name: str
    tasks: list[ReportTask]


class ProjectLight(NamedTuple):
    light: Light
    why: str


class Slip(NamedTuple):
    task: ReportTask
    key: str  # the message that says how it slipped
    days: dict[str, date]  # that message's dates


def read_week(env: Env) -> Week:
    """The week before the channel's today, with its rows and each task's changes and light."""
    today = env.today
    first, last = week_of(today)
    start = datetime.combine(first, time(0), env.zone)
    end = datetime.combine(today, time(0), env.zone)
    conn = env.s.connection()
    rows = report_rows.open_or_closed_since(conn, env.channel.id, start)
    changes: dict[int, list[Change]] = defaultdict(list)
    later: dict[int, list[Change]] = defaultdict(list)
    # Up to now, not only to the week's end: a task snoozed this morning (the reminder's button)
    # still slipped last week, and what it was at the week's end is read back from these.
    until = env.now + timedelta(seconds=1)
    for change in report_rows.changes(conn, env.channel.id, start, until, ("status", "due")):
        (changes if _aware(change.at) < end else later)[change.task_id].append(change)
    done = frozenset(
        t.id
        for t in rows.tasks
        if any(c.field == "status" and c.new == TaskStatus.DONE for c in changes.get(t.id, ()))
    )
    return Week(
        today=today,
        first=first,
        last=last,
        start=start,
        end=end,
        quiet_before=env.now - timedelta(days=7),
        tasks=rows.tasks,
        owners=rows.owners,
        projects=rows.projects,
        blockers=rows.blockers,
        changes=dict(changes),
        later=dict(later),
        lights={t.id: views.verdict(env, t) for t in rows.tasks},
        done=done,
        explained=frozenset(
            task_id
            for task_id, seen in changes.items()
            if any(c.field == "status" and c.note for c in seen)
        ),
    )


def _aware(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite gives them back without a zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def digest(env: Env) -> Reply:
    """The parent message, with one thread reply per project and a last one that asks."""
    week = read_week(env)
    projects = _projects(env, week)
    parent = Reply(
        env.t(
            "digest_title",
            first=fmt_date(env.lang, week.first, week.today),
            last=fmt_date(env.lang, week.last, week.today),
        ),
        fields=[("", _counts(env, week))],
        people=env.people,
    )
    worst: list[Light] = []
    charted: list[tuple[int, gantt.Frame, list[ReportTask], Reply]] = []
    plans = _plans(env, projects)
    for project in projects:
        plan = plans.get(project.key) if project.key is not None else None
        if plan is not None:
            verdict = ProjectLight(
                plan.verdict.light, env.t(plan.verdict.reason, **plan.verdict.params)
            )
            parent.lines.append(_plan_summary_line(env, week, project, plan, verdict))
            reply = _plan_reply(env, week, project, plan, verdict)
        else:
            verdict = _project_light(env, week, project)
            parent.lines.append(_summary_line(week, project, verdict))
            reply = _project_reply(env, week, project, verdict)
        if env.channel.digest_charts and verdict.light in FLAGGED and project.key is not None:
            frame = (
                gantt.Frame.of(env, plan)
                if plan is not None
                else gantt.Frame(verdict.light, verdict.why)
            )
            charted.append((project.key, frame, project.tasks, reply))
        parent.thread.append(reply)
        worst.append(verdict.light)
    _attach_charts(env, week, charted)
    if not projects:
        parent.lines.append(Line(env.t("digest_empty")))
    parent.light = min(worst, key=lambda lt: views.LIGHT_ORDER[lt.value]) if worst else None
    ask = _ask_owners(env, week)
    if ask is not None:
        parent.thread.append(ask)
    return parent


def _attach_charts(
    env: Env, week: Week, charted: list[tuple[int, gantt.Frame, list[ReportTask], Reply]]
) -> None:
    """The Gantt chart of each red or yellow project, on its thread reply (`settings charts`):
    the tasks this digest read for it (this channel's, open or closed within the week), with
    the lights it judged, in two small queries however many projects."""
    if not charted:
        return
    rows = queries.projects_by_id(env.s, {key for key, _, _, _ in charted})
    wanted = [
        (row, frame, tasks)
        for key, frame, tasks, _ in charted
        if (row := rows.get(key)) is not None
    ]
    lights = {task_id: verdict.light for task_id, verdict in week.lights.items()}
    drawn = gantt.week_pictures(env, wanted, lights)
    for key, _, _, reply in charted:
        if key in drawn:
            reply.pictures.append(drawn[key])


def _plans(env: Env, projects: list[ProjectWeek]) -> dict[int, PlanState]:
    """The state today of each open plan among the digest's projects, by project id (tags, and
    closed plans, keep the task lines)."""
    ids = {p.key for p in projects if p.key is not None}
    rows = queries.projects_by_id(env.s, ids) if ids else {}
    plans = [
        row
        for row in rows.values()
        if row is not None and row.is_plan and row.status == ProjectStatus.OPEN
    ]
    return plan_state.states(env, plans)


def _open(tasks: list[ReportTask]) -> list[ReportTask]:
    return [t for t in tasks if t.status in OPEN_STATUSES]


def _projects(env: Env, week: Week) -> list[ProjectWeek]:
    """The projects with an open task or one done this week, by name, the unfiled ones last."""
    groups: dict[int | None, ProjectWeek] = {}
    for task in week.tasks:
        if task.status in OPEN_STATUSES or task.id in week.done or _open_at_end(week, task):
            key = task.project_id
            if key not in groups:
                name = week.projects[key] if key is not None else env.t("no_project")
                groups[key] = ProjectWeek(key, name, [])
            groups[key].tasks.append(task)
    return sorted(groups.values(), key=lambda p: (p.key is None, p.name.casefold()))


def _counts(env: Env, week: Week) -> str:
    """Done, new, overdue and blocked in the channel, for the parent message."""
    new = [t for t in week.tasks if week.start <= t.created_at < week.end]
    overdue = [t for t in _open(week.tasks) if t.due_date and t.due_date < week.today]
    blocked = [t for t in week.tasks if t.status == TaskStatus.BLOCKED]
    return env.t(
        "digest_counts",
        done=len(week.done),
        new=len(new),
        overdue=len(overdue),
        blocked=len(blocked),
    )


def _summary_line(week: Week, project: ProjectWeek, verdict: ProjectLight) -> Line:
    """The project's line in the parent message: its light, why, and its open tasks' bar."""
    bar = light_bar([week.light(t) for t in _open(project.tasks)])
    text = f"+{project.name} — {verdict.why}"
    return Line(f"{text} · {bar}" if bar else text, verdict.light)


SQUARES = {Light.RED: "🟥", Light.YELLOW: "🟨", Light.GREEN: "🟩"}


def light_bar(lights: list[Light | None], width: int = 10) -> str:
    """A project's open tasks at a glance: one square per task, red first, up to `width`;
    the tasks past that are counted after the squares ("+3"), never scaled, so the squares
    and the counts beside them always agree."""
    ordered = [lt for light in SQUARES for lt in lights if lt == light]
    bar = "".join(SQUARES[lt] for lt in ordered[:width])
    return f"{bar} +{len(ordered) - width}" if len(ordered) > width else bar


def _project_light(env: Env, week: Week, project: ProjectWeek) -> ProjectLight:
    """Red when any open task is red, yellow when any is yellow, else green; with the tasks."""
    open_tasks = _open(project.tasks)
    red = [t for t in open_tasks if week.light(t) == Light.RED]
    yellow = [t for t in open_tasks if week.light(t) == Light.YELLOW]
    if red:
        return ProjectLight(
            Light.RED,
            env.t("project_red", n=len(red), tasks=", ".join(f"#{t.number}" for t in red[:5])),
        )
    if yellow:
        return ProjectLight(
            Light.YELLOW,
            env.t(
                "project_yellow",
                n=len(yellow),
                tasks=", ".join(f"#{t.number}" for t in yellow[:5]),
            ),
        )
    return ProjectLight(Light.GREEN, env.t("project_green", n=len(open_tasks)))


# --- a plan's lines: phase, worst KPI, buffer, and the remedy of each red KPI -----------------


def _pct(value: float) -> str:
    return "∞" if value == float("inf") else str(round(value))


def plan_phase_text(env: Env, plan: PlanState) -> str:
    if plan.current is None:
        return env.t("digest_plan_no_phase")
    return env.t("digest_plan_phase", phase=plan.current.name)


def plan_kpi_text(env: Env, plan: PlanState) -> tuple[str, Light | None]:
    """The KPI furthest behind its pace, and its light."""
    worst = worst_kpi(row.pace for row in plan.kpis)
    if worst is None:
        return env.t("digest_plan_no_kpi"), None
    text = env.t(
        "digest_plan_kpi",
        kpi=worst.name,
        label=f"{worst.label} " if worst.label else "",
        pace=_pct(worst.pace or 0.0),
    )
    return text, worst.light


def plan_buffer_text(env: Env, plan: PlanState) -> tuple[str, Light | None]:
    buffer = plan.buffer
    if buffer is None:
        return env.t("digest_plan_no_buffer"), None
    text = env.t(
        "digest_plan_buffer",
        used=_pct(buffer.used_percent),
        days=buffer.used_days,
        buffer=buffer.days,
    )
    return text, buffer.light


def _lit(text: str, light: Light | None) -> str:
    return f"{light.emoji} {text}" if light is not None else text


def _plan_summary_line(
    env: Env, week: Week, project: ProjectWeek, plan: PlanState, verdict: ProjectLight
) -> Line:
    """A plan's line in the parent message: its light and why, the phase running, the worst
    KPI's pace, the buffer used, and this channel's open tasks as a bar."""
    kpi, _ = plan_kpi_text(env, plan)
    buffer, _ = plan_buffer_text(env, plan)
    parts = [f"+{project.name} — {verdict.why}", plan_phase_text(env, plan), kpi, buffer]
    bar = light_bar([week.light(t) for t in _open(project.tasks)])
    if bar:
        parts.append(bar)
    return Line(" · ".join(parts), verdict.light)


def _remedy_lines(env: Env, plan: PlanState) -> list[Line]:
    """One line per red KPI (worst first), saying its remedy; the same suggestion once."""
    red = [row for row in plan.kpis if row.pace.light == Light.RED]
    red.sort(key=lambda row: row.pace.pace or 0.0)
    seen: set[str] = set()
    lines: list[Line] = []
    for row in red:
        text = kpis.remedy_text(env, plan, row)
        if text is not None and text not in seen:
            seen.add(text)
            lines.append(Line(text, Light.RED))
    return lines


def _plan_reply(
    env: Env, week: Week, project: ProjectWeek, plan: PlanState, verdict: ProjectLight
) -> Reply:
    """A plan's thread reply: a header (the project, its light and why), the phase, the worst
    KPI and the buffer as fields, each red KPI's remedy, then the task lines of a tag's reply."""
    kpi, kpi_light = plan_kpi_text(env, plan)
    buffer, buffer_light = plan_buffer_text(env, plan)
    reply = Reply(
        f"+{project.name} — {verdict.why}",
        light=verdict.light,
        people=env.people,
        fields=[
            (env.t("digest_field_phase"), plan_phase_text(env, plan)),
            (env.t("digest_field_kpi"), _lit(kpi, kpi_light)),
            (env.t("digest_field_buffer"), _lit(buffer, buffer_light)),
        ],
    )
    reply.lines.extend(_remedy_lines(env, plan))
    reply.lines.extend(_attention_lines(env, week, project))
    reply.lines.extend(_done_lines(env, week, project))
    reply.lines.extend(_slipped_lines(env, week, project))
    reply.lines.extend(_quiet_lines(env, week, project))
    if not reply.lines:
        reply.lines.append(Line(env.t("digest_nothing")))
    return reply


def _project_reply(env: Env, week: Week, project: ProjectWeek, verdict: ProjectLight) -> Reply:
    """The project's thread reply: what needs attention, what got done, what slipped, and who
    has not updated."""
    reply = Reply(f"+{project.name} — {verdict.why}", light=verdict.light, people=env.people)
    reply.lines.extend(_attention_lines(env, week, project))
    reply.lines.extend(_done_lines(env, week, project))
    reply.lines.extend(_slipped_lines(env, week, project))
    reply.lines.extend(_quiet_lines(env, week, project))
    if not reply.lines:
        reply.lines.append(Line(env.t("digest_nothing")))
    return reply


def _attention_lines(env: Env, week: Week, project: ProjectWeek) -> list[Line]:
    """Red then yellow open tasks, each with its owner, its reason and its buttons."""
    flagged = [t for t in _open(project.tasks) if week.flagged(t)]
    if not flagged:
        return []
    flagged.sort(key=lambda t: views.light_order(week.lights[t.id].light))
    lines = [Line(env.t("digest_attention"))]
    for task in flagged:
        verdict = week.lights[task.id]
        text = (
            f"#{task.number} {task.title} · {env.who(week.owners.get(task.assignee_id))} — "
            f"{views.reason(env, verdict, week.blockers.get(task.id))}"
        )
        lines.append(Line(text, verdict.light, views.actions(env, task)))
    return lines


def _done_lines(env: Env, week: Week, project: ProjectWeek) -> list[Line]:
    finished = [t for t in project.tasks if t.id in week.done]
    if not finished:
        return []
    lines = [Line(env.t("digest_done", n=len(finished)))]
    for task in finished:
        text = f"#{task.number} {task.title} · {env.who(week.owners.get(task.assignee_id))}"
        late = _days_late(env, task)
        if late > 0:
            text += f" — {env.t('digest_done_late', span=views.span_text(env, late))}"
        lines.append(Line(text))
    return lines


def _days_late(env: Env, task: ReportTask) -> int:
    """How many days after its due date a closed task was finished (0: on time, or no date)."""
    if task.due_date is None or task.closed_at is None:
        return 0
    return max(0, (env.local_day(_aware(task.closed_at)) - task.due_date).days)


def _slipped_lines(env: Env, week: Week, project: ProjectWeek) -> list[Line]:
    slipped = _slipped(week, project.tasks)
    if not slipped:
        return []
    lines = [Line(env.t("digest_slipped", n=len(slipped)))]
    for slip in slipped:
        shown = {k: fmt_date(env.lang, d, week.today) for k, d in slip.days.items()}
        lines.append(Line(f"#{slip.task.number} {slip.task.title} — {env.t(slip.key, **shown)}"))
    return lines


def _slipped(week: Week, tasks: list[ReportTask]) -> list[Slip]:
    """Tasks whose due date moved later this week, or that passed their due date unfinished."""
    out: list[Slip] = []
    for task in tasks:
        moved = [
            c
            for c in week.changes.get(task.id, ())
            if c.field == "due" and c.old and c.new and c.new > c.old
        ]
        if moved:
            first, last = moved[0].old, moved[-1].new
            assert first is not None and last is not None  # as the filter above says
            days = {"old": date.fromisoformat(first), "new": date.fromisoformat(last)}
            out.append(Slip(task, "slipped_moved", days))
        else:
            due = _due_at_end(week, task)
            if _open_at_end(week, task) and due and week.first <= due < week.today:
                out.append(Slip(task, "slipped_missed", {"due": due}))
    return out


def _due_at_end(week: Week, task: ReportTask) -> date | None:
    """The task's due date as the week ended (before any snooze since)."""
    for change in week.later.get(task.id, ()):
        if change.field == "due":
            return date.fromisoformat(change.old) if change.old else None
    return task.due_date


def _open_at_end(week: Week, task: ReportTask) -> bool:
    """Whether the task was open as the week ended (it may have been closed since)."""
    for change in week.later.get(task.id, ()):
        if change.field == "status":
            return change.old in OPEN_STATUSES
    return task.status in OPEN_STATUSES


def _quiet_lines(env: Env, week: Week, project: ProjectWeek) -> list[Line]:
    """The owners of the project's open tasks who did nothing in the bot (no command, no answer,
    no change) for seven days; someone the bot has known for less than that is not quiet yet."""
    owners = dict.fromkeys(t.assignee_id for t in _open(project.tasks) if t.assignee_id)
    silent = [m for m in owners if _quiet(week, week.owners.get(m))]
    if not silent:
        return []
    who = ", ".join(env.who(week.owners.get(m)) for m in silent)
    return [Line(env.t("digest_quiet", who=who))]


def _quiet(week: Week, owner: Owner | None) -> bool:
    if owner is None:
        return False
    seen = owner.last_active_at or owner.created_at
    return seen is None or _aware(seen) < week.quiet_before


def _ask_owners(env: Env, week: Week) -> Reply | None:
    """A last reply that asks the owners of red and yellow items that have no reason yet (no
    open blocker, no note this week) what is in the way; one line per owner, with their tasks.
    Nobody else is mentioned."""
    unexplained: dict[int, list[ReportTask]] = defaultdict(list)
    for task in _open(week.tasks):
        if (
            task.assignee_id
            and week.flagged(task)
            and task.id not in week.blockers
            and task.id not in week.explained
        ):
            unexplained[task.assignee_id].append(task)
    if not unexplained:
        return None
    lines = [
        Line(
            env.t(
                "digest_ask_reason",
                who=env.who(week.owners.get(owner)),
                tasks=", ".join(f"#{t.number}" for t in unexplained[owner]),
            )
        )
        for owner in sorted(unexplained)
    ]
    return Reply(env.t("digest_ask_reason_title"), lines, people=env.people)


def digest_command(env: Env, cmd: Command) -> Reply:
    """`digest` / `周报`: this channel's weekly digest as it would be posted now."""
    reply = digest(env)
    reply.thread.append(Reply(env.t("preview_title"), [Line(env.t("preview_note"))]))
    return reply
