"""Excel in and out: `paceline export +项目 --format xlsx|csv` writes a project's tasks (with
their lights and reasons as the bot judges them), KPIs with every actual, and blockers; and
`paceline import FILE --channel NAME` reads a team's own task sheet (headers in English or
Chinese), a dry run by default, `--apply` creating every row through the core in one
transaction or none.

A csv export is the tasks sheet alone (the one a team re-imports); xlsx has one sheet per kind.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, select

from bot.kpi_import import ImportError_
from bot.kpi_import import choose_workspace as choose
from handlers import tasks as task_verbs
from handlers import views
from handlers.changes import set_field, set_status
from handlers.context import Context, CoreConfig, Env
from handlers.dates import read_date
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import t
from storage import queries
from storage.db import Database
from storage.models import Blocker, Channel, Member, Task, TaskStatus, Workspace

PLATFORM = "console"
IMPORTER = "paceline-import"  # who the console says added the rows when no --user is given

TASK_HEADER = (
    "number",
    "title",
    "project",
    "phase",
    "owner",
    "start",
    "due",
    "status",
    "progress",
    "light",
    "reason",
    "blocker",
)
KPI_HEADER = ("kpi", "label", "unit", "target", "actual", "at", "source")
BLOCKER_HEADER = ("task", "title", "reason", "cause", "reported", "resolved", "note")

# A column's header, casefolded, in English or Chinese → the field it fills.
ALIASES: dict[str, str] = {
    **dict.fromkeys(("title", "task", "任务", "任务名", "任务名称", "标题", "事项"), "title"),
    **dict.fromkeys(("owner", "assignee", "负责人", "责任人", "执行人"), "owner"),
    **dict.fromkeys(("start", "start date", "开始", "开始日期", "开始时间"), "start"),
    **dict.fromkeys(("due", "due date", "deadline", "截止", "截止日期", "截止时间"), "due"),
    **dict.fromkeys(("status", "state", "状态"), "status"),
    **dict.fromkeys(("progress", "进度", "完成度"), "progress"),
    **dict.fromkeys(("phase", "stage", "阶段"), "phase"),
    **dict.fromkeys(("project", "项目"), "project"),
    **dict.fromkeys(("blocker", "blocked by", "阻塞原因", "卡点"), "blocker"),
}

STATUSES: dict[str, TaskStatus] = {
    **dict.fromkeys(
        ("todo", "to do", "to-do", "not started", "open", "待办", "待开始", "未开始"),
        TaskStatus.TO_DO,
    ),
    **dict.fromkeys(
        ("doing", "in progress", "started", "wip", "进行中", "处理中"), TaskStatus.DOING
    ),
    **dict.fromkeys(("blocked", "阻塞", "阻塞中", "受阻", "卡住"), TaskStatus.BLOCKED),
    **dict.fromkeys(
        ("done", "complete", "completed", "finished", "完成", "已完成"), TaskStatus.DONE
    ),
    **dict.fromkeys(("cancelled", "canceled", "取消", "已取消"), TaskStatus.CANCELLED),
}

# The console's few words, in the channel's language.
WORDS = {
    "would": {
        "en": "would create {n} task(s) in #{channel}",
        "zh": "将在 #{channel} 创建 {n} 个任务",
    },
    "made": {"en": "created {n} task(s) in #{channel}", "zh": "已在 #{channel} 创建 {n} 个任务"},
    "bad": {"en": "{n} row(s) cannot be read", "zh": "{n} 行无法读取"},
    "none": {
        "en": "nothing imported: fix the rows above and run again",
        "zh": "未导入任何任务：请修正以上各行后重试",
    },
    "dry": {
        "en": "a dry run: nothing written; add --apply to create them",
        "zh": "仅预览，未写入；加 --apply 以创建",
    },
}


class SheetError(Exception):
    """What to print when a file cannot be exported or imported (nothing written)."""


# --- export -------------------------------------------------------------------------------------


@dataclass
class Sheets:
    """The rows of each sheet, headers first."""

    tasks: list[list[object]] = field(default_factory=list)
    kpis: list[list[object]] = field(default_factory=list)
    blockers: list[list[object]] = field(default_factory=list)


def choose_workspace(db: Database, external_id: str | None, platform: str | None) -> Workspace:
    """The workspace named, or the only one there is (as `paceline kpi import` chooses)."""
    try:
        return choose(db, external_id, platform)
    except ImportError_ as err:
        raise SheetError(str(err)) from None


def _env(
    db: Database,
    s: Session,
    ws: Workspace,
    channel: Channel,
    config: CoreConfig,
    now: datetime,
    user: str,
) -> Env:
    ctx = Context(
        db=db,
        platform=ws.platform,
        workspace=ws.external_id,
        channel=channel.external_id,
        channel_name=channel.name,
        user=user.casefold(),
        user_name=user,
        now=now,
        config=config,
    )
    return Env.load(s, ctx)


def read_project(
    db: Database, ws: Workspace, name: str, config: CoreConfig, now: datetime
) -> tuple[str, Sheets, str]:
    """The project's name as kept, its sheets and the language of its channel (the busiest of
    its tasks'); reads only (the session is rolled back)."""
    with db.session() as s:
        try:
            project = queries.find_project(s, ws, name)
            if project is None:
                raise SheetError(f"no project +{name} in {ws.platform}:{ws.external_id}")
            rows = queries.tasks_of_project(s, project.id)
            channel_ids = [r.channel_id for r in rows]
            channel = None
            if channel_ids:
                channel = s.get(Channel, max(set(channel_ids), key=channel_ids.count))
            if channel is None:
                channel = s.exec(select(Channel).where(Channel.workspace_id == ws.id)).first()
            if channel is None:
                raise SheetError("the workspace has no channel yet")
            env = _env(db, s, ws, channel, config, now, "paceline-export")
            return project.name, _sheets(env, project.id, rows), env.lang
        finally:
            s.rollback()


def _sheets(env: Env, project_id: int, rows: list[Task]) -> Sheets:
    s = env.s
    project = queries.projects_by_id(s, {project_id})[project_id]
    assert project is not None
    phases = {p.id: p.name for p in queries.phases_of(s, project_id)}
    people = queries.members_by_id(s, {r.assignee_id for r in rows if r.assignee_id})
    blockers = queries.blockers_of_tasks(s, [r.id for r in rows])
    open_blocker = {b.task_id: b for b in blockers if b.resolved_at is None}
    out = Sheets(
        tasks=[list(TASK_HEADER)], kpis=[list(KPI_HEADER)], blockers=[list(BLOCKER_HEADER)]
    )
    for task in rows:
        verdict = views.verdict(env, task)
        owner = people.get(task.assignee_id) if task.assignee_id else None
        blocker = open_blocker.get(task.id)
        out.tasks.append(
            [
                task.number,
                task.title,
                project.name,
                phases.get(task.phase_id, "") if task.phase_id else "",
                owner.display_name if owner else "",
                task.start_date,
                task.due_date,
                env.t(f"status_{task.status}"),
                task.progress,
                env.t(f"dash_light_{verdict.light}") if verdict.light else "",
                views.reason(env, verdict, blocker),
                blocker.reason if blocker else "",
            ]
        )
    kpis = queries.kpis_of(s, project_id)
    by_id = {k.id: k for k in kpis}
    actuals = queries.actuals_of_kpis(s, list(by_id))
    zone = env.zone
    for kpi in kpis:
        mine = [a for a in actuals if a.kpi_id == kpi.id]
        for a in mine or [None]:
            out.kpis.append(
                [
                    kpi.name,
                    kpi.label,
                    kpi.unit or "",
                    kpi.target,
                    a.value if a else None,
                    a.at.astimezone(zone).replace(tzinfo=None) if a else None,
                    a.source if a else "",
                ]
            )
    numbers = {r.id: r for r in rows}
    for b in blockers:
        task = numbers[b.task_id]
        out.blockers.append(
            [
                task.number,
                task.title,
                b.reason,
                b.cause or "",
                b.reported_at.astimezone(zone).replace(tzinfo=None),
                b.resolved_at.astimezone(zone).replace(tzinfo=None) if b.resolved_at else None,
                b.note or "",
            ]
        )
    return out


def default_name(project: str, fmt: str) -> str:
    """A file name from the project's: its letters and digits (Chinese ones too) kept."""
    stem = re.sub(r"[^\w\-]+", "_", project).strip("_") or "project"
    return f"{stem}.{fmt}"


def write_xlsx(sheets: Sheets, path: Path, lang: str = "en") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    names = {"en": ("Tasks", "KPIs", "Blockers"), "zh": ("任务", "KPI", "阻塞")}[lang]
    for index, (title, rows) in enumerate(
        zip(names, (sheets.tasks, sheets.kpis, sheets.blockers), strict=True)
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col_index, column in enumerate(sheet.iter_cols(), start=1):
            widest = max((_width(c.value) for c in column), default=4)
            sheet.column_dimensions[get_column_letter(col_index)].width = min(60, widest + 2)
            for c in column[1:]:
                if isinstance(c.value, datetime):
                    c.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(c.value, date):
                    c.number_format = "yyyy-mm-dd"
    book.save(path)


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK takes two columns


def write_csv(sheets: Sheets, path: Path) -> None:
    """The tasks sheet alone, UTF-8 with a BOM so Excel reads the Chinese."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        for row in sheets.tasks:
            writer.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row]
            )


# --- import -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One readable row of a sheet."""

    line: int
    title: str
    owner: str = ""
    project: str = ""
    phase: str = ""
    start: date | None = None
    due: date | None = None
    status: TaskStatus = TaskStatus.TO_DO
    progress: int = 0
    blocker: str = ""


def read_table(path: Path) -> list[list[object]]:
    """The file's first sheet (or the one named Tasks / 任务) as rows of cell values."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise SheetError(f"cannot read {path}: {err}") from None
        return [list(r) for r in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # a broken or foreign file: say so, write nothing
            raise SheetError(f"cannot read {path}: {err}") from None
        try:
            names = {n.casefold(): n for n in book.sheetnames}
            chosen = names.get("tasks") or names.get("任务") or book.sheetnames[0]
            return [list(r) for r in book[chosen].iter_rows(values_only=True)]
        finally:
            book.close()
    raise SheetError(f"{path}: give an .xlsx or a .csv file")


def read_rows(table: list[list[object]], today: date) -> tuple[list[Row], list[tuple[int, str]]]:
    """The rows that read, and (row number, why) for each that does not. Row 1 is the header."""
    if not table:
        raise SheetError(
            "the file is empty: its first row must be a header (任务/title, 负责人/owner, …)"
        )
    columns: dict[int, str] = {}
    for index, name in enumerate(table[0]):
        key = ALIASES.get(str(name or "").strip().casefold())
        if key is not None and key not in columns.values():
            columns[index] = key
    if "title" not in columns.values():
        raise SheetError(
            "row 1: no title column; name one 任务, 标题 or title "
            "(e.g. 任务,负责人,截止日期,状态,进度)"
        )
    good: list[Row] = []
    bad: list[tuple[int, str]] = []
    for line, raw in enumerate(table[1:], start=2):
        cells = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        if all(v is None or str(v).strip() == "" for v in raw):
            continue
        try:
            good.append(_row(line, cells, today))
        except ValueError as err:
            bad.append((line, str(err)))
    return good, bad


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: object, what: str, today: date) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = read_date(text, today)
    if found is None:
        raise ValueError(f"{what} {text!r} is not a date (e.g. 2026-11-11 or 11月11日)")
    # A sheet records a plan, past days included: "11月11日" is this year's, not rolled on to
    # next year's as a new deadline typed in chat would be.
    return found.rolled_from or found.day


def _row(line: int, cells: dict[str, object], today: date) -> Row:
    title = _text(cells.get("title"))
    if not title:
        raise ValueError("no title (任务)")
    status_text = _text(cells.get("status")).casefold()
    status = STATUSES.get(status_text) if status_text else TaskStatus.TO_DO
    if status is None:
        raise ValueError(
            f"status {status_text!r} unknown "
            "(待办/进行中/阻塞/完成/取消, todo/doing/blocked/done/cancelled)"
        )
    progress_text = _text(cells.get("progress")).rstrip("%").strip()
    progress = 0
    if progress_text:
        try:
            number = float(progress_text)
        except ValueError:
            raise ValueError(f"progress {progress_text!r} is not a number (50 or 50%)") from None
        if (
            isinstance(cells.get("progress"), float)
            and 0 < number <= 1
            and "." in str(cells["progress"])
        ):
            number *= 100  # a cell formatted as a percentage holds 0.5
        if not 0 <= number <= 100:
            raise ValueError(f"progress {progress_text} is not between 0 and 100")
        progress = round(number)
    start = _date(cells.get("start"), "start", today)
    due = _date(cells.get("due"), "due", today)
    if start and due and start > due:
        raise ValueError(f"start {start} is after due {due}")
    phase = _text(cells.get("phase"))
    project = _text(cells.get("project")).lstrip("+")
    if phase and not project:
        raise ValueError(f"phase {phase!r} needs a project")
    return Row(
        line=line,
        title=title,
        owner=_text(cells.get("owner")).lstrip("@"),
        project=project,
        phase=phase,
        start=start,
        due=due,
        status=status,
        progress=progress,
        blocker=_text(cells.get("blocker")),
    )


@dataclass(frozen=True)
class Made:
    """A task as the import made it (or would make it): plain values, kept after the session."""

    line: int
    number: int
    title: str
    status: str
    progress: int
    due: date | None


@dataclass
class Outcome:
    lang: str
    made: list[Made]
    bad: list[tuple[int, str]]
    applied: bool


def import_rows(
    db: Database,
    table: list[list[object]],
    *,
    workspace: str,
    channel: str,
    user: str,
    config: CoreConfig,
    now: datetime,
    project: str | None = None,
    apply: bool = False,
) -> Outcome:
    """Every row run through the core in one transaction; kept only with `apply` and no bad row."""
    ctx = Context(
        db=db,
        platform=PLATFORM,
        workspace=workspace,
        channel=channel,
        channel_name=channel,
        user=user.casefold(),
        user_name=user,
        now=now,
        config=config,
    )
    with db.session() as s:
        env = Env.load(s, ctx)
        rows, bad = read_rows(table, env.today)
        made: list[Made] = []
        added: list[Task] = []

        def pending(_session: object, instance: object) -> None:
            if isinstance(instance, Task):
                added.append(instance)

        event.listen(s, "transient_to_pending", pending)
        _remember_people(env)
        for row in rows:
            if project and not row.project:
                row.project = project
            try:
                task = _create(env, row, added)
            except UserError as err:
                bad.append((row.line, t(env.lang, err.key, **err.params)))
                continue
            made.append(
                Made(row.line, task.number, task.title, task.status, task.progress, task.due_date)
            )
        bad.sort()
        outcome = Outcome(env.lang, made, bad, applied=apply and not bad)
        if not outcome.applied:
            s.rollback()
        return outcome


def _remember_people(env: Env) -> None:
    """A sheet names the same few owners thousands of times: each name is looked up (or made)
    once, as `add` would, and remembered for the rest of the import."""
    known: dict[str, tuple[Member, bool]] = {}
    look_up = env.person

    def person(name: str) -> tuple[Member, bool]:
        if name not in known:
            known[name] = look_up(name)
            return known[name]
        return known[name][0], False

    env.person = person  # type: ignore[method-assign]


def _create(env: Env, row: Row, added: list[Task]) -> Task:
    """The row as `add` makes it, then its progress and status as `progress`, `block`, `done`
    and `cancel` record them. `added`: the session's new tasks (filled by a session event)."""
    cmd = Command(
        "add",
        text=row.title,
        people=(row.owner + "!",) if row.owner else (),
        projects=(row.project,) if row.project else (),
        phase=row.phase or None,
        start=row.start,
        due=row.due,
    )
    task_verbs.add(env, cmd)
    task = added.pop()
    assert task.number == env.made
    if row.progress:
        set_field(env, task, "progress", row.progress)
    if row.status == TaskStatus.BLOCKED:
        reason = row.blocker or env.t("status_blocked")
        env.s.add(
            Blocker(task_id=task.id, reason=reason, reported_by_id=env.me.id, reported_at=env.now)
        )
        set_status(env, task, TaskStatus.BLOCKED, reason)
    elif row.status != TaskStatus.TO_DO:
        set_status(env, task, row.status)
    elif row.progress > 0:
        set_status(env, task, TaskStatus.DOING)  # as `progress` does for a task to do
    return task


def summary(outcome: Outcome, channel: str) -> str:
    lang = outcome.lang
    out: list[str] = []
    for task in outcome.made:
        bits = [f"row {task.line}: #{task.number} {task.title}", t(lang, f"status_{task.status}")]
        if task.progress:
            bits.append(f"{task.progress}%")
        if task.due:
            bits.append(f"due {task.due.isoformat()}")
        out.append("  " + " · ".join(bits))
    for line, why in outcome.bad:
        out.append(f"  row {line}: {why}")
    n = len(outcome.made)
    key = "made" if outcome.applied else "would"
    head = WORDS[key][lang].format(n=n, channel=channel)
    tail: list[str] = []
    if outcome.bad:
        tail.append(WORDS["bad"][lang].format(n=len(outcome.bad)))
        tail.append(WORDS["none"][lang])
    elif not outcome.applied:
        tail.append(WORDS["dry"][lang])
    return "\n".join([head, *out, *tail])
