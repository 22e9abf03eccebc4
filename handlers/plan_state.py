"""A plan as the rules see it on a day: its phases, each KPI's pace, the buffer, the red tasks
and the project's light with what decided it. Read from the database here, judged by the pure
functions of handlers/pace.py; shown by `project show`, `portfolio`, `board` and the digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

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
from storage.models import Blocker, Kpi, KpiActual, Phase, Project, TaskStatus

P = TypeVar("P", Phase, queries.PhaseDates)


class OpenTaskLike(Protocol):
    """What a plan's state reads of an open task: a `Task`, or a plain row
    (storage/report_rows.py `PlanTask`) when many plans are judged at once."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
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
    @property
    def assignee_id(self) -> int | None: ...
    @property
    def phase_id(self) -> int | None: ...
    @property
    def channel_id(self) -> int: ...


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
    tasks: list[OpenTaskLike]  # the open ones: Task rows from `state`, plain rows from `states`
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


def state(env: Env, project: Project, tasks: Sequence[OpenTaskLike] | None = None) -> PlanState:
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
    blockers = {
        task_id: b.reported_at for task_id, b in _blockers(env, project, open_tasks).items()
    }
    return _judge(env, project, open_tasks, phases, kpis, actuals, splits, blockers)


def states(env: Env, projects: Sequence[Project]) -> dict[int, PlanState]:
    """Many plans' states at once (the digest's, a portfolio's), by project id: each table read
    once for all of them, the open tasks as plain rows (storage/report_rows.py), not ORM
    objects — the same judgement as `state`, at a fraction of its cost per plan."""
    plans = [p for p in projects if p.is_plan]
    ids = [p.id for p in plans]
    tasks = report_rows.open_tasks_of(env.s.connection(), ids)
    phases = queries.phases_of_projects(env.s, ids)
    kpis = queries.kpis_of_projects(env.s, ids)
    kpi_ids = [k.id for rows in kpis.values() for k in rows]
    actuals = queries.latest_actuals(env.s, kpi_ids)
    conn = env.s.connection()
    splits = report_rows.kpi_splits(conn, kpi_ids)
    blocked = [t.id for rows in tasks.values() for t in rows if t.status == TaskStatus.BLOCKED]
    blockers = report_rows.open_blocker_since(conn, blocked)
    return {
        p.id: _judge(
            env,
            p,
            tasks.get(p.id, []),
            phases.get(p.id, []),
            kpis.get(p.id, []),
            actuals,
            splits,
            blockers,
        )
        for p in plans
    }


def _blockers(env: Env, project: Project, open_tasks: Sequence[OpenTaskLike]) -> dict[int, Blocker]:
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
    open_tasks: Sequence[OpenTaskLike],
    phases: list[Phase],
    kpis: list[Kpi],
    actuals: dict[int, KpiActual],
    splits: dict[int, list[tuple[int, float]]],  # (phase id, amount) by KPI id
    blockers: dict[int, datetime],  # when each blocked task's open blocker was reported
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
    lights = views.lights(env, open_tasks)
    red = sum(1 for light in lights.values() if light == Light.RED)
    buffer = None
    if span is not None:
        forecast = forecast_finish(
            (
                OpenTask(
                    t.due_date,
                    env.local_day(blockers[t.id]) if t.id in blockers else None,
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
        list(open_tasks),
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
