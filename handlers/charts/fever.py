"""The buffer fever chart of a plan (`buffer +双11大促` / `缓冲 +双11大促`), as in critical-chain
project management: across, the share of the plan's tasks done; up, the share of its buffer
used (handlers/pace.py: forecast finish − planned finish, over the buffer's days); behind, the
zones of the buffer's light (green under 50% used, yellow to 100%, red from 100%) and the
diagonal where the buffer burns exactly as fast as the work finishes — a point above it burns
faster than it finishes. One dot per week, at the end of each week (Sunday, in the channel's
zone) for up to the last 12 weeks of the plan, the last dot being now; connected, so the trend
reads at a glance.

A past week's point is rebuilt from history as it stood at that week's end:
- the tasks: those created by then (`created_at`), in the plan now;
- done: the status its status events say it had then (a task without any status event: done
  when it is done now and was closed by then); cancelled tasks count neither way;
- the forecast (`pace.forecast_finish` on that day): each open task's due date as it was then
  (its `due` events: the last one by then, else the old value of the first one after, else
  the current due date) and its blocker open then, with its age on that day.
Approximated: the plan's dates and buffer share are today's (a plan's edits keep no history),
as is which project a task belongs to. The latest point is the plan's state now, exactly as
`project show` judges it."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from handlers import pace
from handlers.charts import canvas
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command, _project_name, _words
from handlers.messages import fmt_date
from handlers.plan_state import state
from handlers.reply import Light, Line, Picture, Reply
from storage import chart_history, queries
from storage.models import Project, TaskStatus

KIND = "fever"
WEEKS = 12  # dots at most: the last 11 weeks' ends and now
CEILING = 125.0  # the top of the chart, in percent of the buffer used
CLIP = 118.0  # a point beyond this is drawn here, with a marker pointing up
# what a buffer used past all measure (any use of a 0-day one) is stored as: JSON has no
# infinity, and no finite use comes near it (a day late on a 1-day buffer is 100%)
OVER = 1e9


# --- the verb: `buffer +x`, `缓冲 +x` -------------------------------------------------------------


def parse_buffer(verb: str, rest: str, today: date) -> Command:
    projects: list[str] = []
    for word in _words(rest):
        if word.raw[:1] in "+＋" and not word.quoted:
            projects.append(_project_name(word.text))
        else:
            raise UserError("buffer_extra", value=word.raw[:40], verb=verb)
    if not projects:
        raise UserError("buffer_no_project", verb=verb)
    if len(projects) > 1:
        raise UserError(
            "buffer_two_projects", projects=", ".join("+" + p for p in projects), verb=verb
        )
    return Command(verb, projects=(projects[0],))


def buffer(env: Env, cmd: Command) -> Reply:
    """The buffer in words (used, forecast against planned finish, the trend) and its chart."""
    found = queries.find_project(env.s, env.ws, cmd.projects[0])
    if found is None:
        raise UserError("project_not_found", project=cmd.projects[0])
    if not found.is_plan:
        raise UserError("project_not_plan", project=found.name)
    title = env.t("fever_title", project=found.name)
    model = _model(env, found)
    if isinstance(model, str):
        return Reply(title, [Line(env.t(model, project=found.name))])
    now = model["points"][-1]
    reply = Reply(title, _story(env, model), light=Light(now["light"]))
    reply.pictures = [_picture(env, found, model)]
    return reply


# --- the builder -------------------------------------------------------------------------------


def picture(env: Env, project: Project) -> Picture:
    """The project's fever chart: one dot per week, the zones behind. A plan without an end
    date or without tasks raises the UserError that says so (the dashboard shows its words)."""
    model = _model(env, project)
    if isinstance(model, str):
        raise UserError(model, project=project.name)
    return _picture(env, project, model)


def _picture(env: Env, project: Project, model: dict) -> Picture:
    return Picture(
        kind=KIND,
        name=f"fever-{project.key}",
        title=model["title"],
        alt=env.t(
            "fever_alt",
            project=project.name,
            story=" ".join(line.text for line in _story(env, model)),
            weeks=len(model["points"]),
        ),
        model=model,
    )


def _model(env: Env, project: Project) -> dict | str:
    """The chart's model, or the key of the message that says why there is no chart."""
    now = state(env, project)
    if now.span is None or now.buffer is None:
        return "chart_no_dates"
    history = chart_history.task_history(env.s, project.id)
    if not history.tasks:
        return "fever_no_tasks"
    span, zone = now.span, env.zone
    ends = _week_ends(span.start, env.today)[-(WEEKS - 1) :]
    points = [_past_point(env, project, span, history, day, zone) for day in ends]
    done_now, counted = _done_share(history, None)
    points.append(_point(env.today, done_now, counted, now.buffer, latest=True))
    return {
        "lang": env.lang,
        "title": env.t("fever_picture_title", project=project.name),
        "subtitle": env.t(
            "fever_subtitle",
            days=now.buffer.days,
            planned=fmt_date(env.lang, now.buffer.planned_finish, env.today),
            end=fmt_date(env.lang, span.end, env.today),
        ),
        "buffer_days": now.buffer.days,
        "planned": now.buffer.planned_finish.isoformat(),
        "points": points,
        "words": {
            "x": env.t("fever_axis_done"),
            "y": env.t("fever_axis_used"),
            "diagonal": env.t("fever_diagonal"),
            "green": env.t("fever_zone_green"),
            "yellow": env.t("fever_zone_yellow"),
            "red": env.t("fever_zone_red"),
            "now": env.t(
                "fever_now_mark",
                used=_used(points[-1]["used"]),
                done=round(points[-1]["done"]),
            ),
        },
    }


def _week_ends(start: date, today: date) -> list[date]:
    """Every Sunday from the plan's first week on, before today."""
    day = start + timedelta(days=6 - start.weekday())
    ends = []
    while day < today:
        ends.append(day)
        day += timedelta(weeks=1)
    return ends


def _point(
    day: date, done: float, tasks: int, buffer: pace.Buffer, *, latest: bool = False
) -> dict:
    used = buffer.used_percent
    return {
        "day": day.isoformat(),
        "done": round(done, 2),
        "tasks": tasks,
        "used": OVER if used == float("inf") else round(used, 2),
        "used_days": buffer.used_days,
        "forecast": buffer.forecast.isoformat() if buffer.forecast else None,
        "light": buffer.light.value,
        "latest": latest,
    }


def _done_share(
    history: chart_history.TaskHistory, statuses: dict[int, str] | None
) -> tuple[float, int]:
    """The share of tasks done (percent) and how many count (cancelled ones do not); by
    `statuses` when given (the past), else by each task's status now."""
    counted = done = 0
    for task in history.tasks:
        status = statuses.get(task.id) if statuses is not None else task.status
        if status is None or status == TaskStatus.CANCELLED:
            continue
        counted += 1
        done += status == TaskStatus.DONE
    return (100.0 * done / counted if counted else 0.0), counted


def _past_point(
    env: Env,
    project: Project,
    span: pace.Span,
    history: chart_history.TaskHistory,
    day: date,
    zone: ZoneInfo,
) -> dict:
    """The plan as it stood at the end of `day` (see the module's docstring)."""
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    statuses: dict[int, str] = {}
    dues: dict[int, date | None] = {}
    for task in history.tasks:
        if task.created_at >= end:
            continue
        statuses[task.id] = _status_then(task, history, end)
        dues[task.id] = _due_then(task, history, end)
    blocked: dict[int, date] = {}
    for block in history.blocks:
        if block.reported_at < end and (block.resolved_at is None or block.resolved_at >= end):
            since = env.local_day(block.reported_at)
            blocked[block.task_id] = min(since, blocked.get(block.task_id, since))
    open_then = [
        pace.OpenTask(dues[i], blocked.get(i))
        for i, status in statuses.items()
        if status not in (TaskStatus.DONE, TaskStatus.CANCELLED)
    ]
    forecast = pace.forecast_finish(open_then, day)
    buffer = pace.buffer_state(span, project.buffer_pct, forecast)
    done, counted = _done_share(history, statuses)
    return _point(day, done, counted, buffer)


def _status_then(
    task: chart_history.PastTask, history: chart_history.TaskHistory, end: datetime
) -> str:
    events = [
        c for c in history.changes if c.task_id == task.id and c.field == chart_history.STATUS_FIELD
    ]
    if not events:
        closed = task.closed_at is not None and task.closed_at < end
        return task.status if closed else TaskStatus.TO_DO
    before = [c for c in events if c.at < end]
    if before:
        return before[-1].new or TaskStatus.TO_DO
    return events[0].old or TaskStatus.TO_DO


def _due_then(
    task: chart_history.PastTask, history: chart_history.TaskHistory, end: datetime
) -> date | None:
    events = [
        c for c in history.changes if c.task_id == task.id and c.field == chart_history.DUE_FIELD
    ]
    if not events:
        return task.due_date
    before = [c for c in events if c.at < end]
    value = before[-1].new if before else events[0].old
    return date.fromisoformat(value) if value else None


# --- the story in words --------------------------------------------------------------------------


def _story(env: Env, model: dict) -> list[Line]:
    """The buffer in words: used (days of days) with the work done, forecast against planned
    finish, and the trend since the first dot."""
    now, first = model["points"][-1], model["points"][0]
    planned = fmt_date(env.lang, date.fromisoformat(model["planned"]), env.today)
    said = {
        "used": _used(now["used"]),
        "days": now["used_days"],
        "buffer": model["buffer_days"],
        "done": round(now["done"]),
        "planned": planned,
    }
    if now["forecast"] is None:
        line = env.t("fever_now_no_forecast", **said)
    else:
        forecast = fmt_date(env.lang, date.fromisoformat(now["forecast"]), env.today)
        line = env.t("fever_now_line", forecast=forecast, **said)
    lines = [Line(line, Light(now["light"]))]
    if len(model["points"]) > 1:
        d_done = now["done"] - first["done"]
        d_used = min(now["used"], CEILING) - min(first["used"], CEILING)
        if d_used < -0.5:
            key = "fever_trend_recovering"
        elif d_used > d_done + 0.5:
            key = "fever_trend_faster"
        else:
            key = "fever_trend_slower"
        lines.append(
            Line(
                env.t(
                    key,
                    weeks=len(model["points"]) - 1,
                    done_from=round(first["done"]),
                    done_to=round(now["done"]),
                    used_from=_used(first["used"]),
                    used_to=_used(now["used"]),
                )
            )
        )
    return lines


def _used(value: float) -> str:
    return "∞" if value >= OVER else str(round(value))


# --- the drawing -------------------------------------------------------------------------------


def draw(model: dict, fmt: str, scale: float) -> bytes:
    return canvas.to_bytes(figure_of(model), fmt, scale)


def figure_of(model: dict) -> Figure:
    """The picture of `model`, not yet drawn to bytes (tests read its texts)."""
    words = model["words"]
    fig = canvas.figure(6.2)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.1, right=0.97, top=0.85, bottom=0.12)
    zones = (
        (-5.0, pace.BUFFER_YELLOW, Light.GREEN, words["green"]),
        (pace.BUFFER_YELLOW, pace.BUFFER_RED, Light.YELLOW, words["yellow"]),
        (pace.BUFFER_RED, CEILING, Light.RED, words["red"]),
    )
    for low, high, light, name in zones:
        ax.axhspan(low, high, color=canvas.LIGHT_COLOURS[light], alpha=0.16, linewidth=0)
        ax.text(
            101,
            (max(low, 0.0) + high) / 2,
            name,
            ha="right",
            va="center",
            fontsize=11,
            color=canvas.LIGHT_COLOURS[light],
        )
    ax.plot([0, 100], [0, 100], color="#52606d", linewidth=1.2, linestyle=(0, (5, 4)))
    ax.annotate(
        words["diagonal"],
        xy=(58, 58),
        xytext=(0, 5),
        textcoords="offset points",
        rotation=_diagonal_angle(ax),
        rotation_mode="anchor",
        fontsize=10,
        color="#52606d",
    )
    points = model["points"]
    xs = [p["done"] for p in points]
    ys = [min(p["used"], CLIP) for p in points]
    ax.plot(xs, ys, color=canvas.INK, linewidth=1.6, alpha=0.75, zorder=3)
    for p, x, y in zip(points, xs, ys, strict=True):
        colour = canvas.LIGHT_COLOURS[Light(p["light"])]
        over = p["used"] > CLIP
        ax.scatter(
            [x],
            [y],
            s=260 if p["latest"] else 70,
            marker="^" if over else "o",
            color=colour,
            edgecolor=canvas.INK if p["latest"] else "white",
            linewidth=2.2 if p["latest"] else 1.2,
            zorder=5 if p["latest"] else 4,
        )
    for (x, y), label in _day_labels(model["lang"], points[:-1], xs, ys):
        ax.annotate(
            label,
            xy=(x, y),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color="#52606d",
            zorder=4,
        )
    x, y = xs[-1], ys[-1]
    text = words["now"]
    ax.annotate(
        text,
        xy=(x, y),
        xytext=(-18 if x > 60 else 18, 20 if y < 100 else -28),
        textcoords="offset points",
        ha="right" if x > 60 else "left",
        fontsize=12,
        color="white",
        bbox={
            "boxstyle": "round,pad=0.35",
            "facecolor": canvas.INK,
            "edgecolor": canvas.INK,
        },
        zorder=7,
    )
    ax.set_xlim(-3, 103)  # room for a dot at 0% or 100%
    ax.set_ylim(-5, CEILING)
    ax.xaxis.set_major_locator(MultipleLocator(20))
    ax.yaxis.set_major_locator(MultipleLocator(25))
    percent = FuncFormatter(lambda v, _pos: f"{v:.0f}%")
    ax.xaxis.set_major_formatter(percent)
    ax.yaxis.set_major_formatter(percent)
    ax.set_xlabel(words["x"], fontsize=11, color=canvas.INK)
    ax.set_ylabel(words["y"], fontsize=11, color=canvas.INK)
    ax.tick_params(labelsize=10, colors=canvas.INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.1, 0.945, model["title"], fontsize=16, color=canvas.INK)
    fig.text(0.1, 0.895, model["subtitle"], fontsize=10.5, color="#52606d")
    return fig


def _diagonal_angle(ax: Axes) -> float:
    """The on-screen angle of y = x, so its words lie along it."""
    ax.set_xlim(-3, 103)
    ax.set_ylim(-5, CEILING)
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (100, 100)])
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def _day_labels(
    lang: str, points: list[dict], xs: list[float], ys: list[float]
) -> list[tuple[tuple[float, float], str]]:
    """Each week's dot labelled with its day; weeks in a row that did not move share one label
    ("11/1–11/8"), so labels of one spot never overprint each other."""
    runs: list[tuple[tuple[float, float], str, str]] = []
    for p, x, y in zip(points, xs, ys, strict=False):
        day = _short_day(lang, date.fromisoformat(p["day"]))
        if runs and abs(runs[-1][0][0] - x) < 0.5 and abs(runs[-1][0][1] - y) < 0.5:
            runs[-1] = (runs[-1][0], runs[-1][1], day)
        else:
            runs.append(((x, y), day, day))
    return [(at, first if first == last else f"{first}–{last}") for at, first, last in runs]


def _short_day(lang: str, day: date) -> str:
    return f"{day.month}/{day.day}" if lang == "zh" else f"{day.strftime('%b')} {day.day}"
