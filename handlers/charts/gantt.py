"""The Gantt chart of a project (`gantt +双11大促 [page:2]` / `甘特图 +双11大促 [页:2]`): its
tasks as bars from start (or creation) to due, filled to their progress and coloured by their
light, owner and numbers on the bars; the plan's phases as bands, today as a line, the buffer
as a hatched band before the end, the forecast finish marked, dependencies as arrows.

`picture` reads the model while the command runs (the tasks the speaker may read, the plan's
state as handlers/plan_state.py judges it); `draw` draws it later, in the work pool. A page
holds PAGE_BARS tasks at most, whole phases where they fit: a big campaign is paged, never
squeezed into an unreadable picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.dates import DayLocator, MonthLocator, WeekdayLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from handlers import plan_state, views
from handlers.charts import canvas
from handlers.charts.canvas import GREY, INK, LIGHT_COLOURS, PAPER, TODAY
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import t
from handlers.pace import Buffer, Span
from handlers.portfolio import PageWords, buffer_text, finish_text, next_page, parse_project_page
from handlers.portfolio import tag_of as _tag
from handlers.reply import Light, Line, Picture, Reply
from storage import queries
from storage.models import Phase, Project, TaskStatus
from storage.report_rows import ReportTask

KIND = "gantt"
PAGE_BARS = 40  # bars a picture holds and stays readable at a chat preview's width
ROW = 0.34  # inches a bar's row takes
LABEL_ROOM = 0.3  # the room after the last day, as a share of the days shown
CHART_WIDTH = 8.5  # inches: 935 px, shown at 600-700 px in a chat preview, its text still read
TITLE_WIDTH = 28  # a label's width in Latin letters (a CJK character counts two)
GANTT_WORDS = PageWords("gantt_no_project", "gantt_two_projects", "gantt_extra", "gantt_page_bad")

# --- the model: plain data, JSON both ways (Picture.model) --------------------------------------


@dataclass
class Bar:
    number: int
    title: str
    owner: str  # a display name; "" for nobody
    start: date  # its start date, or the day it was created
    due: date | None
    progress: int  # 0..100 (a done task is 100)
    status: str
    light: str | None  # red / yellow / green; None once done
    phase: int | None  # an index into GanttModel.phases
    after: list[int] = field(default_factory=list)  # numbers of the tasks it waits for


@dataclass
class Band:
    """A phase: a band across the chart when it has dates, a heading of its tasks always."""

    name: str
    start: date | None
    end: date | None  # the last day, included


@dataclass
class GanttModel:
    project: str
    lang: str
    today: date
    first: date  # the time axis, from the first day…
    last: date  # …to the last, included (the same on every page)
    light: str | None  # the project's
    end: date | None  # the plan's end
    buffer_from: date | None  # the buffer's first day (a plan with an end date)
    forecast: date | None
    forecast_light: str | None  # the buffer's light
    phases: list[Band]
    bars: list[Bar]
    page: int = 1
    pages: int = 1
    total: int = 0  # the tasks the speaker may read, on every page
    hidden: int = 0  # those they may not (other channels' tasks)

    def to_json(self) -> dict:
        def day(d: date | None) -> str | None:
            return d.isoformat() if d is not None else None

        return {
            "project": self.project,
            "lang": self.lang,
            "today": day(self.today),
            "first": day(self.first),
            "last": day(self.last),
            "light": self.light,
            "end": day(self.end),
            "buffer_from": day(self.buffer_from),
            "forecast": day(self.forecast),
            "forecast_light": self.forecast_light,
            "phases": [
                {"name": b.name, "start": day(b.start), "end": day(b.end)} for b in self.phases
            ],
            "bars": [
                {
                    "number": b.number,
                    "title": b.title,
                    "owner": b.owner,
                    "start": day(b.start),
                    "due": day(b.due),
                    "progress": b.progress,
                    "status": b.status,
                    "light": b.light,
                    "phase": b.phase,
                    "after": list(b.after),
                }
                for b in self.bars
            ],
            "page": self.page,
            "pages": self.pages,
            "total": self.total,
            "hidden": self.hidden,
        }

    @classmethod
    def from_json(cls, d: dict) -> GanttModel:
        def day(s: str | None) -> date | None:
            return date.fromisoformat(s) if s else None

        def must(s: str) -> date:
            return date.fromisoformat(s)

        return cls(
            project=d["project"],
            lang=d["lang"],
            today=must(d["today"]),
            first=must(d["first"]),
            last=must(d["last"]),
            light=d["light"],
            end=day(d["end"]),
            buffer_from=day(d["buffer_from"]),
            forecast=day(d["forecast"]),
            forecast_light=d["forecast_light"],
            phases=[Band(p["name"], day(p["start"]), day(p["end"])) for p in d["phases"]],
            bars=[
                Bar(
                    number=b["number"],
                    title=b["title"],
                    owner=b["owner"],
                    start=must(b["start"]),
                    due=day(b["due"]),
                    progress=b["progress"],
                    status=b["status"],
                    light=b["light"],
                    phase=b["phase"],
                    after=list(b["after"]),
                )
                for b in d["bars"]
            ],
            page=d["page"],
            pages=d["pages"],
            total=d["total"],
            hidden=d["hidden"],
        )


# --- the builder: read while the command runs -----------------------------------------------


@dataclass(frozen=True)
class Frame:
    """What a chart takes from its project's state: the light and why, the phases, the end,
    the buffer (with the forecast). From `plan_state` (`of`), or from the digest's judgement
    of a `+tag`."""

    light: Light
    why: str
    phases: list[Phase] = field(default_factory=list)
    span: Span | None = None
    buffer: Buffer | None = None

    @classmethod
    def of(cls, env: Env, state: plan_state.PlanState) -> Frame:
        verdict = state.verdict
        why = env.t(verdict.reason, **verdict.params)
        return cls(verdict.light, why, list(state.phases), state.span, state.buffer)


def picture(env: Env, project: Project, page: int = 1) -> tuple[Picture, int]:
    """Page `page` of the project's Gantt chart, and how many pages it has (a page past the
    last gives the last)."""
    frame = Frame.of(env, plan_state.state(env, project))
    pic, model = pictures(env, [(project, frame)], page)[project.id]
    return pic, model.pages


class _Row(NamedTuple):
    """A task as a bar needs it, from a Task (a command's) or a ReportTask (the digest's)."""

    id: int
    number: int
    title: str
    status: str
    progress: int
    start_date: date | None
    due_date: date | None
    created_at: datetime
    owner: str
    phase_id: int | None


def pictures(
    env: Env, projects: list[tuple[Project, Frame]], page: int = 1
) -> dict[int, tuple[Picture, GanttModel]]:
    """Page `page` of projects' charts, by project id: the tasks the speaker may read, open or
    done (narrowed in the query, decided by `may_read`), those they may not counted."""
    ids = [project.id for project, _ in projects]
    everyone = env.can_plan()
    found = queries.gantt_tasks(
        env.s, ids, channel_id=None if everyone else env.channel.id, member_id=env.me.id
    )
    visible = [task for task in found if env.may_read(task)]
    totals = queries.gantt_task_counts(env.s, ids)
    lights = views.lights(env, visible)
    owners = queries.members_by_id(env.s, {t.assignee_id for t in visible if t.assignee_id})
    rows: dict[int, list[_Row]] = {i: [] for i in ids}
    for task in visible:
        if task.project_id is not None:
            owner = owners.get(task.assignee_id)
            name = owner.display_name if owner is not None else ""
            rows[task.project_id].append(
                _Row(
                    task.id,
                    task.number,
                    task.title,
                    str(task.status),
                    task.progress,
                    task.start_date,
                    task.due_date,
                    task.created_at,
                    name,
                    task.phase_id,
                )
            )
    charts = _charts(env, projects, rows, lights, totals, page)
    beyond = {t.project_id for t in visible if t.channel_id != env.channel.id}
    for project_id, (picture, _model) in charts.items():
        picture.private = project_id in beyond  # another channel's tasks: its asker's alone
    return charts


def week_pictures(
    env: Env,
    projects: list[tuple[Project, Frame, list[ReportTask]]],
    lights: dict[int, Light | None],
) -> dict[int, Picture]:
    """The digest's charts, by project id: each project's tasks the digest read for this
    channel's week (open, or closed within it) with the lights it judged, so that a chart
    costs two small queries (phases and dependencies) however many there are."""
    ids = [t.id for _, _, tasks in projects for t in tasks]
    phases = queries.task_phases(env.s, ids)
    rows = {
        project.id: [
            _Row(
                t.id,
                t.number,
                t.title,
                t.status,
                t.progress,
                t.start_date,
                t.due_date,
                t.created_at,
                t.owner_name or "",
                phases.get(t.id),
            )
            for t in tasks
            if t.status != TaskStatus.CANCELLED
        ]
        for project, _, tasks in projects
    }
    totals = {key: len(found) for key, found in rows.items()}
    framed = [(project, frame) for project, frame, _ in projects]
    return {key: pic for key, (pic, _) in _charts(env, framed, rows, lights, totals, 1).items()}


def _charts(
    env: Env,
    projects: list[tuple[Project, Frame]],
    rows: dict[int, list[_Row]],
    lights: dict[int, Light | None],
    totals: dict[int, int],
    page: int,
) -> dict[int, tuple[Picture, GanttModel]]:
    numbers = {row.id: row.number for found in rows.values() for row in found}
    waits: dict[int, list[int]] = {}
    for task_id, after_id in queries.dependencies_among(env.s, list(numbers)):
        waits.setdefault(task_id, []).append(numbers[after_id])
    out: dict[int, tuple[Picture, GanttModel]] = {}
    for project, frame in projects:
        bars = [_bar(env, row, lights.get(row.id), waits, frame) for row in rows[project.id]]
        model = _model(env, project, frame, bars, page, totals.get(project.id, 0))
        out[project.id] = (_picture(env, project, frame, model), model)
    return out


def _bar(
    env: Env, row: _Row, light: Light | None, waits: dict[int, list[int]], frame: Frame
) -> Bar:
    index = next((i for i, p in enumerate(frame.phases) if p.id == row.phase_id), None)
    return Bar(
        number=row.number,
        title=row.title,
        owner=row.owner,
        start=_start(env, row),
        due=row.due_date,
        progress=100 if row.status == TaskStatus.DONE else row.progress,
        status=row.status,
        light=light.value if light is not None else None,
        phase=index if row.phase_id else None,
        after=sorted(waits.get(row.id, [])),
    )


def _model(
    env: Env, project: Project, frame: Frame, bars: list[Bar], page: int, total: int
) -> GanttModel:
    pages = _pages(bars, len(frame.phases))
    number = min(max(page, 1), len(pages))
    buffer = frame.buffer
    first, last = _axis(env.today, bars, frame)
    return GanttModel(
        project=project.name,
        lang=env.lang,
        today=env.today,
        first=first,
        last=last,
        light=frame.light.value,
        end=frame.span.end if frame.span is not None else None,
        buffer_from=buffer.planned_finish + timedelta(days=1) if buffer is not None else None,
        forecast=buffer.forecast if buffer is not None else None,
        forecast_light=buffer.light.value if buffer is not None else None,
        phases=[
            Band(p.name, span.start, span.end)
            if (span := plan_state.phase_span(p)) is not None
            else Band(p.name, None, None)
            for p in frame.phases
        ],
        bars=pages[number - 1],
        page=number,
        pages=len(pages),
        total=len(bars),
        hidden=max(total - len(bars), 0),
    )


def _picture(env: Env, project: Project, frame: Frame, model: GanttModel) -> Picture:
    name = f"gantt-{project.key}" + (f"-{model.page}" if model.pages > 1 else "")
    title = env.t("gantt_title", project=project.name)
    if model.pages > 1:
        title += " · " + env.t("board_page_last", page=model.page, pages=model.pages)
    return Picture(KIND, name, title, _alt(env, project, model, frame), model.to_json())


def _start(env: Env, row: _Row) -> date:
    start = row.start_date or env.local_day(row.created_at)
    return min(start, row.due_date) if row.due_date is not None else start


def _pages(bars: list[Bar], phases: int) -> list[list[Bar]]:
    """The bars in pages of PAGE_BARS at most, grouped by phase (in the plan's order, those of
    no phase last), each group by start and due: a phase moves whole to the next page when it
    does not fit and would fit there; one longer than a page fills the page it starts on."""
    groups: list[list[Bar]] = [[] for _ in range(phases + 1)]
    for bar in bars:
        groups[bar.phase if bar.phase is not None else phases].append(bar)
    pages: list[list[Bar]] = []
    page: list[Bar] = []
    for group in groups:
        group.sort(key=lambda b: (b.start, b.due is None, b.due, b.number))
        if page and len(page) + len(group) > PAGE_BARS and len(group) <= PAGE_BARS:
            pages.append(page)
            page = []
        while group:
            room = PAGE_BARS - len(page)
            page.extend(group[:room])
            group = group[room:]
            if group:
                pages.append(page)
                page = []
    if page or not pages:
        pages.append(page)
    return pages


def _axis(today: date, bars: list[Bar], frame: Frame) -> tuple[date, date]:
    """The days the time axis shows: the plan, its phases, every bar and today."""
    days = [today]
    if frame.span is not None:
        days += [frame.span.start, frame.span.end]
    if frame.buffer is not None and frame.buffer.forecast is not None:
        days.append(frame.buffer.forecast)
    for p in frame.phases:
        if (span := plan_state.phase_span(p)) is not None:
            days += [span.start, span.end]
    for bar in bars:
        days += [bar.start, bar.due] if bar.due is not None else [bar.start]
    return min(days), max(days)


def _alt(env: Env, project: Project, model: GanttModel, frame: Frame) -> str:
    """What the chart shows, in words: a door that cannot show pictures says this instead."""
    counts: dict[str | None, int] = {}
    for bar in model.bars:
        counts[bar.light] = counts.get(bar.light, 0) + 1
    parts = [
        env.t(
            "gantt_alt",
            project=project.name,
            shown=len(model.bars),
            total=model.total,
            red=counts.get("red", 0),
            yellow=counts.get("yellow", 0),
            green=counts.get("green", 0),
            done=counts.get(None, 0),
        ),
        env.t("gantt_alt_light", why=frame.why),
    ]
    if frame.buffer is not None:
        buffer, finish = buffer_text(env, frame.buffer), finish_text(env, frame.buffer)
        parts.append(env.t("gantt_alt_buffer", buffer=buffer, finish=finish))
    red = [b for b in model.bars if b.light == "red"][:5]
    if red:
        parts.append(env.t("gantt_alt_red", tasks=", ".join(f"#{b.number} {b.title}" for b in red)))
    undated = [f"#{b.number}" for b in model.bars if b.due is None]
    if undated:
        parts.append(env.t("gantt_undated", tasks=", ".join(undated)))
    if model.pages > 1:
        parts.append(env.t("gantt_alt_page", page=model.page, pages=model.pages))
    if model.hidden:
        parts.append(env.t("board_hidden", count=model.hidden, project=project.name))
    return " ".join(parts)


# --- the verb ----------------------------------------------------------------------------------


def parse_gantt(verb: str, rest: str, today: date) -> Command:
    """`gantt +双11大促 [page:2]` (`甘特图 +双11大促 页:2`, `第2页`)."""
    return parse_project_page(verb, rest, GANTT_WORDS)


def gantt(env: Env, cmd: Command) -> Reply:
    name = cmd.projects[0]
    project = queries.find_project(env.s, env.ws, name)
    if project is None:
        raise UserError("project_not_found", project=name)
    page = cmd.page or 1
    frame = Frame.of(env, plan_state.state(env, project))
    pic, model = pictures(env, [(project, frame)], page)[project.id]
    if page > model.pages:
        raise UserError(
            "gantt_page_out",
            project=_tag(project),
            pages=model.pages,
            page=page,
            verb=views._verb_word(env.lang, cmd.verb),
        )
    title = env.t("gantt_title", project=project.name)
    notes = []
    if model.hidden:
        notes.append(Line(env.t("board_hidden", count=model.hidden, project=project.name)))
    if not model.bars:
        notes.insert(0, Line(env.t("gantt_empty", project=_tag(project))))
        return Reply(title, notes, light=frame.light)
    lines = [Line(frame.why, frame.light), Line(env.t("gantt_shows"))]
    undated = [f"#{b.number}" for b in model.bars if b.due is None]
    if undated:
        lines.append(Line(env.t("gantt_undated", tasks=", ".join(undated))))
    lines.extend(notes)
    if model.pages > 1:
        if page < model.pages:
            more = next_page(env, cmd, project, page + 1)
            footer = env.t("board_page", page=page, pages=model.pages, next=more)
        else:
            footer = env.t("board_page_last", page=page, pages=model.pages)
        lines.append(Line(footer))
    return Reply(title, lines, light=frame.light, pictures=[pic])


# --- drawing: in the work pool, from the model alone -----------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BAND_TINTS = ("#eef3fb", "#f6f1fb", "#eef8f2", "#fbf4ec")
_TRACK_ALPHA = 0.28  # the unfilled rest of a bar, in its light's colour
_BEHIND = {"facecolor": PAPER, "edgecolor": "none", "alpha": 0.75, "pad": 0.6}  # under a label


def draw(model: dict, fmt: str, scale: float) -> bytes:
    return canvas.to_bytes(render(GanttModel.from_json(model)), fmt, scale)


def render(m: GanttModel) -> Figure:
    """The chart as a figure (the tests walk its texts for the font's coverage)."""
    rows = _rows(m)
    height = 1.5 + max(len(rows), 4) * ROW
    fig = canvas.figure(height, CHART_WIDTH)
    top = 1 - 0.75 / height
    bottom = 0.62 / height
    ax = fig.add_axes((0.29, bottom, 0.69, top - bottom))
    days = (m.last - m.first).days + 1
    # room after the last day for the labels beside the bars that end there
    lo, hi = _x(m.first) - 0.5, _x(m.last) + 1 + max(days * LABEL_ROOM, 3)
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(rows) - 0.4, -1.4)  # a lane above the first row names today and the buffer
    ax.set_facecolor(PAPER)
    for spine in ax.spines.values():
        spine.set_visible(False)
    _phases(ax, m)
    _buffer(ax, m)
    positions = _bars(ax, m, rows, hi - lo)
    _arrows(ax, m, positions)
    _marks(ax, m)
    _dates(ax, m)
    _labels(ax, rows)
    title = t(m.lang, "gantt_title", project=m.project)
    if m.pages > 1:
        title += " · " + t(m.lang, "board_page_last", page=m.page, pages=m.pages)
    colour = LIGHT_COLOURS[Light(m.light)] if m.light else INK
    fig.text(0.012, 1 - 0.14 / height, "●", color=colour, fontsize=15, va="top", ha="left")
    fig.text(0.04, 1 - 0.16 / height, title, fontsize=15, color=INK, va="top")
    _legend(fig, m)
    return fig


def _rows(m: GanttModel) -> list[tuple[str, Bar | None]]:
    """What each row shows, top to bottom: a phase's heading (when the plan has phases), then
    its bars."""
    rows: list[tuple[str, Bar | None]] = []
    current: int | str | None = "none yet"
    for bar in m.bars:
        if m.phases and bar.phase != current:
            current = bar.phase
            name = m.phases[bar.phase].name if bar.phase is not None else None
            rows.append((name or t(m.lang, "gantt_no_phase"), None))
        rows.append((_clip(f"#{bar.number} {bar.title}", TITLE_WIDTH), bar))
    return rows


def _width(ch: str) -> int:
    return 1 if ord(ch) < 0x1100 else 2


def _clip(text: str, width: int) -> str:
    """`text` cut to `width` (a CJK character counts two), with an ellipsis when cut."""
    if sum(_width(c) for c in text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        if used + _width(ch) > width - 1:
            break
        out += ch
        used += _width(ch)
    return out.rstrip() + "…"


def _x(day: date) -> float:
    return float(date2num(day))


def _phases(ax: Axes, m: GanttModel) -> None:
    for i, band in enumerate(m.phases):
        if band.start is None or band.end is None:
            continue
        x0, x1 = _x(band.start), _x(band.end + timedelta(days=1))
        ax.axvspan(x0, x1, color=_BAND_TINTS[i % len(_BAND_TINTS)], zorder=0, lw=0)


def _buffer(ax: Axes, m: GanttModel) -> None:
    if m.buffer_from is None or m.end is None:
        return
    x0, x1 = _x(m.buffer_from), _x(m.end + timedelta(days=1))
    if x1 <= x0:
        return
    ax.axvspan(x0, x1, facecolor="none", edgecolor=GREY, hatch="///", lw=0, zorder=0.5, alpha=0.6)
    ax.text(
        x0 + 0.3, -0.95, t(m.lang, "gantt_buffer"), ha="left", va="center", fontsize=9, color=GREY
    )


def _bars(
    ax: Axes, m: GanttModel, rows: list[tuple[str, Bar | None]], span: float
) -> dict[int, tuple[int, float, float]]:
    """Each bar drawn on its row; where each is, by task number: (row, start x, end x)."""
    where: dict[int, tuple[int, float, float]] = {}
    for y, (_heading, bar) in enumerate(rows):
        if bar is None:
            if y:
                ax.axhline(y - 0.5, color="#d5dbe1", lw=0.8, zorder=1)
            continue
        colour = LIGHT_COLOURS[Light(bar.light)] if bar.light else GREY
        x0 = _x(bar.start)
        if bar.due is None:
            ax.plot(x0 + 0.5, y, marker="D", ms=8, mfc=PAPER, mec=colour, mew=2, zorder=3)
            where[bar.number] = (y, x0, x0 + 1)
            label = " · ".join(p for p in (bar.owner, t(m.lang, "gantt_no_due")) if p)
            _side_text(ax, x0 + 1.3, y, label)
            continue
        x1 = _x(bar.due + timedelta(days=1))
        where[bar.number] = (y, x0, x1)
        _bar_label(ax, m, bar, y, x0, x1, span)
    _draw_ranges(ax, rows, where, m)
    return where


def _draw_ranges(
    ax: Axes,
    rows: list[tuple[str, Bar | None]],
    where: dict[int, tuple[int, float, float]],
    m: GanttModel,
) -> None:
    """The tracks and their fills as two bar collections (one artist each, however many)."""
    ys, lefts, widths, colours, fill_w, fill_c = [], [], [], [], [], []
    for _heading, bar in rows:
        if bar is None or bar.due is None:
            continue
        y, x0, x1 = where[bar.number]
        colour = LIGHT_COLOURS[Light(bar.light)] if bar.light else GREY
        ys.append(y)
        lefts.append(x0)
        widths.append(x1 - x0)
        colours.append(colour)
        fill_w.append((x1 - x0) * bar.progress / 100)
        fill_c.append(colour)
    if not ys:
        return
    tints = [to_rgba(c, _TRACK_ALPHA) for c in colours]
    ax.barh(ys, widths, left=lefts, height=0.62, color=tints, edgecolor=colours, lw=2, zorder=2)
    ax.barh(ys, fill_w, left=lefts, height=0.62, color=fill_c, lw=0, zorder=2.5)


def _bar_label(
    ax: Axes, m: GanttModel, bar: Bar, y: int, x0: float, x1: float, span: float
) -> None:
    """The owner, the progress and the due date, just after the bar's end."""
    parts = [bar.owner] if bar.owner else []
    parts.append(f"{bar.progress}%")
    if bar.due is not None:
        parts.append(_day(m.lang, bar.due))
    _side_text(ax, x1 + span * 0.005, y, " · ".join(parts))


def _side_text(ax: Axes, x: float, y: int, label: str) -> None:
    """A bar's words, beside it on the right, over whatever lies behind."""
    ax.text(x, y, label, va="center", ha="left", fontsize=10, color=INK, zorder=6, bbox=_BEHIND)


def _arrows(ax: Axes, m: GanttModel, where: dict[int, tuple[int, float, float]]) -> None:
    """Finish-to-start: from the end of the task waited for to the start of the one waiting."""
    for bar in m.bars:
        if bar.number not in where:
            continue
        y, x0, _ = where[bar.number]
        for after in bar.after:
            if after not in where:
                continue
            ya, _, xa = where[after]
            ax.annotate(
                "",
                xy=(x0, y),
                xytext=(xa, ya),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#5b6470",
                    "lw": 1.0,
                    "shrinkA": 0,
                    "shrinkB": 2,
                    # straight down when the waiting task starts where the other ends
                    "connectionstyle": "arc3"
                    if abs(x0 - xa) < 0.5
                    else "angle,angleA=0,angleB=90,rad=4",
                },
                zorder=3.5,
            )


def _marks(ax: Axes, m: GanttModel) -> None:
    """Today as a line, the forecast finish as a dashed one, each named above the chart."""
    x = _x(m.today)
    ax.axvline(x, color=TODAY, lw=1.6, zorder=5)
    ax.text(
        x,
        -0.9,
        t(m.lang, "gantt_today"),
        ha="center",
        va="center",
        fontsize=9,
        color=TODAY,
        bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 1.5},
        zorder=7,
    )
    if m.forecast is not None:
        colour = LIGHT_COLOURS[Light(m.forecast_light)] if m.forecast_light else INK
        xf = _x(m.forecast + timedelta(days=1))
        ax.axvline(xf, color=colour, lw=1.6, ls=(0, (4, 2)), zorder=5)
        ax.plot(xf, -0.45, marker="v", ms=7, color=colour, zorder=6)


def _day(lang: str, day: date) -> str:
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{_MONTHS[day.month - 1]} {day.day}"


def _dates(ax: Axes, m: GanttModel) -> None:
    days = (m.last - m.first).days + 1
    if days <= 16:
        locator: DayLocator | WeekdayLocator | MonthLocator = DayLocator(
            interval=2 if days > 8 else 1
        )
    elif days <= 120:
        locator = WeekdayLocator(byweekday=0, interval=1 if days <= 70 else 2)
    else:
        locator = MonthLocator()
    # no date under the room kept for the labels after the last day
    first, end = _x(m.first) - 0.5, _x(m.last) + 1
    ticks = locator.tick_values(num2date(first), num2date(end))
    ax.set_xticks([x for x in ticks if first <= x <= end])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _day(m.lang, num2date(x).date())))
    ax.tick_params(axis="x", labeltop=True, labelbottom=True, labelsize=10, colors=INK, length=0)
    ax.grid(axis="x", color="#e3e7ec", lw=0.8, zorder=0.2)
    ax.set_axisbelow(True)


def _labels(ax: Axes, rows: list[tuple[str, Bar | None]]) -> None:
    """Each row's name left of the chart: plain texts, not ticks (a tick is several artists:
    forty of them cost more than the bars)."""
    ax.set_yticks([])
    where = ax.get_yaxis_transform()  # x in the axes' share, y in rows
    for y, (text, bar) in enumerate(rows):
        colour = "#4a5561" if bar is None else GREY if bar.light is None else INK
        ax.text(
            -0.012, y, text, transform=where, ha="right", va="center", fontsize=11, color=colour
        )


def _legend(fig: Figure, m: GanttModel) -> None:
    handles = [
        Patch(color=LIGHT_COLOURS[Light.RED], label=t(m.lang, "gantt_legend_red")),
        Patch(color=LIGHT_COLOURS[Light.YELLOW], label=t(m.lang, "gantt_legend_yellow")),
        Patch(color=LIGHT_COLOURS[Light.GREEN], label=t(m.lang, "gantt_legend_green")),
        Patch(color=GREY, label=t(m.lang, "gantt_legend_done")),
        Line2D([], [], color=TODAY, lw=1.6, label=t(m.lang, "gantt_today")),
    ]
    if m.buffer_from is not None:
        handles.append(
            Patch(facecolor=PAPER, edgecolor=GREY, hatch="///", label=t(m.lang, "gantt_buffer"))
        )
    if m.forecast is not None:
        colour = LIGHT_COLOURS[Light(m.forecast_light)] if m.forecast_light else INK
        label = t(m.lang, "gantt_forecast", day=_day(m.lang, m.forecast))
        handles.append(Line2D([], [], color=colour, lw=1.6, ls=(0, (4, 2)), label=label))
    fig.legend(
        handles=handles,
        loc="lower center",
        ncols=len(handles),
        frameon=False,
        fontsize=10,
        handlelength=1.4,
        columnspacing=1.0,
        bbox_to_anchor=(0.5, 0.0),
    )
