"""Red / yellow / green for tasks, each light with the reason it has it (README.md, "Lights"):
red when blocked or past due and not done; yellow when due within `due_soon_days` and under
`due_soon_min_progress`% done, or when expected progress (linear from start, or creation, to
due) is ahead of actual by more than `behind_points`; green otherwise. Closed tasks have none.

Yellow means "at risk in a way its plan did not expect", so it never lights: before the task's
start date; on a short task (planned over `short_task_days` days or fewer, an event on a date
included), which is judged by its date alone; nor on the day a task was added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from handlers.reply import Light
from storage.models import CLOSED_STATUSES, TaskStatus


@dataclass(frozen=True)
class Thresholds:
    due_soon_days: int = 2
    due_soon_min_progress: int = 50
    behind_points: int = 25
    short_task_days: int = 2  # planned start..due this long or shorter: judged by its date


@dataclass(frozen=True)
class Verdict:
    """A light and the message key (handlers/messages.py) that says why, with its parameters."""

    light: Light | None
    reason: str
    params: dict[str, object] = field(default_factory=dict)


def expected_progress(start: date, due: date, today: date) -> int:
    if today >= due:
        return 100
    if today <= start or due <= start:
        return 0
    return round(100 * (today - start).days / (due - start).days)


def task_light(
    *,
    status: str,
    progress: int,
    start: date,
    due: date | None,
    today: date,
    thresholds: Thresholds,
    created: date | None = None,
) -> Verdict:
    """`start` is the task's start date, or the day it was created in the channel's zone;
    `created` the day it was created there (None: not known, taken as before today)."""
    if status in CLOSED_STATUSES:
        return Verdict(None, f"why_{status}")
    if status == TaskStatus.BLOCKED:
        return Verdict(Light.RED, "why_blocked")
    if due is None:
        return Verdict(Light.GREEN, "why_no_due")
    days_left = (due - today).days
    if days_left < 0:
        return Verdict(Light.RED, "why_overdue", {"days": -days_left})
    if start > today:  # not started yet: nothing can be behind
        return Verdict(Light.GREEN, "why_not_started", {"days": (start - today).days})
    if (due - start).days <= thresholds.short_task_days:  # a day or two, or an event on a date
        return Verdict(Light.GREEN, "why_short", {"days": days_left})
    if created is not None and created >= today:  # added today: 0% is where it begins
        return Verdict(Light.GREEN, "why_new", {"days": days_left})
    if days_left <= thresholds.due_soon_days and progress < thresholds.due_soon_min_progress:
        return Verdict(Light.YELLOW, "why_due_soon", {"days": days_left, "progress": progress})
    expected = expected_progress(start, due, today)
    if expected - progress > thresholds.behind_points:
        return Verdict(Light.YELLOW, "why_behind", {"progress": progress, "expected": expected})
    return Verdict(Light.GREEN, "why_on_track", {"days": days_left})
