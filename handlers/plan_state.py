"""A plan as the rules see it on a day: its phases, each KPI's pace, the buffer, the red tasks
and the project's light with what decided it. Read from the database here, judged by the pure
functions of handlers/pace.py; shown by `project show`, `portfolio`, `board` and the digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from handlers import views
from handlers.context import Env
from handlers.pace import (
    Buffer,
    KpiPace,
    OpenTask,
    ProjectVerdict,
    Span,
    buffer_state,
    forecast_finish,
    kpi_pace,
    project_light,
    worst_kpi,
)
from handlers.reply import Light
from storage import queries, report_rows
from storage.models import Blocker, Kpi, KpiActual, Phase, Project, Task, TaskStatus

P = TypeVar("P", Phase, queries.PhaseDates)


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    actual: KpiActual | None  # the latest one
    pace: KpiPace


@dataclass(frozen=True)
class PlanState:
    project: Project
    span: Span | None  # start..end of a plan with both dates
    phases: list[Phase]
    current: Phase | None  # the phase running today
    kpis: list[KpiRow]
    buffer: Buffer | None  # None without a span
    tasks: list[Task]  # the open ones (`state`; `states` counts them and leaves this empty)
    lights: dict[int, Light | None]  # each open task's light, by id (`state` only)
    red_tasks: int
    verdict: ProjectVerdict


def project_span(project: Project, created: date) -> Span | None:
    if not project.is_plan or project.end_date is None:
        return None
    start = project.start_date or created
    return Span(start, project.end_date) if start <= project.end_date else None


def phase_span(phase: Phase | queries.PhaseDates | None) -> Span | None:
    if phase is None or phase.start_date is None or phase.end_date is None:
        return None
    return Span(phase.start_date, phase.end_date) if phase.start_date <= phase.end_date else None


def running_phase(phases: Sequence[P], today: date) -> P | None:
    for phase in phases:
        span = phase_span(phase)
        if span is not None and span.start <= today <= span.end:
            return phase
    return None


def state(env: Env, project: Project, tasks: Sequence[Task] | None = None) -> PlanState:
    """`tasks`: the project's open tasks when the caller has them already."""
    open_tasks = tasks if tasks is not None else queries.open_project_tasks(env.s, project)
    phases: list[Phase] = []
    kpis: list[Kpi] = []
    actuals: dict[int, KpiActual] = {}
    splits: dict[int, list[tuple[int, float]]] = {}
    if project.is_plan:
        phases = queries.phases_of(env.s, project.id)
        kpis = queries.kpis_of(env.s, project.id)
        ids = [k.id for k in kpis]
        actuals = queries.latest_actuals(env.s, ids)
        for kpi_id, rows in queries.kpi_splits(env.s, ids).items():
            splits[kpi_id] = [(row.phase_id, row.amount) for row in rows]
    blockers = _blockers(env, project, open_tasks)
    lights = views.lights(env, open_tasks)
    links: list[tuple[int, int]] = []
    if project.is_plan and project.end_date is not None:
        links = queries.dependencies_among(env.s, [t.id for t in open_tasks])
    forecast = forecast_finish(
        (_open_task(env, t, blockers) for t in open_tasks), env.today, _after(links)
    )
    red = sum(1 for light in lights.values() if light == Light.RED)
    return _judge(
        env, project, phases, kpis, actuals, splits, red, forecast, list(open_tasks), lights
    )


def states(env: Env, projects: Sequence[Project]) -> dict[int, PlanState]:
    """Many plans' states at once (the digest's), by project id: each table read once for all
    of them, and the open tasks counted in the database (`queries.open_figures`: the red ones,
    the first and last due dates, the oldest blocker), not read — the same judgement as
    `state`, whose `tasks` and `lights` these states leave empty."""
    plans = [p for p in projects if p.is_plan]
    ids = [p.id for p in plans]
    figures = queries.open_figures(env.s, ids, env.today)
    phases = queries.phases_of_projects(env.s, ids)
    kpis = queries.kpis_of_projects(env.s, ids)
    kpi_ids = [k.id for rows in kpis.values() for k in rows]
    actuals = queries.latest_actuals(env.s, kpi_ids)
    splits = report_rows.kpi_splits(env.s.connection(), kpi_ids)
    chains = _chain_forecasts(env, ids)
    out: dict[int, PlanState] = {}
    for p in plans:
        counted = figures.get(p.id)
        out[p.id] = _judge(
            env,
            p,
            phases.get(p.id, []),
            kpis.get(p.id, []),
            actuals,
            splits,
            counted.red if counted else 0,
            _later(_counted_forecast(env, counted), chains.get(p.id)),
            [],
            {},
        )
    return out


def _open_task(env: Env, task: Task, blockers: Mapping[int, Blocker]) -> OpenTask:
    blocker = blockers.get(task.id)
    return OpenTask(
        task.due_date,
        env.local_day(blocker.reported_at) if blocker is not None else None,
        task.id,
        task.start_date or env.local_day(task.created_at),
    )


def _after(links: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    after: dict[int, list[int]] = {}
    for task_id, after_id in links:
        after.setdefault(task_id, []).append(after_id)
    return after


def _chain_forecasts(env: Env, project_ids: list[int]) -> dict[int, date | None]:
    """For the plans whose open tasks wait for one another, the forecast of those chains (the
    critical path) by project id: one query when no plan has any, three at most otherwise,
    whatever the number of plans. The other tasks are in the counted forecast."""
    chains = queries.open_chains(env.s, project_ids)
    if not chains:
        return {}
    ids = {i for links in chains.values() for link in links for i in link}
    tasks = queries.tasks_by_id(env.s, ids)
    blockers = queries.open_blockers(
        env.s, [t.id for t in tasks.values() if t.status == TaskStatus.BLOCKED]
    )
    out: dict[int, date | None] = {}
    for project_id, links in chains.items():
        involved = {i for link in links for i in link}
        out[project_id] = forecast_finish(
            (_open_task(env, tasks[i], blockers) for i in involved), env.today, _after(links)
        )
    return out


def _later(one: date | None, other: date | None) -> date | None:
    if one is None or other is None:
        return one or other
    return max(one, other)


def _counted_forecast(env: Env, counted: queries.OpenFigures | None) -> date | None:
    """The forecast from a plan's counted open tasks: the latest of its earliest and latest due
    dates and its oldest blocker is the latest of all its tasks (`forecast_finish`)."""
    if counted is None:
        return None
    tasks = [OpenTask(counted.first_due), OpenTask(counted.last_due)]
    if counted.oldest_blocker is not None:
        tasks.append(OpenTask(env.today, env.local_day(counted.oldest_blocker)))
    return forecast_finish(tasks, env.today)


def _blockers(env: Env, project: Project, open_tasks: Sequence[Task]) -> dict[int, Blocker]:
    if not project.is_plan or project.end_date is None:
        return {}
    # only a blocked task has an open blocker (`block` sets both, `unblock`, `done` and
    # `cancel` clear both): asking for the few, not every open task, keeps this query short
    return queries.open_blockers(
        env.s, [t.id for t in open_tasks if t.status == TaskStatus.BLOCKED]
    )


def _judge(
    env: Env,
    project: Project,
    phases: list[Phase],
    kpis: list[Kpi],
    actuals: dict[int, KpiActual],
    splits: dict[int, list[tuple[int, float]]],  # (phase id, amount) by KPI id
    red: int,
    forecast: date | None,
    tasks: list[Task],
    lights: dict[int, Light | None],
) -> PlanState:
    today = env.today
    span = project_span(project, env.local_day(project.created_at))
    spans = {p.id: phase_span(p) for p in phases}
    rows: list[KpiRow] = []
    for kpi in kpis:
        actual = actuals.get(kpi.id)
        value = actual.value if actual else None
        rows.append(
            KpiRow(kpi, actual, _pace(kpi, value, splits.get(kpi.id, []), spans, today, span))
        )
    buffer = buffer_state(span, project.buffer_pct, forecast) if span is not None else None
    verdict = project_light([r.pace for r in rows], buffer, red)
    return PlanState(
        project,
        span,
        phases,
        running_phase(phases, today),
        rows,
        buffer,
        tasks,
        lights,
        red,
        verdict,
    )


def _pace(
    kpi: Kpi | queries.KpiTarget,
    value: float | None,
    splits: Sequence[tuple[int, float]],
    spans: Mapping[int, Span | None],
    today: date,
    span: Span | None,
) -> KpiPace:
    """`splits`: the KPI's (phase id, amount) pairs; `spans`: the plan's phases' spans by id."""
    split = [(spans.get(phase), amount) for phase, amount in splits]
    return kpi_pace(
        kpi.name,
        kpi.label,
        kpi.target,
        value,
        today,
        project=span,
        phase=spans.get(kpi.phase_id) if kpi.phase_id else None,
        split=split,
    )


@dataclass(frozen=True)
class PlanSummary:
    """A plan's state as a portfolio line needs it, for many plans at once (`summaries`): the
    same KPI paces, buffer, red count and verdict as `state`, without loading any task."""

    project: Project
    span: Span | None
    current: queries.PhaseDates | None
    kpis: list[KpiPace]
    worst: KpiPace | None
    buffer: Buffer | None
    has_open: bool  # any open task
    red_tasks: int
    verdict: ProjectVerdict


def summaries(env: Env, projects: list[Project]) -> dict[int, PlanSummary]:
    """`state` for many projects in a fixed number of queries (phases, KPIs, their latest values
    and splits, open-task figures and oldest blockers counted in the database), by project id.
    The forecast needs only the open tasks' earliest and latest due dates and the oldest open
    blocker of a task with a due date: the latest of those three is the latest of all."""
    today = env.today
    ids = [p.id for p in projects]
    plans = [p.id for p in projects if p.is_plan]
    phases = queries.phases_of_many(env.s, plans)
    kpis = queries.kpis_of_many(env.s, plans)
    values = queries.latest_values(env.s, plans)
    splits = queries.split_amounts(env.s, plans)
    figures = queries.open_figures(env.s, ids, today)
    chains = _chain_forecasts(env, plans)
    out: dict[int, PlanSummary] = {}
    for project in projects:
        span = project_span(project, env.local_day(project.created_at))
        own = phases.get(project.id, [])
        spans = {p.id: phase_span(p) for p in own}
        paces = [
            _pace(
                k,
                values.get(k.id),
                [(x.phase_id, x.amount) for x in splits.get(k.id, [])],
                spans,
                today,
                span,
            )
            for k in kpis.get(project.id, [])
        ]
        counted = figures.get(project.id)
        buffer = None
        if span is not None:
            forecast = _later(_counted_forecast(env, counted), chains.get(project.id))
            buffer = buffer_state(span, project.buffer_pct, forecast)
        red = counted.red if counted else 0
        out[project.id] = PlanSummary(
            project,
            span,
            running_phase(own, today),
            paces,
            worst_kpi(paces),
            buffer,
            counted.any_open if counted else False,
            red,
            project_light(paces, buffer, red),
        )
    return out
