"""The rules of a plan, pure functions of the day (DESIGN.md, "Red / yellow / green"):

- KPI pace = actual ÷ planned-to-date. Planned-to-date follows the KPI's split by phase (linear
  within each phase), else the one phase it is measured in, else the whole project. It is the
  plan through the end of yesterday: actuals are reported for days that are over, so on a
  period's first day nothing is planned yet and there is no pace. Red under 80%, yellow under
  100%, green otherwise (exactly 80% is yellow, exactly 100% green).
- Buffer: the last `buffer_pct`% of the project's days are held in reserve; planned finish =
  end − buffer. The forecast finish is the latest due date of the open tasks, an overdue task
  counting as finishing no earlier than tomorrow and a blocked one no earlier than its blocker's
  age past today. A task waiting for open ones (`after`) finishes no earlier than its latest
  predecessor's expected finish plus its own duration (due − start, or − the day it was made;
  at least a day): the longest chain, the critical path, decides. Buffer used = (forecast −
  planned finish) ÷ buffer: yellow past half, red when gone (100% or more).
- Project: red when a KPI is red or the buffer is gone; yellow when a KPI is yellow, more than
  half the buffer is used, or a task is red; else green. The verdict names what decided it.

Days are calendar dates in the channel's zone, so a DST change moves nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from handlers.reply import Light

RED_PACE = 80.0  # percent of plan: under it a KPI is red
GREEN_PACE = 100.0  # under it yellow
BUFFER_YELLOW = 50.0  # percent of the buffer used: past it yellow
BUFFER_RED = 100.0  # at it or past it red (the buffer is gone)


@dataclass(frozen=True)
class Span:
    """A stretch of days, both ends included (a phase, a project)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def done_share(self, today: date) -> float:
        """How much of the span is over by the end of yesterday, 0..1."""
        if today <= self.start:
            return 0.0
        if today > self.end:
            return 1.0
        return (today - self.start).days / self.days


def planned_to_date(
    target: float,
    today: date,
    *,
    project: Span | None,
    phase: Span | None = None,
    split: Sequence[tuple[Span | None, float]] = (),
) -> float | None:
    """What the plan expected by the end of yesterday, or None when it cannot be said (no split
    and no dates to spread the target over). `split` holds (phase span, amount) pairs; a phase
    without dates counts its amount as planned once the project is over."""
    if split:
        total = 0.0
        for span, amount in split:
            if span is not None:
                total += amount * span.done_share(today)
            elif project is not None and today > project.end:
                total += amount
        return total
    over = phase or project
    if over is None:
        return None
    return target * over.done_share(today)


def pace_percent(actual: float | None, planned: float | None) -> float | None:
    """Actual as a percent of plan; None before anything was planned (a pace of nothing is no
    pace: a KPI planned for 爆发期 has none in 预热期)."""
    if planned is None or planned <= 0:
        return None
    return round(100.0 * (actual or 0.0) / planned, 6)


def pace_light(pace: float | None) -> Light | None:
    if pace is None:
        return None
    if pace < RED_PACE:
        return Light.RED
    if pace < GREEN_PACE:
        return Light.YELLOW
    return Light.GREEN


@dataclass(frozen=True)
class OpenTask:
    """What the forecast needs of an open task: its due date, and the day its open blocker was
    reported when it is blocked; for the chains of dependencies, its id and the day its work
    starts (its start date, else the day it was made)."""

    due: date | None
    blocked_since: date | None = None
    id: int | None = None
    start: date | None = None

    def duration(self) -> int:
        """Its days of work: due − start, at least one."""
        if self.due is None or self.start is None:
            return 1
        return max((self.due - self.start).days, 1)


def own_finish(task: OpenTask, today: date) -> date | None:
    """When a task is expected to finish on its own, or None without a due date. Overdue: no
    earlier than tomorrow. Blocked: no earlier than today plus the blocker's age (a task
    blocked for 4 days is not expected free for another 4)."""
    if task.due is None:
        return None
    finish = task.due if task.due >= today else today + timedelta(days=1)
    if task.blocked_since is not None:
        age = max((today - task.blocked_since).days, 0)
        finish = max(finish, today + timedelta(days=age))
    return finish


def expected_finishes(
    tasks: Iterable[OpenTask], today: date, after: Mapping[int, Sequence[int]]
) -> dict[int, date]:
    """Each open task's expected finish by id (tasks without a due date have none): the later
    of its own finish and its latest open predecessor's expected finish plus its duration.
    `after`: the ids each task waits for among these open tasks."""
    by_id = {t.id: t for t in tasks if t.id is not None}
    found: dict[int, date | None] = {}

    def finish(task_id: int, seen: frozenset[int]) -> date | None:
        if task_id in found:
            return found[task_id]
        task = by_id[task_id]
        result = own_finish(task, today)
        if result is not None:
            for before in after.get(task_id, ()):
                if before in by_id and before not in seen:  # `after` refuses cycles
                    upstream = finish(before, seen | {task_id})
                    if upstream is not None:
                        pushed = upstream + timedelta(days=task.duration())
                        result = max(result, pushed)
        found[task_id] = result
        return result

    for task_id in by_id:
        finish(task_id, frozenset())
    return {task_id: day for task_id, day in found.items() if day is not None}


def forecast_finish(
    tasks: Iterable[OpenTask], today: date, after: Mapping[int, Sequence[int]] | None = None
) -> date | None:
    """The latest day an open task can be expected to finish, or None when no open task has a
    due date (see `own_finish`; with `after`, the ids each task waits for among these, the
    longest chain of dependencies, see `expected_finishes`)."""
    tasks = list(tasks)
    days = [day for t in tasks if (day := own_finish(t, today)) is not None]
    if after:
        days.extend(expected_finishes(tasks, today, after).values())
    return max(days, default=None)


@dataclass(frozen=True)
class Buffer:
    days: int  # the reserve, in days
    planned_finish: date  # end − buffer
    forecast: date | None  # None: no open task with a due date
    used_days: int  # forecast − planned finish, never below 0
    used_percent: float  # used_days ÷ days × 100 (any use of a 0-day buffer is 100%+)
    light: Light


def buffer_days(project: Span, buffer_pct: int) -> int:
    """The reserve in whole days, half a day rounding up (in integers: `round` would send 2.5
    to 2 and 7.5 to 8, and a float could land a hair under the half)."""
    return (project.days * buffer_pct * 2 + 100) // 200


def buffer_state(project: Span, buffer_pct: int, forecast: date | None) -> Buffer:
    days = buffer_days(project, buffer_pct)
    planned = project.end - timedelta(days=days)
    used = max((forecast - planned).days, 0) if forecast is not None else 0
    # any use of a buffer of 0 days is all of it
    percent = 100.0 * used / days if days > 0 else (0.0 if used == 0 else float("inf"))
    if percent >= BUFFER_RED:
        light = Light.RED
    elif percent > BUFFER_YELLOW:
        light = Light.YELLOW
    else:
        light = Light.GREEN
    return Buffer(days, planned, forecast, used, percent, light)


@dataclass(frozen=True)
class KpiPace:
    """One KPI row (a label of it, when it has labels) measured on a day."""

    name: str
    label: str
    actual: float | None
    planned: float | None
    pace: float | None
    light: Light | None


def kpi_pace(
    name: str,
    label: str,
    target: float,
    actual: float | None,
    today: date,
    *,
    project: Span | None,
    phase: Span | None = None,
    split: Sequence[tuple[Span | None, float]] = (),
) -> KpiPace:
    planned = planned_to_date(target, today, project=project, phase=phase, split=split)
    pace = pace_percent(actual, planned)
    return KpiPace(name, label, actual, planned, pace, pace_light(pace))


def worst_kpi(kpis: Iterable[KpiPace]) -> KpiPace | None:
    """The KPI furthest behind its pace (the one a portfolio line names)."""
    paced = [k for k in kpis if k.pace is not None]
    return min(paced, key=lambda k: k.pace or 0.0) if paced else None


@dataclass(frozen=True)
class Move:
    """Labels of one KPI that diverge: resources could move from the one ahead to the one
    behind (the seed's own example: 电商 64% vs 线下 132% of pace)."""

    name: str
    behind: KpiPace
    ahead: KpiPace


def move_suggestion(kpis: Iterable[KpiPace], name_key: str) -> Move | None:
    """For a KPI (by its key) whose labels diverge — one red, another at or past its pace — the
    most behind and the most ahead."""
    rows = [k for k in kpis if k.name.casefold() == name_key and k.label and k.pace is not None]
    behind = [k for k in rows if k.light == Light.RED]
    ahead = [k for k in rows if (k.pace or 0.0) >= GREEN_PACE]
    if not behind or not ahead:
        return None
    worst = min(behind, key=lambda k: k.pace or 0.0)
    best = max(ahead, key=lambda k: k.pace or 0.0)
    return Move(worst.name, worst, best)


@dataclass(frozen=True)
class ProjectVerdict:
    """A project's light and what decided it: `reason` is a message key (handlers/messages.py)
    and `params` its values."""

    light: Light
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)


def project_light(kpis: Sequence[KpiPace], buffer: Buffer | None, red_tasks: int) -> ProjectVerdict:
    worst = worst_kpi(kpis)
    if worst is not None and worst.light == Light.RED:
        return ProjectVerdict(Light.RED, "pace_why_kpi_red", _kpi_params(worst))
    if buffer is not None and buffer.light == Light.RED:
        return ProjectVerdict(Light.RED, "pace_why_buffer_gone", _buffer_params(buffer))
    if worst is not None and worst.light == Light.YELLOW:
        return ProjectVerdict(Light.YELLOW, "pace_why_kpi_yellow", _kpi_params(worst))
    if buffer is not None and buffer.light == Light.YELLOW:
        return ProjectVerdict(Light.YELLOW, "pace_why_buffer_half", _buffer_params(buffer))
    if red_tasks:
        return ProjectVerdict(Light.YELLOW, "pace_why_red_tasks", {"count": red_tasks})
    return ProjectVerdict(Light.GREEN, "pace_why_green")


def _kpi_params(kpi: KpiPace) -> dict[str, object]:
    # a label reads "GMV 电商 at 64%": it carries its own trailing blank
    return {
        "kpi": kpi.name,
        "label": f"{kpi.label} " if kpi.label else "",
        "pace": round(kpi.pace or 0.0),
    }


def used_text(buffer: Buffer) -> str:
    """The buffer used as people read it: a whole percent, ∞ for any use of a 0-day buffer."""
    return "∞" if buffer.used_percent == float("inf") else str(round(buffer.used_percent))


def _buffer_params(buffer: Buffer) -> dict[str, object]:
    return {
        "used": used_text(buffer),
        "days": buffer.used_days,
        "buffer": buffer.days,
    }
