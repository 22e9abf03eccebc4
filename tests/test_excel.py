"""`paceline export` and `paceline import`: a project to xlsx/csv and back (every field kept), a
team's own sheet with Chinese headers, the dry run's list of rows it cannot read, all-or-none."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from bot import excel
from bot.cli import main
from bot.console import ConsoleBot
from handlers import CoreConfig
from storage.db import Database
from storage.models import Blocker, Channel, Member, Phase, Project, Task, Workspace
from tests.conftest import NOW, count, snapshot

PLAN = 'project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" @王芳'
SETUP = [
    PLAN,
    "phase add +双11大促 预热期 11-01..11-15",
    "phase add +双11大促 爆发期 11-16..11-30",
    "add 写预热文案 @张三 +双11大促 phase:预热期 start:2026-11-02 due:2026-11-14",
    "add Design KV banners @bob +双11大促 phase:爆发期 start:2026-11-19 due:2026-11-27",
    "add 直播脚本审核 @李四 +双11大促 due:2026-11-29",
    "add KOL 名单 +双11大促 due:2026-11-25",
    "add Cancelled one +双11大促",
    "done 1",
    "progress 2 30%",
    "block 3 等法务意见",
    "cancel 5",
    "kpi +双11大促 GMV target:500万",
    "kpi GMV 80万",
    "kpi GMV 120万",
]


def _fields(db: Database, channel: str) -> list[tuple[object, ...]]:
    """Every field a task sheet carries, for the tasks of a channel, in number order."""
    with Session(db.engine) as s:
        rows = s.exec(
            select(Task, Member, Project, Phase)
            .join(Channel, Task.channel_id == Channel.id)
            .join(Member, Task.assignee_id == Member.id)
            .join(Project, Task.project_id == Project.id)
            .outerjoin(Phase, Task.phase_id == Phase.id)
            .where(Channel.external_id == channel)
            .order_by(Task.number)
        ).all()
        out = []
        for task, owner, project, phase in rows:
            blocker = s.exec(
                select(Blocker).where(Blocker.task_id == task.id, Blocker.resolved_at == None)  # noqa: E711
            ).first()
            out.append(
                (
                    task.title,
                    owner.display_name,
                    project.name,
                    phase.name if phase else None,
                    task.start_date,
                    task.due_date,
                    task.status,
                    task.progress,
                    blocker.reason if blocker else None,
                )
            )
        return out


def _workspace(db: Database) -> Workspace:
    with Session(db.engine) as s:
        return s.exec(select(Workspace).where(Workspace.external_id == "console")).one()


def _setup(bot: ConsoleBot) -> None:
    for line in SETUP:
        out = bot.say(line)
        assert "⚠️" not in out, (line, out)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_keeps_every_field(
    bot: ConsoleBot, db: Database, config: CoreConfig, tmp_path: Path, fmt: str
) -> None:
    _setup(bot)
    before = _fields(db, "general")
    assert len(before) == 5 and before[2][6] == "blocked" and before[0][6] == "done"
    name, sheets, lang = excel.read_project(db, _workspace(db), "双11大促", config, NOW)
    path = tmp_path / excel.default_name(name, fmt)
    if fmt == "xlsx":
        excel.write_xlsx(sheets, path, lang)
    else:
        excel.write_csv(sheets, path)

    outcome = excel.import_rows(
        db,
        excel.read_table(path),
        workspace="console",
        channel="copy",
        user="alice",
        config=config,
        now=NOW,
        apply=True,
    )
    assert outcome.bad == [] and outcome.applied
    assert [m.number for m in outcome.made] == [6, 7, 8, 9, 10]  # numbered as if typed
    assert _fields(db, "copy") == before
    # owners found, not made twice; the project and its phases the same rows
    assert count(db, "member") == 5  # alice, 张三, bob, 李四, 王芳
    assert count(db, "project") == 1 and count(db, "phase") == 2
    # history as if typed: a "created" event for each imported task
    with Session(db.engine) as s:
        copy = s.exec(select(Channel).where(Channel.external_id == "copy")).one()
        made = s.exec(select(Task).where(Task.channel_id == copy.id)).all()
    assert all(t.creator_id == made[0].creator_id for t in made)
    bot.say("/channel copy")
    out = bot.say("list all")
    assert "直播脚本审核" in out and "#8" in out


def test_xlsx_has_a_sheet_per_kind_with_lights_and_actuals(
    bot: ConsoleBot, db: Database, config: CoreConfig, tmp_path: Path
) -> None:
    _setup(bot)
    _, sheets, lang = excel.read_project(db, _workspace(db), "双11大促", config, NOW)
    path = tmp_path / "out.xlsx"
    excel.write_xlsx(sheets, path, lang)
    book = load_workbook(path)
    assert book.sheetnames == ["Tasks", "KPIs", "Blockers"]
    tasks = list(book["Tasks"].iter_rows(values_only=True))
    assert tasks[0] == excel.TASK_HEADER
    assert book["Tasks"]["A1"].font.b and book["Tasks"].column_dimensions["B"].width > 10
    blocked = tasks[3]
    assert blocked[1] == "直播脚本审核" and blocked[9] == "red" and blocked[11] == "等法务意见"
    assert "等法务意见" in blocked[10]  # the light's reason, as the bot says it
    assert isinstance(tasks[1][6], datetime) and tasks[1][6].date() == date(2026, 11, 14)
    kpis = list(book["KPIs"].iter_rows(values_only=True))
    assert [(r[0], r[3], r[4]) for r in kpis[1:]] == [
        ("GMV", 5_000_000, 800_000),
        ("GMV", 5_000_000, 1_200_000),
    ]
    blockers = list(book["Blockers"].iter_rows(values_only=True))
    assert [(r[0], r[2], r[5]) for r in blockers[1:]] == [(3, "等法务意见", None)]


def _team_sheet(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["任务", "负责人", "开始", "截止日期", "状态", "进度", "项目", "备注"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_teams_sheet_dry_run_lists_tasks_and_bad_rows(
    db: Database, config: CoreConfig, tmp_path: Path
) -> None:
    path = tmp_path / "team.xlsx"
    _team_sheet(
        path,
        [
            [
                "主图设计",
                "王芳",
                datetime(2026, 11, 20),
                datetime(2026, 11, 28),
                "进行中",
                "50%",
                "年货节",
                "x",
            ],
            ["短信文案", "@张三", "11月11日", "12月3日", "待办", None, None, None],
            [None, "李四", None, None, "完成", 100, None, None],
            ["直播彩排", "李四", None, "下下下周八", "进行中", 20, None, None],
            ["复盘", "李四", None, None, "paused", 20, None, None],
            ["预算", "李四", None, None, "进行中", "一半", None, None],
        ],
    )
    before = snapshot(db)
    outcome = excel.import_rows(
        db,
        excel.read_table(path),
        workspace="console",
        channel="ops",
        user="me",
        config=config,
        now=NOW,
    )
    assert snapshot(db) == before  # a dry run writes nothing
    assert [(m.line, m.number, m.title, m.status, m.progress, m.due) for m in outcome.made] == [
        (2, 1, "主图设计", "doing", 50, date(2026, 11, 28)),
        (3, 2, "短信文案", "todo", 0, date(2026, 12, 3)),
    ]
    rows, _ = excel.read_rows([["任务", "开始"], ["x", "11月11日"]], date(2026, 11, 26))
    assert rows[0].start == date(2026, 11, 11)  # a sheet's plan: this year's, not rolled on
    assert [line for line, _ in outcome.bad] == [4, 5, 6, 7]
    text = excel.summary(outcome, "ops")
    assert "row 4: no title" in text and "row 6: status 'paused' unknown" in text
    assert "row 5: due '下下下周八' is not a date" in text and "row 7: progress '一半'" in text
    assert "nothing imported" in text


def test_apply_is_all_or_none(db: Database, config: CoreConfig, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Title", "Assignee", "Due", "Status", "Progress", "Phase", "Project"])
        writer.writerow(["Poster", "bob", "2026-11-30", "doing", "40", "", "Spring"])
        writer.writerow(["Teaser", "bob", "2026-11-30", "to do", "", "Warm", "Spring"])
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the CLI reads the database by URL (SQLite's file here)")
    before = snapshot(db)
    args = ["import", str(path), "--channel", "ops", "--apply", "--now", "2026-11-26T10:00+08:00"]
    args += ["--db", str(db.engine.url)]
    assert main(args) == 1
    assert snapshot(db) == before  # row 3's phase is not a phase of +Spring: nothing written

    path.write_text(path.read_text().replace("Warm", ""), encoding="utf-8")
    assert main(args) == 0
    with Session(db.engine) as s:
        made = s.exec(select(Task).order_by(Task.number)).all()
    assert [(t.number, t.title, t.status, t.progress) for t in made] == [
        (1, "Poster", "doing", 40),
        (2, "Teaser", "todo", 0),
    ]


def test_cli_export_prints_its_path(
    sqlite_db: Database, config: CoreConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = ConsoleBot(sqlite_db, config, user="alice", admins=["alice"], now=NOW)
    _setup(bot)
    monkeypatch.chdir(tmp_path)
    url = str(sqlite_db.engine.url)
    assert main(["export", "+双11大促", "--format", "csv", "--db", url]) == 0
    rows = list(csv.reader((tmp_path / "双11大促.csv").open(encoding="utf-8-sig")))
    assert rows[0] == list(excel.TASK_HEADER) and len(rows) == 6
    assert main(["export", "+nothing", "--db", url]) == 1
