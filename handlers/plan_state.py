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
from storage import queries
from storage.models import Kpi, KpiActual, KpiSplit, Phase, Project, Task, TaskStatus

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
    tasks: list[Task]  # the open ones
    lights: dict[int, Light | None]  # each open task's light, by id
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


def state(env: Env, project: Project, tasks: list[Task] | None = None) -> PlanState:
    """`tasks`: the project's open tasks when the caller has them already."""
    today = env.today
    open_tasks = tasks if tasks is not None else queries.open_project_tasks(env.s, project)
    span = project_span(project, env.local_day(project.created_at))
    phases = queries.phases_of(env.s, project.id) if project.is_plan else []
    spans = {p.id: phase_span(p) for p in phases}
    rows: list[KpiRow] = []
    if project.is_plan:
        kpis = queries.kpis_of(env.s, project.id)
        ids = [k.id for k in kpis]
        actuals = queries.latest_actuals(env.s, ids)
        splits = queries.kpi_splits(env.s, ids)
        for kpi in kpis:
            actual = actuals.get(kpi.id)
            value = actual.value if actual else None
            pace = _pace(kpi, value, splits.get(kpi.id, []), spans, today, span)
            rows.append(KpiRow(kpi, actual, pace))
    lights = {t.id: views.verdict(env, t).light for t in open_tasks}
    red = sum(1 for light in lights.values() if light == Light.RED)
    buffer = None
    if span is not None:
        blocked = [t.id for t in open_tasks if t.status == TaskStatus.BLOCKED]
        blockers = queries.open_blockers(env.s, blocked)
        forecast = forecast_finish(
            (
                OpenTask(
                    t.due_date,
                    env.local_day(blockers[t.id].reported_at) if t.id in blockers else None,
                )
                for t in open_tasks
            ),
            today,
        )
        buffer = buffer_state(span, project.buffer_pct, forecast)
    verdict = project_light([r.pace for r in rows], buffer, red)
    return PlanState(
        project,
        span,
        phases,
        running_phase(phases, today),
        rows,
        buffer,
        open_tasks,
        lights,
        red,
        verdict,
    )


def _pace(
    kpi: Kpi | queries.KpiTarget,
    value: float | None,
    splits: Sequence[KpiSplit | queries.SplitAmount],
    spans: Mapping[int, Span | None],
    today: date,
    span: Span | None,
) -> KpiPace:
    """`spans`: the plan's phases' spans by phase id."""
    split = [(spans.get(p.phase_id), p.amount) for p in splits]
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
    out: dict[int, PlanSummary] = {}
    for project in projects:
        span = project_span(project, env.local_day(project.created_at))
        own = phases.get(project.id, [])
        spans = {p.id: phase_span(p) for p in own}
        paces = [
            _pace(k, values.get(k.id), splits.get(k.id, []), spans, today, span)
            for k in kpis.get(project.id, [])
        ]
        counted = figures.get(project.id)
        buffer = None
        if span is not None:
            tasks: list[OpenTask] = []
            if counted is not None:
                tasks = [OpenTask(counted.first_due), OpenTask(counted.last_due)]
                if counted.oldest_blocker is not None:
                    tasks.append(OpenTask(today, env.local_day(counted.oldest_blocker)))
            buffer = buffer_state(span, project.buffer_pct, forecast_finish(tasks, today))
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
