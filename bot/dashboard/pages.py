"""What the dashboard's pages show, read through the core (the portfolio's summaries, the
plan's state, the board's tasks, the blockers, the task events, the chart builders) with the
reader's Env: plain data for the templates, every text already in the reader's language, every
mention and moment resolved to plain words."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from handlers import charts, plan_state, views
from handlers.charts import fever, gantt, kpi_chart
from handlers.context import Env
from handlers.dashboard import sees_everything
from handlers.errors import UserError
from handlers.messages import fmt_date
from handlers.numbers import fmt_amount
from handlers.portfolio import COLUMNS, DONE_DAYS, buffer_text, finish_text, kpi_text, worst_first
from handlers.reply import Light, Picture, resolve_mentions, resolve_moments
from storage import queries
from storage.models import Member, Project, Task, TaskStatus

log = logging.getLogger(__name__)

SORTS = ("light", "pace", "buffer", "finish", "red")
CHANGES_DAYS = 7
CHANGES_LIMIT = 100


def plain(env: Env, text: str) -> str:
    """A core text with its placeholders as words: `@name`, a time in the reader's zone."""
    text = resolve_mentions(text, env.people, lambda p: "@" + p.name)
    return resolve_moments(text, lambda m: m.astimezone(env.zone).strftime("%Y-%m-%d %H:%M"))


def light_name(light: Light | None) -> str:
    return light.value if light is not None else "none"


# --- the portfolio -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioRow:
    id: int
    name: str
    light: str
    why: str
    kpi: str
    pace: float | None
    buffer: str
    used: float | None
    finish: str
    forecast: date | None
    red: int
    order: tuple


def visible_projects(env: Env) -> list[Project]:
    """The open projects the reader sees: all of them for managers and admins, else those they
    work in."""
    projects = queries.open_projects(env.s, env.ws)
    if sees_everything(env.me.role):
        return projects
    mine = queries.projects_worked_in(env.s, env.me.id)
    return [p for p in projects if p.id in mine]


def portfolio(env: Env) -> list[PortfolioRow]:
    """The portfolio's rows, worst first."""
    projects = visible_projects(env)
    summaries = plan_state.summaries(env, projects)
    rows = []
    for p in projects:
        s = summaries[p.id]
        if not (p.is_plan or s.has_open):  # a tag no open task names any more
            continue
        pace = s.worst.pace if s.worst is not None else None
        rows.append(
            PortfolioRow(
                id=p.id,
                name=p.name,
                light=light_name(s.verdict.light),
                why=plain(env, env.t(s.verdict.reason, **s.verdict.params)),
                kpi=kpi_text(env, s.worst),
                pace=pace,
                buffer=buffer_text(env, s.buffer) if p.is_plan else "—",
                used=s.buffer.used_percent if s.buffer is not None else None,
                finish=finish_text(env, s.buffer),
                forecast=s.buffer.forecast if s.buffer is not None else None,
                red=s.red_tasks,
                order=worst_first(s),
            )
        )
    return sort_rows(rows, "light")


def sort_rows(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    return sorted(rows, key=_SORT_KEYS.get(sort, _SORT_KEYS["light"]))


_INF = float("inf")
_SORT_KEYS: dict[str, Callable[[PortfolioRow], tuple]] = {
    "light": lambda r: r.order,
    "pace": lambda r: (r.pace is None, r.pace if r.pace is not None else _INF, r.order),
    "buffer": lambda r: (r.used is None, -(r.used or 0.0), r.order),
    "finish": lambda r: (r.forecast is None, r.forecast or date.max, r.order),
    "red": lambda r: (-r.red, r.order),
}


# --- a project -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    src: str | None  # a data: URL of the SVG, None when it could not be drawn
    note: str = ""


@dataclass(frozen=True)
class Card:
    number: int
    title: str
    owner: str
    due: str
    progress: int
    light: str
    status: str


@dataclass(frozen=True)
class BlockerRow:
    number: int
    title: str
    owner: str
    reason: str
    cause: str
    age_days: int
    since: str


@dataclass(frozen=True)
class ChangeRow:
    number: int
    title: str
    text: str


@dataclass
class ProjectPage:
    id: int
    name: str
    is_plan: bool
    light: str | None
    why: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    # name, actual, target, pace, light
    kpis: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    gantt: Chart | None = None
    gantt_page: int = 1
    gantt_pages: int = 1
    charts: list[Chart] = field(default_factory=list)
    columns: list[tuple[str, list[Card]]] = field(default_factory=list)
    hidden: int = 0
    blockers: list[BlockerRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)


def readable_project(env: Env, project_id: int) -> Project | None:
    """The project if the reader may see it (same rule as the portfolio), else None — answered
    as a project that does not exist."""
    project = env.s.get(Project, project_id)
    if project is None or project.workspace_id != env.ws.id:
        return None
    if not sees_everything(env.me.role) and project.id not in queries.projects_worked_in(
        env.s, env.me.id
    ):
        return None
    return project


def project_page(env: Env, project: Project, gantt_page: int) -> ProjectPage:
    tasks = queries.board_tasks(env.s, project.id, env.now - timedelta(days=DONE_DAYS))
    visible = [t for t in tasks if env.may_read(t)]
    open_tasks = [t for t in tasks if t.status != TaskStatus.DONE]
    page = ProjectPage(project.id, project.name, project.is_plan, None, "")
    if project.is_plan:
        st = plan_state.state(env, project, open_tasks)
        page.light = light_name(st.verdict.light)
        page.why = plain(env, env.t(st.verdict.reason, **st.verdict.params))
        page.facts = _facts(env, project, st)
        page.kpis = [
            (
                f"{row.kpi.name} {row.kpi.label}".strip(),
                fmt_amount(row.pace.actual, env.lang, row.kpi.unit)
                if row.pace.actual is not None
                else "—",
                fmt_amount(row.kpi.target, env.lang, row.kpi.unit),
                f"{round(row.pace.pace)}%" if row.pace.pace is not None else "—",
                light_name(row.pace.light),
            )
            for row in st.kpis
        ]
    page.gantt, page.gantt_pages = gantt_chart(env, project, gantt_page)
    page.gantt_page = min(max(1, gantt_page), page.gantt_pages)
    page.charts = other_charts(env, project)
    owners = queries.members_by_id(env.s, {t.assignee_id for t in visible if t.assignee_id})
    page.columns = _columns(env, visible, owners)
    page.hidden = len(tasks) - len(visible)
    page.blockers = _blockers(env, visible, owners)
    page.changes = _changes(env, project)
    return page


def _facts(env: Env, project: Project, st: plan_state.PlanState) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if project.goal:
        facts.append((env.t("dash_goal"), project.goal))
    if st.span is not None:
        dates = f"{fmt_date(env.lang, st.span.start, env.today)} – "
        dates += fmt_date(env.lang, st.span.end, env.today)
        facts.append((env.t("dash_dates"), dates))
    if st.current is not None:
        facts.append((env.t("dash_phase"), st.current.name))
    facts.append((env.t("dash_buffer"), buffer_text(env, st.buffer)))
    facts.append((env.t("dash_finish"), finish_text(env, st.buffer)))
    facts.append((env.t("dash_red"), str(st.red_tasks)))
    return facts


def _svg_src(picture: Picture) -> str:
    data = charts.draw(picture, charts.SVG)
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def _guarded(env: Env, what: str, build: Callable[[], list[Picture]]) -> list[Chart]:
    """Charts drawn as SVG; one that cannot be drawn is a note in its place (and a log line
    with the trace), never a page that fails."""
    try:
        return [Chart(p.title, p.alt, _svg_src(p)) for p in build()]
    except UserError as err:
        return [Chart(what, "", None, env.t(err.key, **err.params))]
    except Exception:
        log.exception("dashboard: %s could not be drawn", what)
        return [Chart(what, "", None, env.t("dash_chart_failed"))]


def gantt_chart(env: Env, project: Project, page: int) -> tuple[Chart, int]:
    pages = 1

    def build() -> list[Picture]:
        nonlocal pages
        picture, pages = gantt.picture(env, project, max(1, page))
        return [picture]

    chart = _guarded(env, env.t("dash_gantt"), build)[0]
    return chart, max(1, pages)


def other_charts(env: Env, project: Project) -> list[Chart]:
    """The KPI charts and the buffer fever chart of a plan."""
    if not project.is_plan:
        return []
    found = _guarded(env, env.t("dash_kpi_chart"), lambda: kpi_chart.pictures(env, project))
    found += _guarded(env, env.t("dash_fever"), lambda: [fever.picture(env, project)])
    return found


def draw_all(env: Env, project: Project) -> list[bytes]:
    """Every chart of the project page as SVG bytes, unguarded (a failure raises)."""
    pictures = [gantt.picture(env, project, 1)[0]]
    if project.is_plan:
        pictures += [*kpi_chart.pictures(env, project), fever.picture(env, project)]
    return [charts.draw(p, charts.SVG) for p in pictures]


def _owner(env: Env, member: Member | None) -> str:
    return member.display_name if member is not None else env.t("nobody")


def _columns(
    env: Env, tasks: list[Task], owners: dict[int | None, Member]
) -> list[tuple[str, list[Card]]]:
    lights = views.lights(env, tasks)
    by_column: dict[TaskStatus, list[Task]] = {c: [] for c in COLUMNS}
    for task in tasks:
        by_column[TaskStatus(task.status)].append(task)
    for column in COLUMNS[:3]:
        by_column[column].sort(
            key=lambda t: (
                views.light_order(lights[t.id]),
                t.due_date is None,
                t.due_date or date.max,
                t.number,
            )
        )
    by_column[TaskStatus.DONE].sort(key=lambda t: t.closed_at or env.now, reverse=True)
    out = []
    for column in COLUMNS:
        cards = [
            Card(
                t.number,
                t.title,
                _owner(env, owners.get(t.assignee_id)),
                views.due_text(env, t) if t.status != TaskStatus.DONE else "",
                t.progress,
                light_name(lights[t.id]),
                env.t(f"status_{t.status}"),
            )
            for t in by_column[column]
        ]
        out.append((env.t(f"board_col_{column.value}"), cards))
    return out


def _blockers(env: Env, tasks: list[Task], owners: dict[int | None, Member]) -> list[BlockerRow]:
    blocked = [t for t in tasks if t.status == TaskStatus.BLOCKED]
    found = queries.open_blockers(env.s, [t.id for t in blocked])
    rows = []
    for task in blocked:
        blocker = found.get(task.id)
        if blocker is None:
            continue
        day = env.local_day(blocker.reported_at)
        rows.append(
            BlockerRow(
                task.number,
                task.title,
                _owner(env, owners.get(task.assignee_id)),
                blocker.reason,
                env.t(f"cause_{blocker.cause}") if blocker.cause else "—",
                (env.today - day).days,
                fmt_date(env.lang, day, env.today),
            )
        )
    return sorted(rows, key=lambda r: (-r.age_days, r.number))


def _changes(env: Env, project: Project) -> list[ChangeRow]:
    since = env.now - timedelta(days=CHANGES_DAYS)
    events = queries.project_events_since(env.s, project.id, since, CHANGES_LIMIT)
    readable = [(e, t) for e, t in events if env.may_read(t)]
    ids = {e.actor_id for e, _ in readable}
    ids |= {int(e.new) for e, _ in readable if e.field == "assignee" and e.new and e.new.isdigit()}
    ids |= {int(e.old) for e, _ in readable if e.field == "assignee" and e.old and e.old.isdigit()}
    people = queries.members_by_id(env.s, ids)
    return [
        ChangeRow(task.number, task.title, plain(env, views.event_text(env, event, people)))
        for event, task in readable
    ]


# --- my tasks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyTask:
    number: int
    title: str
    project_id: int | None
    project: str
    status: str
    due: str
    progress: int
    light: str
    why: str


def my_tasks(env: Env) -> tuple[list[MyTask], int]:
    """The reader's open tasks (worst first) and how many more there are than shown."""
    limit = env.ctx.config.list_limit * 4
    tasks = queries.open_tasks_of(env.s, env.me.id, limit=limit)
    lights = views.rank(env, tasks)
    projects = queries.projects_by_id(env.s, {t.project_id for t in tasks if t.project_id})
    total = queries.open_tasks_count_of(env.s, env.me.id)
    rows = []
    for t in tasks:
        project = projects.get(t.project_id)
        verdict = views.verdict(env, t)
        rows.append(
            MyTask(
                t.number,
                t.title,
                project.id if project is not None else None,
                project.name if project is not None else "",
                env.t(f"status_{t.status}"),
                views.due_text(env, t),
                t.progress,
                light_name(lights[t.id]),
                plain(env, views.reason(env, verdict)) if verdict.light != Light.GREEN else "",
            )
        )
    return rows, max(0, total - len(rows))


def updated_text(env: Env, now: datetime) -> str:
    return now.astimezone(env.zone).strftime("%Y-%m-%d %H:%M")
