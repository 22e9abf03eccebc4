"""The KPI chart of a plan (`kpi chart +双11大促` / `指标图 +双11大促`): one picture per KPI name,
each label of it (电商 / 线下 …) a colour on the same axes — the labels of one KPI share its unit
and scale, so the one behind and the one ahead read side by side, while KPIs of different units
(GMV in 元, a rate in %) each get axes of their own. Per label: the planned-to-date line (the plan
through yesterday, day by day, from handlers/pace.py: the split by phase, linear within each),
the 80% of plan line under it (below it the pace is red), the actuals as reported (the latest of
each day, by moment then id, as `kpi +x` counts them), and at today the latest pace in its
light's colour.

The builder reads the database into a plain model while the command runs; `draw` turns the
model into PNG or SVG later (and the dashboard draws the same model)."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from handlers import pace
from handlers.charts import canvas
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command, _project_name, _words
from handlers.kpis import chart_command, row_text
from handlers.messages import fmt_date
from handlers.numbers import fmt_amount
from handlers.plan_state import KpiRow, PlanState, phase_span, state
from handlers.reply import Light, Line, Picture, Reply
from storage import chart_history, queries
from storage.models import Project

KIND = "kpi"
# one colour per label, none of them a light's (red / yellow / green mean pace here)
LABEL_COLOURS = ("#3b6fd6", "#7b4bb7", "#0f8b8d", "#b5651d", "#c2185b", "#455a64")
EIGHTY = pace.RED_PACE / 100.0


# --- the verb: `kpi chart +x [KPI]`, `指标图 +x` ------------------------------------------------


def parse_kpichart(verb: str, rest: str, today: date) -> Command:
    """`指标图 +双11大促 [GMV]` (`kpichart`, `kpi-chart`): one plan, and a KPI name to chart
    only that one. `kpi chart …` reaches the same Command through handlers/kpis.parse_kpi."""
    projects: list[str] = []
    name: str | None = None
    for word in _words(rest):
        if word.raw[:1] in "+＋" and not word.quoted:
            projects.append(_project_name(word.text))
        elif name is None:
            name = word.text.strip() or None
        else:
            raise UserError("kpichart_extra", value=word.raw[:40], verb=verb, chart="")
    return chart_command(verb, projects, name, "")


def kpichart(env: Env, cmd: Command) -> Reply:
    """The KPI chart's answer: each KPI row's pace in words, and the pictures."""
    plan = _plan(env, cmd.projects[0])
    title = env.t("kpichart_title", project=plan.name)
    now = state(env, plan)
    if now.span is None:
        return Reply(title, [Line(env.t("chart_no_dates", project=plan.name))])
    rows = now.kpis
    if cmd.name is not None:
        rows = [r for r in rows if r.kpi.key == cmd.name.casefold()]
        if not rows:
            known = ", ".join(dict.fromkeys(r.kpi.name for r in now.kpis))
            raise UserError(
                "kpi_not_found",
                kpi=cmd.name,
                project=plan.name,
                known=known or env.t("kpi_known_none"),
            )
    if not rows:
        return Reply(title, [Line(env.t("kpi_list_empty", project=plan.name))])
    splits = queries.kpi_splits(env.s, [r.kpi.id for r in rows])
    lines = [Line(row_text(env, now, row, splits), row.pace.light) for row in rows]
    reply = Reply(title, lines, people=env.people)
    reply.pictures = _pictures(env, now, rows)
    worst = pace.worst_kpi([r.pace for r in rows])
    reply.light = worst.light if worst is not None else None
    return reply


def _plan(env: Env, name: str) -> Project:
    found = queries.find_project(env.s, env.ws, name)
    if found is None:
        raise UserError("project_not_found", project=name)
    if not found.is_plan:
        raise UserError("project_not_plan", project=found.name)
    return found


# --- the builder -------------------------------------------------------------------------------


def pictures(env: Env, project: Project) -> list[Picture]:
    """The project's KPI charts, one per KPI name (none when it has no KPI or no dates)."""
    now = state(env, project)
    if now.span is None or not now.kpis:
        return []
    return _pictures(env, now, now.kpis)


def _pictures(env: Env, st: PlanState, rows: list[KpiRow]) -> list[Picture]:
    assert st.span is not None
    span = st.span
    splits = queries.kpi_splits(env.s, [r.kpi.id for r in rows])
    spans = {p.id: phase_span(p) for p in st.phases}
    history = chart_history.actuals(env.s, [r.kpi.id for r in rows])
    today = env.today
    # the plan's line runs to the day after its end (all of it planned) or on to today
    last = max(span.end + timedelta(days=1), today)
    days = [span.start + timedelta(days=i) for i in range((last - span.start).days + 1)]
    by_name: dict[str, list[KpiRow]] = {}
    for row in rows:
        by_name.setdefault(row.kpi.key, []).append(row)
    out: list[Picture] = []
    for key, group in by_name.items():
        series = []
        for row in group:
            kpi = row.kpi
            split = [(spans.get(s.phase_id), s.amount) for s in splits.get(kpi.id, [])]
            phase = spans.get(kpi.phase_id) if kpi.phase_id else None
            planned = [
                pace.planned_to_date(kpi.target, d, project=span, phase=phase, split=split)
                for d in days
            ]
            daily: dict[date, float] = {}  # the latest actual of each day, by (at, id)
            for actual in history:
                if actual.kpi_id == kpi.id:
                    daily[env.local_day(actual.at)] = actual.value
            series.append(
                {
                    "label": kpi.label or kpi.name,
                    "target": kpi.target,
                    "planned": planned,
                    "actual": [[d.isoformat(), v] for d, v in sorted(daily.items())],
                    "pace": row.pace.pace,
                    "light": row.pace.light.value if row.pace.light else None,
                    "planned_now": row.pace.planned,
                    "actual_now": row.pace.actual,
                }
            )
        first = group[0].kpi
        title = f"{first.name} · +{st.project.name}"
        model = {
            "lang": env.lang,
            "title": title,
            "subtitle": _subtitle(env, group),
            "unit": first.unit,
            "days": [d.isoformat() for d in days],
            "today": today.isoformat(),
            "series": series,
            "words": {
                "x": env.t("chart_axis_date"),
                "y": _y_label(env, first.name, first.unit),
                "today": env.t("chart_today", day=_day(env.lang, today)),
                "actual": env.t("kpichart_legend_actual"),
                "plan": env.t("kpichart_legend_plan"),
                "eighty": env.t("kpichart_legend_eighty"),
            },
        }
        out.append(
            Picture(
                kind=KIND,
                name=f"kpi-{st.project.key}-{key}",
                title=title,
                alt=_alt(env, st, group),
                model=model,
            )
        )
    return out


def _subtitle(env: Env, group: list[KpiRow]) -> str:
    targets = " · ".join(
        f"{r.kpi.label} {fmt_amount(r.kpi.target, env.lang, r.kpi.unit)}".strip() for r in group
    )
    return env.t("kpichart_subtitle", targets=targets)


def _y_label(env: Env, name: str, unit: str | None) -> str:
    if unit and unit != "%":
        return f"{name}（{unit}）" if env.lang == "zh" else f"{name} ({unit})"
    return name


def _alt(env: Env, st: PlanState, group: list[KpiRow]) -> str:
    """The chart in words: each label's actual against its plan to date and its pace."""
    assert st.span is not None
    parts = []
    for row in group:
        p, kpi = row.pace, row.kpi
        named = f"{kpi.name} {kpi.label}".strip()
        actual = fmt_amount(p.actual or 0.0, env.lang, kpi.unit)
        target = fmt_amount(kpi.target, env.lang, kpi.unit)
        if p.pace is None:
            parts.append(env.t("kpichart_alt_unpaced", kpi=named, actual=actual, target=target))
        else:
            parts.append(
                env.t(
                    "kpichart_alt_row",
                    kpi=named,
                    actual=actual,
                    planned=fmt_amount(p.planned, env.lang, kpi.unit),
                    target=target,
                    pace=round(p.pace),
                    light=env.t(f"chart_light_{p.light.value}") if p.light else "",
                )
            )
    return env.t(
        "kpichart_alt",
        project=st.project.name,
        start=fmt_date(env.lang, st.span.start, env.today),
        end=fmt_date(env.lang, st.span.end, env.today),
        today=fmt_date(env.lang, env.today, env.today),
        rows=("；" if env.lang == "zh" else "; ").join(parts),
    )


def _day(lang: str, day: date) -> str:
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.strftime('%b')} {day.day}"


# --- the drawing -------------------------------------------------------------------------------


def draw(model: dict, fmt: str, scale: float) -> bytes:
    return canvas.to_bytes(figure_of(model), fmt, scale)


def figure_of(model: dict) -> Figure:
    """The picture of `model`, not yet drawn to bytes (tests read its texts)."""
    lang, unit = model["lang"], model["unit"]
    words = model["words"]
    days = [_x(d) for d in model["days"]]
    today = _x(model["today"])
    fig = canvas.figure(5.6)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.1, right=0.97, top=0.84, bottom=0.13)
    top = 0.0
    for i, series in enumerate(model["series"]):
        colour = LABEL_COLOURS[i % len(LABEL_COLOURS)]
        xs = [d for d, v in zip(days, series["planned"], strict=True) if v is not None]
        plan = [v for v in series["planned"] if v is not None]
        if plan:
            eighty = [v * EIGHTY for v in plan]
            ax.fill_between(xs, eighty, plan, color=colour, alpha=0.07, linewidth=0)
            ax.plot(xs, plan, color=colour, linewidth=1.6, linestyle=(0, (6, 3)))
            ax.plot(xs, eighty, color=colour, linewidth=1.2, linestyle=(0, (1, 2.5)))
            top = max(top, max(plan))
        points = [(_x(d), float(v)) for d, v in series["actual"]]
        if points:
            ax.plot(
                [d for d, _ in points],
                [v for _, v in points],
                color=colour,
                linewidth=2.6,
                marker="o",
                markersize=5.5,
                zorder=4,
            )
            last_day, last_value = points[-1]
            if last_day < today:  # the latest number still counts today
                ax.plot(
                    [last_day, today],
                    [last_value, last_value],
                    color=colour,
                    linewidth=1.4,
                    alpha=0.6,
                    zorder=3,
                )
            top = max(top, max(v for _, v in points))
    ax.axvline(today, color=canvas.TODAY, linewidth=1.4, zorder=2)
    ax.set_ylim(0, top * 1.12 if top > 0 else 1.0)
    ax.set_xlim(days[0], days[-1])
    ax.text(
        today,
        1.0,
        " " + words["today"],
        transform=ax.get_xaxis_transform(),
        color=canvas.TODAY,
        fontsize=10,
        va="bottom",
        ha="center",
    )
    _annotate_paces(ax, model, today, days)
    ax.yaxis.set_major_locator(MaxNLocator(6))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: fmt_amount(v, lang, "%" if unit == "%" else None))
    )
    ax.xaxis.set_major_locator(MaxNLocator(8, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(lang, v)))
    ax.set_xlabel(words["x"], fontsize=11, color=canvas.INK)
    ax.set_ylabel(words["y"], fontsize=11, color=canvas.INK)
    ax.tick_params(labelsize=10, colors=canvas.INK)
    ax.grid(axis="y", color="#e4e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.1, 0.955, model["title"], fontsize=16, color=canvas.INK)
    fig.text(0.1, 0.905, model["subtitle"], fontsize=10.5, color="#52606d")
    _legend(ax, model)
    return fig


def _x(day: str) -> float:
    """A day where the x axis has it (matplotlib's day numbers)."""
    return float(date2num(date.fromisoformat(day)))


def _tick(lang: str, value: float) -> str:
    return _day(lang, num2date(value).date())


def _annotate_paces(ax: Axes, model: dict, today: float, days: list[float]) -> None:
    """Each label's latest pace at today, in its light's colour, kept apart when they crowd."""
    marks = [
        (series["actual_now"] or 0.0, series)
        for series in model["series"]
        if series["pace"] is not None
    ]
    low, high = ax.get_ylim()
    gap = (high - low) * 0.09
    placed: list[float] = []
    for y, series in sorted(marks, key=lambda m: m[0]):
        at = y
        for other in placed:
            if abs(at - other) < gap:
                at = other + gap
        placed.append(at)
        light = Light(series["light"])
        colour = canvas.LIGHT_COLOURS[light]
        text = f"{series['label']} {round(series['pace'])}%"
        ax.scatter(
            [today],
            [y],
            s=90,
            color=colour,
            edgecolor="white",
            linewidth=1.5,
            zorder=6,
        )
        right_room = days[-1] - today > len(days) * 0.18
        ax.annotate(
            text,
            xy=(today, y),
            xytext=(10 if right_room else -10, at),
            textcoords=("offset points", "data"),
            ha="left" if right_room else "right",
            va="center",
            fontsize=12,
            color="white",
            bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": colour},
            zorder=7,
        )


def _legend(ax: Axes, model: dict) -> None:
    words = model["words"]
    handles: list[Line2D] = []
    names: list[str] = []
    if len(model["series"]) > 1:  # colours are labels; one series needs no key for its colour
        for i, series in enumerate(model["series"]):
            colour = LABEL_COLOURS[i % len(LABEL_COLOURS)]
            handles.append(Line2D([], [], color=colour, linewidth=6))
            names.append(series["label"])
    grey = "#52606d"
    handles += [
        Line2D([], [], color=grey, linewidth=2.6, marker="o", markersize=5),
        Line2D([], [], color=grey, linewidth=1.6, linestyle=(0, (6, 3))),
        Line2D([], [], color=grey, linewidth=1.2, linestyle=(0, (1, 2.5))),
    ]
    names += [words["actual"], words["plan"], words["eighty"]]
    ax.legend(
        handles,
        names,
        loc="upper left",
        fontsize=10,
        frameon=True,
        framealpha=0.92,
        edgecolor="#e4e7eb",
        ncol=1,
    )


__all__ = ["KIND", "draw", "kpichart", "parse_kpichart", "pictures"]
