"""A plan as the rules see it on a day: its phases, each KPI's pace, the buffer, the red tasks
and the project's light with what decided it. Read from the database here, judged by the pure
functions of handlers/pace.py; shown by `project show`, `portfolio`, `board` and the digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
)
from handlers.reply import Light
from storage import queries
from storage.models import Kpi, KpiActual, Phase, Project, Task, TaskStatus


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


def phase_span(phase: Phase | None) -> Span | None:
    if phase is None or phase.start_date is None or phase.end_date is None:
        return None
    return Span(phase.start_date, phase.end_date) if phase.start_date <= phase.end_date else None


def running_phase(phases: list[Phase], today: date) -> Phase | None:
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
    by_id = {p.id: p for p in phases}
    rows: list[KpiRow] = []
    if project.is_plan:
        kpis = queries.kpis_of(env.s, project.id)
        ids = [k.id for k in kpis]
        actuals = queries.latest_actuals(env.s, ids)
        splits = queries.kpi_splits(env.s, ids)
        for kpi in kpis:
            actual = actuals.get(kpi.id)
            split = [(phase_span(by_id.get(p.phase_id)), p.amount) for p in splits.get(kpi.id, [])]
            pace = kpi_pace(
                kpi.name,
                kpi.label,
                kpi.target,
                actual.value if actual else None,
                today,
                project=span,
                phase=phase_span(by_id.get(kpi.phase_id)) if kpi.phase_id else None,
                split=split,
            )
            rows.append(KpiRow(kpi, actual, pace))
    lights = views.lights(env, open_tasks)
    red = sum(1 for light in lights.values() if light == Light.RED)
    buffer = None
    if span is not None:
        # only a blocked task has an open blocker (`block` sets both, `unblock` clears both):
        # asking for the few, not every open task, keeps this one short query on a big plan
        blockers = queries.open_blockers(
            env.s, [t.id for t in open_tasks if t.status == TaskStatus.BLOCKED]
        )
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
