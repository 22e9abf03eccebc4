"""Phases of a plan (issue 12): `phase add|edit|remove|list` and `阶段 添加|编辑|删除|列表`, a
task's phase (`phase:` on add, `task 12 phase:…`), what `project show` says of each phase, the
phase light as a pure function of the day, bad input (a message naming the bad piece, nothing
written) and who may do what. Today is pinned to Thursday 2026-11-26 (tests/conftest.py NOW)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from handlers.messages import t
from handlers.pace import Span
from handlers.phases import PhaseTally, phase_light
from handlers.reply import Light
from storage.models import Kpi, KpiSplit, Phase, Project, TaskEvent
from tests.conftest import NOW, member, snapshot, task

PLAN = 'project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" @王芳'
WARM = 'phase add +双11大促 预热期 11-01..11-15 @张三 deliverable:"预热素材全部上线"'
BURST = "阶段 添加 +双11大促 爆发期 11月16日至11月30日 @李四 交付物:“直播 GMV 400万”"
TAIL = "phase add +双11大促 长尾期 12-01..12-10"


def phases(db, project: str = "双11大促") -> dict[str, Phase]:
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == project)).one()
        return {p.name: p for p in s.exec(select(Phase).where(Phase.project_id == plan.id))}


def events(db, number: int, field: str = "phase") -> list[tuple[str | None, str | None]]:
    with Session(db.engine) as s:
        row = task(db, number)
        found = s.exec(
            select(TaskEvent)
            .where(TaskEvent.task_id == row.id, TaskEvent.field == field)
            .order_by(TaskEvent.id)  # type: ignore[arg-type]
        )
        return [(e.old, e.new) for e in found]


@pytest.fixture
def planned(bot):
    """The Double-11 plan with its three phases, said by alice (an admin)."""
    for line in (PLAN, WARM, BURST, TAIL):
        reply = bot.reply(line)
        assert not reply.error, (line, reply.lines)
    return bot


# --- the phase light, a pure function of the day --------------------------------------------------

NOV = Span(date(2026, 11, 1), date(2026, 11, 10))  # ten days


@pytest.mark.parametrize(
    ("span", "tally", "today", "light", "reason"),
    [
        # nothing to judge: no tasks (cancelled ones do not count)
        (NOV, PhaseTally(), date(2026, 11, 5), None, "phase_why_no_tasks"),
        # before its start, nothing due: no light yet
        (NOV, PhaseTally(total=3, green=3), date(2026, 10, 31), None, "phase_why_not_started"),
        # before its start, but a task in it is already due (and late): judged
        (NOV, PhaseTally(total=1, red=1, due=1), date(2026, 10, 31), Light.RED, "phase_why_red"),
        (
            NOV,
            PhaseTally(total=1, green=1, due=1),
            date(2026, 10, 31),
            Light.GREEN,
            "phase_why_green",
        ),
        # a red task (say, blocked) before the start is said at once
        (NOV, PhaseTally(total=1, red=1), date(2026, 10, 31), Light.RED, "phase_why_red"),
        # its first day: nothing is expected yet
        (NOV, PhaseTally(total=4, green=4), date(2026, 11, 1), Light.GREEN, "phase_why_green"),
        # day 6 of 10: 50% expected; 25% done is exactly 25 points behind: still green
        (
            NOV,
            PhaseTally(total=4, done=1, green=3),
            date(2026, 11, 6),
            Light.GREEN,
            "phase_why_green",
        ),
        # 3 of 13 done (23.1%) is 26.9 points behind: yellow
        (
            NOV,
            PhaseTally(total=13, done=3, green=10),
            date(2026, 11, 6),
            Light.YELLOW,
            "phase_why_behind",
        ),
        # a yellow task
        (
            NOV,
            PhaseTally(total=2, done=2 - 1, yellow=1),
            date(2026, 11, 2),
            Light.YELLOW,
            "phase_why_yellow",
        ),
        # a red task outranks being behind
        (NOV, PhaseTally(total=4, red=1, green=3), date(2026, 11, 9), Light.RED, "phase_why_red"),
        # its last day, all done: green; the day after, one open: red
        (NOV, PhaseTally(total=2, done=2), date(2026, 11, 10), Light.GREEN, "phase_why_green"),
        (
            NOV,
            PhaseTally(total=2, done=1, green=1),
            date(2026, 11, 11),
            Light.RED,
            "phase_why_over",
        ),
        (NOV, PhaseTally(total=2, done=2), date(2027, 1, 1), Light.GREEN, "phase_why_green"),
        # undated: only its tasks' lights say anything
        (None, PhaseTally(total=2, green=2), date(2026, 11, 6), Light.GREEN, "phase_why_green"),
        (
            None,
            PhaseTally(total=2, yellow=1, green=1),
            date(2026, 11, 6),
            Light.YELLOW,
            "phase_why_yellow",
        ),
        # across a year end: Dec 27 – Jan 5, on Jan 1 five of ten days are over (50%)
        (
            Span(date(2026, 12, 27), date(2027, 1, 5)),
            PhaseTally(total=4, done=1, green=3),
            date(2027, 1, 1),
            Light.GREEN,
            "phase_why_green",
        ),
        (
            Span(date(2026, 12, 27), date(2027, 1, 5)),
            PhaseTally(total=5, done=1, green=4),
            date(2027, 1, 1),
            Light.YELLOW,
            "phase_why_behind",
        ),
    ],
)
def test_phase_light(span, tally, today, light, reason):
    verdict = phase_light(span, tally, today)
    assert (verdict.light, verdict.reason) == (light, reason)


def test_the_behind_threshold_is_the_tasks_setting():
    tally = PhaseTally(total=4, done=1, green=3)  # 25% done where 50% is expected
    assert phase_light(NOV, tally, date(2026, 11, 6), behind=20).light == Light.YELLOW
    assert phase_light(NOV, tally, date(2026, 11, 6), behind=25).light == Light.GREEN


def test_behind_says_how_far():
    verdict = phase_light(NOV, PhaseTally(total=13, done=3, green=10), date(2026, 11, 6))
    assert dict(verdict.params) == {"done": 23, "expected": 50}


# --- phase add / 阶段 添加 ------------------------------------------------------------------


def test_add_phases_in_english_and_chinese_and_their_rows(planned, db):
    rows = phases(db)
    assert set(rows) == {"预热期", "爆发期", "长尾期"}
    warm, burst, tail = rows["预热期"], rows["爆发期"], rows["长尾期"]
    # year-less dates that have passed are read in the running plan's year, not next year's
    assert (warm.start_date, warm.end_date) == (date(2026, 11, 1), date(2026, 11, 15))
    assert (burst.start_date, burst.end_date) == (date(2026, 11, 16), date(2026, 11, 30))
    assert (tail.start_date, tail.end_date) == (date(2026, 12, 1), date(2026, 12, 10))
    assert warm.owner_id == member(db, "张三").id and burst.owner_id == member(db, "李四").id
    assert tail.owner_id == member(db, "alice").id  # the speaker, unless someone is named
    assert warm.deliverable == "预热素材全部上线" and burst.deliverable == "直播 GMV 400万"
    assert tail.deliverable is None
    assert warm.key == "预热期"


def test_add_answers_with_the_phase_to_the_channel(bot):
    bot.say(PLAN)
    reply = bot.reply(WARM)
    assert not reply.error and reply.public
    out = bot.say('phase add +双11大促 Burst 2026-11-16..2026-11-30 deliverable:"live shows"')
    assert out.splitlines()[:2] == [
        "Phase Burst added to +双11大促",
        "  Burst ▶ now · Mon Nov 16 – Mon Nov 30 (15 days) · owner @alice"
        " · deliverable: live shows · no tasks yet",
    ]
    out = bot.say("阶段 添加 +双11大促 长尾期 12-01..12-10 @王芳")
    assert out.splitlines()[:2] == [
        "已为 +双11大促 添加阶段 长尾期",
        "  长尾期 · 12月1日 周二 至 12月10日 周四（共 10 天） · 负责人 @王芳 · 还没有任务",
    ]


def test_a_phase_outside_the_plan_or_overlapping_gets_a_note_not_a_refusal(planned, db):
    out = planned.say("phase add +双11大促 返场 12-05..12-20")
    assert "Phase 返场 added" in out
    assert (
        "Note: 返场 runs outside the dates of +双11大促 (Sun Nov 1 – Thu Dec 10 (40 days))" in out
    )
    assert "Note: 返场 overlaps 长尾期; phases may overlap" in out
    assert phases(db)["返场"].end_date == date(2026, 12, 20)
    out = planned.say("阶段 添加 +双11大促 彩排 11-10..11-12")
    assert "注意：彩排 与 预热期 时间重叠" in out
    assert "超出" not in out


def test_a_yearless_date_outside_a_plan_is_next_years_with_a_note(bot, db):
    bot.say("project new Later 2027-11-01..2027-11-30")
    out = bot.say("phase add +Later Warm 11-01..11-10")
    assert "Note: 2026-11-01 has already passed and is outside the plan's dates" in out
    assert "read as 2027-11-01" in out and "read as 2027-11-10" in out
    row = phases(db, "Later")["Warm"]
    assert (row.start_date, row.end_date) == (date(2027, 11, 1), date(2027, 11, 10))
    # a passed start with an end still ahead this year stays this year's (as a plan's range)
    bot.say("project new Open")
    bot.say("phase add +Open Now 11-20..12-05")
    row = phases(db, "Open")["Now"]
    assert (row.start_date, row.end_date) == (date(2026, 11, 20), date(2026, 12, 5))


def test_an_undated_phase_and_start_end_keys(bot, db):
    bot.say(PLAN)
    bot.say("phase add +双11大促 Later")
    bot.say("阶段 添加 +双11大促 收尾 开始: 2026-12-05 结束: 2026-12-10")
    rows = phases(db)
    assert (rows["Later"].start_date, rows["Later"].end_date) == (None, None)
    assert (rows["收尾"].start_date, rows["收尾"].end_date) == (
        date(2026, 12, 5),
        date(2026, 12, 10),
    )
    assert "Later · no dates yet" in bot.say("phase +双11大促")


# --- project show lists the phases ---------------------------------------------------------------


def test_project_show_lists_each_phase_with_progress_and_light(planned, db):
    planned.say("add Poster +双11大促 phase:预热期 due:2026-11-10")
    planned.say("add Teaser +双11大促 phase:预热期 due:2026-11-12")
    planned.say("done 1")  # the warm-up ended on the 15th with #2 still open: red
    planned.say("add Live +双11大促 阶段:爆发期 due:2026-11-28")
    planned.say("add Hosts +双11大促 阶段:爆发期")
    planned.say("add Cancelled +双11大促 phase:爆发期")
    planned.say("cancel 5")  # cancelled: not counted
    out = planned.say("project show +双11大促").splitlines()
    at = out.index("  Phases (3):")
    assert out[at + 1 : at + 4] == [
        "  🔴 预热期 · Sun Nov 1 – Sun Nov 15 (15 days) · owner @张三"
        " · deliverable: 预热素材全部上线 · 1/2 done (50%) · 🔴 1 🟡 0 🟢 0"
        " — ended Sun Nov 15 with 1 task(s) still open",
        # day 11 of 15: 10 of 15 days over (67% expected), nothing done: behind
        "  🟡 爆发期 ▶ now · Mon Nov 16 – Mon Nov 30 (15 days) · owner @李四"
        " · deliverable: 直播 GMV 400万 · 0/2 done (0%) · 🔴 0 🟡 0 🟢 2"
        " — 0% done where 67% was expected by now",
        "  长尾期 · Tue Dec 1 – Thu Dec 10 (10 days) · owner @alice · no tasks yet",
    ]
    zh = planned.say("项目 +双11大促").splitlines()
    at = zh.index("  阶段（3 个）：")
    assert zh[at + 2] == (
        "  🟡 爆发期 ▶ 进行中 · 11月16日 周一 至 11月30日 周一（共 15 天） · 负责人 @李四"
        " · 交付物：直播 GMV 400万 · 已完成 0/2（0%） · 🔴 0 🟡 0 🟢 2"
        " — 已完成 0%，按时间此时应完成 67%"
    )


def test_a_phase_not_started_with_tasks_says_when_it_starts(planned):
    planned.say("add Wrap-up +双11大促 phase:长尾期 due:2026-12-08")
    out = planned.say("phase +双11大促").splitlines()
    assert out[0] == "Phases of +双11大促"  # no phase has a light yet
    assert (
        "  长尾期 · Tue Dec 1 – Thu Dec 10 (10 days) · owner @alice"
        " · 0/1 done (0%) · 🔴 0 🟡 0 🟢 1 — starts Tue Dec 1"
    ) in out


def test_phase_list_and_a_plan_without_phases(bot):
    bot.say(PLAN)
    out = bot.say("phase list +双11大促")
    assert out.splitlines() == [
        "Phases of +双11大促",
        "  +双11大促 has no phases yet:"
        " `phase add +双11大促 预热期 11-01..11-15 @owner` plans one.",
    ]
    assert "Phases" not in bot.say("project show +双11大促")
    bot.say(WARM)
    assert bot.say("阶段 +双11大促").splitlines()[0] == "+双11大促 的阶段"


# --- a task's phase ------------------------------------------------------------------------------


def test_a_task_joins_a_phase_on_add(planned, db):
    out = planned.say("add Poster +双11大促 phase:预热期 due:2026-11-10")
    assert "#1 is in phase 预热期." in out
    out = planned.say("新建 直播脚本 +双11大促 阶段:爆发期 周五前")
    assert "#2 属于阶段 爆发期。" in out
    rows = phases(db)
    assert task(db, 1).phase_id == rows["预热期"].id and task(db, 1).title == "Poster"
    assert task(db, 2).phase_id == rows["爆发期"].id and task(db, 2).title == "直播脚本"
    # the phase's name in another case finds it
    planned.say("phase add +双11大促 Warm-up 2026-11-01..2026-11-03")
    planned.say("add Copy +双11大促 phase:WARM-UP")
    assert task(db, 3).phase_id == phases(db)["Warm-up"].id
    assert "  Phase: 预热期" in planned.say("show 1").splitlines()
    assert "  阶段: 爆发期" in planned.say("查看 2").splitlines()


def test_an_unknown_phase_lists_the_plans_phases_and_writes_nothing(planned, db):
    before = snapshot(db)
    out = planned.say("add Poster +双11大促 phase:预热")
    assert "+双11大促 has no phase “预热”. Its phases: 预热期, 爆发期, 长尾期." in out
    assert "+双11大促 没有阶段“预热”" in planned.say("新建 海报 +双11大促 阶段:预热")
    planned.say("project new Empty 2026-12-01..2026-12-20")
    before = snapshot(db)
    out = planned.say("add Poster +Empty phase:预热期")
    assert "+Empty has no phases yet, so not “预热期”" in out
    assert snapshot(db) == before


def test_task_sets_and_clears_a_phase_with_history(planned, db):
    planned.say("add Live +双11大促")
    reply = planned.reply("task 1 phase:爆发期")
    assert not reply.error and reply.public
    assert reply.title == "Updated #1"
    assert task(db, 1).phase_id == phases(db)["爆发期"].id
    out = planned.say("任务 1 阶段:长尾期")
    assert "#1 现属于阶段 长尾期。" in out
    out = planned.say("task 1 phase:none")
    assert "#1 has left phase 长尾期; it is in no phase now." in out
    assert task(db, 1).phase_id is None
    assert events(db, 1) == [(None, "爆发期"), ("爆发期", "长尾期"), ("长尾期", None)]
    history = planned.say("show 1")
    assert "@alice: Phase — → 爆发期" in history and "@alice: Phase 长尾期 → —" in history
    before = snapshot(db)
    assert "#1 is already so: nothing changed." in planned.say("task 1 phase:none")
    assert snapshot(db) == before


def test_task_puts_a_task_in_a_plan_and_a_phase_at_once(planned, db):
    planned.say("add Poster")
    out = planned.say("task 1 +双11大促 phase:预热期")
    assert "#1 is in +双11大促 now." in out and "#1 is in phase 预热期 now." in out
    row = task(db, 1)
    assert row.phase_id == phases(db)["预热期"].id and row.project_id is not None
    # moving to another project leaves the phase behind
    out = planned.say("task 1 +other")
    assert "New project +other created." in out and "#1 has left phase 预热期" in out
    assert task(db, 1).phase_id is None
    assert events(db, 1) == [(None, "预热期"), ("预热期", None)]


# --- phase edit -----------------------------------------------------------------------------------


def test_edit_changes_dates_owner_deliverable_and_name(planned, db):
    reply = planned.reply("phase edit +双11大促 预热期 end:11-16 @李四")
    assert not reply.error and reply.public
    row = phases(db)["预热期"]
    assert row.end_date == date(2026, 11, 16) and row.start_date == date(2026, 11, 1)
    assert row.owner_id == member(db, "李四").id
    assert "Note: 预热期 overlaps 爆发期" in planned.say("phase edit +双11大促 预热期 end:11-16")
    out = planned.say("阶段 编辑 +双11大促 预热期 名称:蓄水期 交付物:无")
    assert out.splitlines()[0] == "+双11大促 的阶段 蓄水期 已更新"
    assert "已由 预热期 改名为 蓄水期。" in out
    rows = phases(db)
    assert "预热期" not in rows and rows["蓄水期"].deliverable is None
    assert rows["蓄水期"].key == "蓄水期" and rows["蓄水期"].id == row.id
    planned.say("add Poster +双11大促 phase:蓄水期")
    assert task(db, 1).phase_id == row.id


def test_edit_refuses_a_name_taken_or_an_end_before_the_start_and_writes_nothing(planned, db):
    before = snapshot(db)
    out = planned.say("phase edit +双11大促 预热期 name:爆发期")
    assert "+双11大促 already has a phase 爆发期" in out
    out = planned.say("phase edit +双11大促 预热期 end:2026-10-20")
    assert "The end 2026-10-20 is before the start 2026-11-01" in out
    out = planned.say("phase edit +双11大促 预热 end:11-16")
    assert "+双11大促 has no phase “预热”. Its phases: 预热期, 爆发期, 长尾期." in out
    assert snapshot(db) == before


# --- phase remove ---------------------------------------------------------------------------------


def test_remove_keeps_the_tasks_and_clears_their_phase(planned, db):
    planned.say("add Poster +双11大促 phase:预热期")
    planned.say("add Teaser +双11大促 phase:预热期")
    planned.say("done 2")
    reply = planned.reply("phase remove +双11大促 预热期")
    assert not reply.error and reply.public
    assert reply.title == "Phase 预热期 removed from +双11大促"
    assert "Its 2 task(s) stay in the plan, now without a phase" in reply.lines[0].text
    assert "预热期" not in phases(db)
    for number in (1, 2):
        row = task(db, number)
        assert row.phase_id is None and row.project_id is not None
        assert events(db, number) == [("预热期", None)]
    assert task(db, 2).status == "done"
    assert "已从 +双11大促 删除阶段 爆发期" in planned.say("阶段 删除 +双11大促 爆发期")


def test_remove_refuses_a_phase_a_kpi_uses_and_names_the_kpi(planned, db):
    """Dropping a phase a KPI is measured in, or planned by, would silently change that KPI's
    pace: the refusal names the KPIs, and nothing is written."""
    rows = phases(db)
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == "双11大促")).one()
        gmv = Kpi(
            project_id=plan.id,
            name="GMV",
            key="gmv",
            label="电商",
            target=5_000_000,
            created_at=NOW,
            updated_at=NOW,
        )
        reach = Kpi(
            project_id=plan.id,
            name="社群触达",
            key="社群触达",
            target=100_000,
            phase_id=rows["长尾期"].id,
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(gmv)
        s.add(reach)
        s.flush()
        s.add(KpiSplit(kpi_id=gmv.id, phase_id=rows["爆发期"].id, amount=4_000_000))
        s.commit()
    before = snapshot(db)
    out = planned.say("phase remove +双11大促 爆发期")
    assert (
        "爆发期 of +双11大促 is not removed: KPI GMV 电商 is measured in it or planned by it" in out
    )
    out = planned.say("阶段 删除 +双11大促 长尾期")
    assert "未删除 +双11大促 的 长尾期：指标 社群触达 按这个阶段计量或分解" in out
    assert snapshot(db) == before
    assert not planned.reply("phase remove +双11大促 预热期").error  # no KPI uses it


# --- bad input with a plan: a message naming the bad piece, nothing written -----------------------

BAD = [
    (WARM, "+双11大促 already has a phase 预热期"),
    ("phase add +双11大促 爆发期 12-01..12-05", "+双11大促 already has a phase 爆发期"),
    ("phase add +双11大促 x 12-01..12-05 @a @b", "@a, @b"),
    ("phase edit +双11大促 nope end:12-01", "+双11大促 has no phase “nope”"),
    ("phase remove +双11大促 nope", "+双11大促 has no phase “nope”"),
    ("阶段 删除 +双11大促 不存在", "+双11大促 没有阶段“不存在”"),
    ("phase edit +双11大促 预热期 name:none", "“none” cannot be a phase name"),
    ("phase add +双11大促 two words 12-01..12-05", "I don't know what “words” means here"),
    ("phase add +双11大促 x start:someday", "I couldn't read the date “someday”"),
    ("task 1 phase:nope", "+双11大促 has no phase “nope”"),
    ("任务 1 阶段:无 阶段:无", "“阶段:”写了两次"),
    ("add Poster +双11大促 phase:", "“…” cannot be a phase name"),
]


def test_bad_input_with_a_plan_names_the_bad_piece_and_writes_nothing(planned, db):
    planned.say("add Live +双11大促")
    before = snapshot(db)
    for line, expected in BAD:
        reply = planned.reply(line)
        assert reply.error, line
        assert expected in planned.say(line), (line, planned.say(line))
    assert snapshot(db) == before


# --- who may do what ------------------------------------------------------------------------------


@pytest.fixture
def team(planned, make_bot):
    """mia a manager, vic a viewer, dana and bob members; #1 in +双11大促 created by dana for
    bob. Each has spoken (their member rows exist)."""
    planned.say("role @mia manager")
    planned.say("role @vic viewer")
    people = {"admin": planned}
    for role, name in (
        ("manager", "mia"),
        ("viewer", "vic"),
        ("creator", "dana"),
        ("owner", "bob"),
        ("other", "carol"),
    ):
        people[role] = make_bot(user=name)
        people[role].say("list")
    assert "Added #1" in people["creator"].say("add Live script +双11大促 @bob")
    return people


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("manager", True), ("creator", False), ("owner", False), ("viewer", False)],
)
def test_only_managers_and_admins_plan_phases(db, team, role, allowed):
    speaker = team[role]
    for line in (
        "phase add +双11大促 返场 12-01..12-05",
        "阶段 编辑 +双11大促 预热期 结束:11-14",
        "phase remove +双11大促 长尾期",
    ):
        before = snapshot(db)
        out = speaker.say(line)
        if allowed:
            assert not out.startswith("⚠️"), (line, out)
            assert snapshot(db) != before
        else:
            lang = "zh" if line.startswith("阶段") else "en"
            verb = "阶段" if lang == "zh" else "phase"
            key = "viewer_not_allowed" if role == "viewer" else "plan_not_allowed"
            assert t(lang, key, verb=verb) in out
            assert snapshot(db) == before
    # everyone reads them
    assert not speaker.say("phase +双11大促").startswith("⚠️")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("manager", True),
        ("creator", True),
        ("owner", True),
        ("other", False),
        ("viewer", False),
    ],
)
def test_a_tasks_phase_is_changed_as_the_task_is(db, team, role, allowed):
    before = snapshot(db)
    out = team[role].say("task 1 phase:爆发期")
    if allowed:
        assert "#1 is in phase 爆发期 now." in out
        assert task(db, 1).phase_id == phases(db)["爆发期"].id
    else:
        key = "viewer_not_allowed" if role == "viewer" else "not_allowed"
        assert t("en", key, verb="task", task=1) in out
        assert snapshot(db) == before
