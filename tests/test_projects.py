"""Project plans (issue 12, first slice): `project new|show|list|edit|close|reopen` in English
and Chinese through the console bot, the rows they leave, the `+tag` upgrade that keeps its
tasks, the SMART hints, bad input (a message naming the bad piece, nothing written) and the
0012 migration. Today is pinned to Thursday 2026-11-26 (tests/conftest.py NOW)."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from handlers.projects import smart_hints
from storage.db import make_engine, upgrade
from storage.models import Project, ProjectStatus, Task
from tests.conftest import NOW, member, snapshot
from tests.test_storage import seed_one_task


def plan(db, name: str) -> Project:
    with Session(db.engine) as s:
        return s.exec(select(Project).where(Project.name == name)).one()


# --- the 0012 migration ------------------------------------------------------------------------


def test_the_0012_upgrade_keeps_tasks_and_tag_projects(tmp_path):
    """A 0011 database with +tag projects and their tasks upgrades without loss: each project
    stays a tag (not a plan), open, with the default buffer; its tasks still point at it."""
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0011")
    seed_one_task(engine)
    with engine.begin() as conn:
        for key in ("双11", "launch"):
            conn.execute(
                text(
                    "INSERT INTO project (workspace_id, name, key, created_at)"
                    " VALUES (1, :name, :key, :at)"
                ),
                {"name": key, "key": key, "at": NOW},
            )
        conn.execute(text("UPDATE task SET project_id = 1 WHERE number = 1"))
        conn.execute(
            text(
                "INSERT INTO task (workspace_id, number, title, channel_id, creator_id,"
                " project_id, status, progress, created_at, updated_at)"
                " VALUES (1, 2, 'Copy', 1, 1, 2, 'done', 100, :at, :at)"
            ),
            {"at": NOW},
        )
    upgrade(engine)
    with Session(engine) as s:
        projects = {p.key: p for p in s.exec(select(Project))}
        tasks = {t.number: t for t in s.exec(select(Task))}
    assert set(projects) == {"双11", "launch"}
    for row in projects.values():
        assert row.is_plan is False and row.status == ProjectStatus.OPEN
        assert row.buffer_pct == 20 and row.goal is None and row.owner_id is None
        assert row.start_date is None and row.end_date is None and row.closed_at is None
        assert row.updated_at is not None and row.updated_at.replace(tzinfo=UTC) == NOW
    assert tasks[1].project_id == projects["双11"].id and tasks[1].title == "Poster"
    assert tasks[2].project_id == projects["launch"].id and tasks[2].status == "done"
    engine.dispose()


def test_the_0012_downgrade_keeps_projects_and_tasks_and_upgrades_again(tmp_path):
    """Down to 0011 and up again on SQLite with a plan that tasks refer to: nothing is lost
    but the plan's own fields (0011 has none), and the tasks keep their project."""
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'db.db'}")
    upgrade(engine)
    seed_one_task(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO project (workspace_id, name, key, created_at, is_plan, buffer_pct,"
                " status, owner_id) VALUES (1, 'x', 'x', :at, true, 25, 'open', 1)"
            ),
            {"at": NOW},
        )
        conn.execute(text("UPDATE task SET project_id = 1"))
    command.downgrade(alembic_config(engine), "0011")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM project")).all() == [("x",)]
        assert conn.execute(text("SELECT project_id FROM task")).all() == [(1,)]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    upgrade(engine)
    with Session(engine) as s:
        row = s.exec(select(Project)).one()
        assert (row.name, row.is_plan, row.buffer_pct) == ("x", False, 20)
        assert s.exec(select(Task)).one().project_id == row.id
    engine.dispose()


# --- the SMART hint, as a pure function -------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "end", "hints"),
    [
        ("直播 GMV 500万", date(2026, 12, 10), []),
        ("10k sign-ups", date(2027, 4, 15), []),
        ("ＧＭＶ ５００万", date(2026, 12, 10), []),  # full-width digits
        ("GMV 五百万", date(2026, 12, 10), []),
        ("转化率 百分之八", date(2026, 12, 10), []),
        ("提升品牌", date(2026, 12, 10), ["project_hint_no_number"]),
        ("统一一起上线", date(2026, 12, 10), ["project_hint_no_number"]),  # 一 is no number
        ("more sign-ups", None, ["project_hint_no_number", "project_hint_no_end"]),
        ("GMV 500万", None, ["project_hint_no_end"]),
        (None, date(2026, 12, 10), ["project_hint_no_goal"]),
    ],
)
def test_smart_hints(goal, end, hints):
    assert smart_hints(goal, end) == hints


# --- project new / 项目 新建 ---------------------------------------------------------------------

DOUBLE11 = 'project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" buffer:20% @王芳'


def test_new_plans_a_campaign(bot, db):
    reply = bot.reply(DOUBLE11)
    assert not reply.error and reply.public
    out = bot.say("project show +双11大促")
    assert out.splitlines()[0] == "🟢 +双11大促"  # a plan shows its own light
    for line in (
        "Status: open",
        "Dates: Sun Nov 1 – Thu Dec 10 (40 days)",
        "Goal: 直播 GMV 500万",
        "Owner: @王芳",
        "Buffer: 20%",
        "Tasks: 0 open · 0 done",
        "Lights: no open tasks",
    ):
        assert f"  {line}" in out.splitlines(), line
    row = plan(db, "双11大促")
    assert row.is_plan and row.status == ProjectStatus.OPEN
    assert (row.start_date, row.end_date) == (date(2026, 11, 1), date(2026, 12, 10))
    assert row.goal == "直播 GMV 500万" and row.buffer_pct == 20
    assert row.owner_id == member(db, "王芳").id
    assert row.updated_at is not None


def test_new_in_english_with_a_quoted_name_and_the_default_buffer_and_owner(bot, db):
    out = bot.say('project new "Spring launch" 2027-03-01..2027-04-15 goal:"10k sign-ups"')
    assert out.splitlines()[0] == "🟢 Project +Spring launch planned"
    assert "  Owner: @alice" in out.splitlines()
    assert "  Buffer: 20%" in out.splitlines()
    assert "Tasks join it with `+spring-launch`" in out
    assert "Hint" not in out  # a number and an end date: SMART enough
    row = plan(db, "Spring launch")
    assert row.key == "spring-launch" and row.buffer_pct == 20
    assert row.owner_id == member(db, "alice").id
    bot.say("add Landing page +spring-launch")
    assert "Tasks: 1 open · 0 done" in bot.say('project show "Spring launch"')
    assert "Tasks: 1 open · 0 done" in bot.say("project show +Spring-Launch")


def test_new_in_chinese_with_corner_quotes_a_zhi_range_and_a_buffer(bot, db):
    out = bot.say(
        "项目 新建 「春季 活动」 2027-03-01至2027-04-15 目标：“新增注册 1万” 缓冲:15% @王芳"
    )
    assert out.splitlines()[0] == "🟢 项目 +春季 活动 已建立计划"
    assert "  缓冲: 15%" in out.splitlines()
    assert "  负责人: @王芳" in out.splitlines()
    row = plan(db, "春季 活动")
    assert row.goal == "新增注册 1万" and row.buffer_pct == 15
    assert (row.start_date, row.end_date) == (date(2027, 3, 1), date(2027, 4, 15))


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("project new a 2026-12-01~2026-12-20", date(2026, 12, 1), date(2026, 12, 20)),
        ("project new a 12-01..12-20", date(2026, 12, 1), date(2026, 12, 20)),
        # a start that has passed this year stays this year's when the end is still ahead
        ("project new a 11-01..12-10", date(2026, 11, 1), date(2026, 12, 10)),
        ("项目 新建 a 12月1日至12月20日", date(2026, 12, 1), date(2026, 12, 20)),
        ("project new a 12-20..01-10", date(2026, 12, 20), date(2027, 1, 10)),
        ("project new a start:12-01 end:12-20", date(2026, 12, 1), date(2026, 12, 20)),
        ("项目 新建 a 结束:12-20", date(2026, 11, 26), date(2026, 12, 20)),  # starts today
        ("project new a start: 12-01 end: 12-20", date(2026, 12, 1), date(2026, 12, 20)),
        ("项目 新建 a 开始： 12-01 结束： 12-20", date(2026, 12, 1), date(2026, 12, 20)),
        ("project new a", None, None),
    ],
)
def test_new_reads_the_date_range(bot, db, line, start, end):
    assert not bot.reply(line).error
    row = plan(db, "a")
    assert (row.start_date, row.end_date) == (start, end)


def test_new_upgrades_a_tag_in_place_and_its_tasks_stay(bot, db):
    bot.say("add Poster +双11大促 due:fri")
    bot.say("add Copy +双11大促")
    bot.say("done 2")
    before = plan(db, "双11大促")
    assert not before.is_plan
    assert "+双11大促 · tag (not planned)" in bot.say("project list")
    out = bot.say(DOUBLE11)
    assert "+双11大促 was a tag; it is a plan now, and its 2 task(s) stay in it." in out
    after = plan(db, "双11大促")
    assert after.id == before.id and after.is_plan and after.created_at == before.created_at
    with Session(db.engine) as s:
        tasks = list(s.exec(select(Task).order_by(Task.number)))
    assert [(t.title, t.project_id) for t in tasks] == [("Poster", after.id), ("Copy", after.id)]
    assert "  Tasks: 1 open · 1 done" in bot.say("project +双11大促").splitlines()


def test_a_plan_is_not_planned_twice_and_nothing_is_written(bot, db):
    bot.say(DOUBLE11)
    before = snapshot(db)
    for line in (DOUBLE11, "项目 新建 双11大促 2027-11-01..2027-12-10", "project new +双11大促"):
        out = bot.say(line)
        assert "双11大促" in out and ("already a plan" in out or "已经是一个计划" in out)
    assert snapshot(db) == before


# --- the SMART hint ------------------------------------------------------------------------------


def test_a_goal_without_a_number_gets_a_hint_not_a_refusal(bot, db):
    bot.say("list")  # the channel's first answer ends with its greeting
    out = bot.say('project new Brand 2026-12-01..2026-12-20 goal:"more awareness"')
    assert out.splitlines()[-1] == "  Hint: the goal has no number to measure (e.g. 10k sign-ups)."
    assert plan(db, "Brand").is_plan
    out = bot.say("项目 新建 品牌 2026-12-01..2026-12-20 目标:提升品牌认知")
    assert out.splitlines()[-1] == "  提示：目标里没有可衡量的数字（例如 GMV 500万）。"
    assert plan(db, "品牌").goal == "提升品牌认知"


def test_a_plan_without_an_end_date_gets_a_hint(bot):
    out = bot.say('project new Brand goal:"10k sign-ups"')
    assert "Hint: the plan has no end date" in out
    assert "Hint: the goal has no number" not in out
    out = bot.say("project edit +Brand end:12-20")
    assert "Hint" not in out


def test_names_and_goals_with_range_words_are_not_ranges(bot, db):
    bot.say("项目 新建 直播到家 目标: 做到 GMV 500万 2026-12-01至2026-12-20")
    row = plan(db, "直播到家")
    assert row.goal == "做到 GMV 500万" and row.end_date == date(2026, 12, 20)


def test_an_unquoted_goal_runs_to_the_next_key(bot, db):
    bot.say("project new Brand goal:GMV 500万 buffer: 10% 2026-12-01..2026-12-20")
    row = plan(db, "Brand")
    assert (row.goal, row.buffer_pct) == ("GMV 500万", 10)
    assert row.end_date == date(2026, 12, 20)


# --- show / list --------------------------------------------------------------------------------


def test_show_sums_up_the_tasks_lights(bot):
    bot.say(DOUBLE11)
    bot.say("add Poster +双11大促 due:2026-11-20")  # overdue: red
    bot.say("add Copy +双11大促")  # no due date: green
    bot.say("add Video +双11大促")
    bot.say("done 3")
    reply = bot.reply("project show +双11大促")
    # one late task makes a plan yellow, not red (DESIGN.md), and the reply says so
    assert not reply.public and reply.light is not None and reply.light.value == "yellow"
    assert reply.lines[0].text == "light decided by 1 red task(s); KPIs and buffer on track"
    out = bot.say("project +双11大促")
    assert "  Tasks: 2 open · 1 done" in out.splitlines()
    assert "  Lights: 🔴 1 · 🟡 0 · 🟢 1" in out.splitlines()
    out = bot.say("项目 +双11大促")
    assert "  任务: 进行中 2 · 已完成 1" in out.splitlines()
    assert "  状态灯: 🔴 红 1 · 🟡 黄 0 · 🟢 绿 1" in out.splitlines()
    assert "  目标: 直播 GMV 500万" in bot.say("项目 查看 +双11大促").splitlines()


def test_show_a_tag_says_how_to_plan_it(bot):
    bot.say("add Poster +launch")
    out = bot.say("project show +launch")
    assert "+launch is a tag, not a plan yet" in out
    assert "  Tasks: 1 open · 0 done" in out.splitlines()


def test_list_shows_plans_first_then_tags_then_closed(bot):
    assert "No projects yet" in bot.say("project list")
    assert "还没有项目" in bot.say("项目列表")
    bot.say("add Poster +tagged")
    bot.say("project new Later 2027-01-05..2027-02-01")
    bot.say(DOUBLE11)
    bot.say("project new Old 2026-10-01..2026-10-31")
    bot.say("project close +Old")
    out = bot.say("project list").splitlines()
    assert out == [
        "Projects",
        "  🟢 +双11大促 · Sun Nov 1 – Thu Dec 10 (40 days) · owner @王芳",
        "  🟢 +Later · Tue Jan 5 2027 – Mon Feb 1 2027 (28 days) · owner @alice",
        "  +tagged · tag (not planned)",
        "  +Old · Thu Oct 1 – Sat Oct 31 (31 days) · owner @alice · closed",
    ]
    zh = bot.say("项目列表").splitlines()
    assert zh[0] == "项目列表"
    assert zh[1] == "  🟢 +双11大促 · 11月1日 周日 至 12月10日 周四（共 40 天） · 负责人 @王芳"
    assert zh[-1].endswith(" · 已关闭")
    assert bot.say("项目 列表") == bot.say("项目列表") == bot.say("项目")


# --- edit ---------------------------------------------------------------------------------------


def test_edit_changes_any_subset(bot, db):
    bot.say(DOUBLE11)
    reply = bot.reply("project edit +双11大促 end:12-15")
    assert not reply.error and reply.public
    row = plan(db, "双11大促")
    assert row.end_date == date(2026, 12, 15) and row.goal == "直播 GMV 500万"
    assert row.buffer_pct == 20 and row.start_date == date(2026, 11, 1)
    out = bot.say('project edit +双11大促 goal:"GMV 600万" buffer:25% @bob')
    assert out.splitlines()[0] == "🟢 Project +双11大促 updated"
    row = plan(db, "双11大促")
    assert (row.goal, row.buffer_pct, row.owner_id) == ("GMV 600万", 25, member(db, "bob").id)
    assert row.end_date == date(2026, 12, 15)
    bot.say("项目 编辑 +双11大促 缓冲:30%")
    assert plan(db, "双11大促").buffer_pct == 30
    bot.say("项目 修改 +双11大促 开始:2026-11-05")
    row = plan(db, "双11大促")
    assert (row.start_date, row.end_date, row.buffer_pct) == (
        date(2026, 11, 5),
        date(2026, 12, 15),
        30,
    )


def test_edit_refuses_an_end_before_the_start_and_writes_nothing(bot, db):
    bot.say(DOUBLE11)
    before = snapshot(db)
    out = bot.say("project edit +双11大促 end:2026-10-15")
    assert "The end 2026-10-15 is before the start 2026-11-01" in out
    assert snapshot(db) == before


def test_edit_a_tag_says_to_plan_it_first(bot, db):
    bot.say("add Poster +launch")
    before = snapshot(db)
    assert "+launch is a tag, not a plan yet" in bot.say("project edit +launch end:12-15")
    assert snapshot(db) == before


# --- close / reopen -----------------------------------------------------------------------------


def test_close_keeps_everything_and_reopen_undoes(bot, db):
    bot.say(DOUBLE11)
    bot.say("add Poster +双11大促 due:fri")
    reply = bot.reply("project close +双11大促")
    assert not reply.error and reply.public
    out = bot.say("project show +双11大促")
    assert "  Status: closed on Thu Nov 26" in out.splitlines()
    assert "  Tasks: 1 open · 0 done" in out.splitlines()
    row = plan(db, "双11大促")
    assert row.status == ProjectStatus.CLOSED and row.closed_at is not None
    assert row.goal == "直播 GMV 500万" and row.end_date == date(2026, 12, 10)
    assert "already closed" in bot.say("project close +双11大促")
    assert bot.say("project list").splitlines()[-1].endswith(" · closed")
    assert "已重新打开" in bot.say("项目 重开 +双11大促")
    row = plan(db, "双11大促")
    assert row.status == ProjectStatus.OPEN and row.closed_at is None
    assert "is not closed" in bot.say("project reopen +双11大促")
    assert "已关闭" in bot.say("项目 关闭 +双11大促")
    assert plan(db, "双11大促").status == ProjectStatus.CLOSED


# --- bad input: the message names the bad piece, nothing is written -----------------------------

BAD = [
    ("project new", "Which project? Give its name first"),
    ("项目 新建", "项目叫什么"),
    ("project new 2026-11-01..2026-12-10", "Which project? Give its name first"),
    ('project new goal:"GMV 500万"', "Which project? Give its name first"),
    ("project new 123", "“123” cannot be a project name"),
    ("project new x 2026-11-01..soon", "I couldn't read the date “soon”"),
    ("project new x 2026-13-01..2026-12-10", "I couldn't read the date “2026-13-01”"),
    ("project new x 2026-12-10..2026-11-01", "The end 2026-11-01 is before the start 2026-12-10"),
    ("项目 新建 x 2026-12-10至2026-11-01", "结束日期 2026-11-01 早于开始日期 2026-12-10"),
    ("project new x end:2026-11-01", "The end 2026-11-01 is before the start 2026-11-26"),
    ("project new x buffer:150%", "“150%” is not a buffer"),
    ("project new x buffer:abc", "“abc” is not a buffer"),
    ("project new x buffer: abc", "“abc” is not a buffer"),
    ("project new x buffer:", "“…” is not a buffer"),
    ("项目 新建 x 缓冲:abc", "“abc”不是有效的缓冲"),
    ("project new x soon", "I don't know what “soon” means here"),
    ("project new Spring launch", "I don't know what “launch” means here"),
    ('project new x goal:"GMV 500万', 'The quote in “"GMV 500万” is never closed'),
    ("project new x goal:", "The goal is empty"),
    ('project new x goal:""', "The goal is empty"),
    ("project new x goal: @bob", "The goal is empty"),
    ("project new x buffer:10% buffer:20%", "“buffer” is given twice"),
    ("project new x @bob @carol", "@bob, @carol"),
    ("project frobnicate", "“frobnicate” is not a project command"),
    ("项目 删除 +x", "“删除”不是项目指令"),
    ("project show", "Which project? E.g. `project show +双11大促`"),
    ("project show +nope", "There is no project +nope"),
    ("项目 +nope", "没有项目 +nope"),
    ("project edit +nope end:12-15", "There is no project +nope"),
    ("project edit +双11大促", "Edit what of +双11大促?"),
    ("project edit +双11大促 end:someday", "I couldn't read the date “someday”"),
    ("project edit +双11大促 buffer:95%", "“95%” is not a buffer"),
    ("project close +nope", "There is no project +nope"),
    ("项目 关闭 +nope", "没有项目 +nope"),
    ("project reopen +nope", "There is no project +nope"),
    ("project close", "Which project? E.g. `project close +双11大促`"),
    ("project list extra", "I don't know what “extra” means here"),
    ("project show +双11大促 extra", "I don't know what “extra” means here"),
]


def test_bad_input_names_the_bad_piece_and_writes_nothing(bot, db):
    bot.say(DOUBLE11)
    before = snapshot(db)
    for line, expected in BAD:
        reply = bot.reply(line)
        assert reply.error, line
        out = bot.say(line)
        assert expected in out, (line, out)
    assert snapshot(db) == before
