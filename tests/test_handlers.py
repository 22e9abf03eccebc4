"""Every verb through the console bot: what the user reads, the rows it leaves, and the events
each change writes (field, old, new, actor, note) in the same transaction."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from handlers import CoreConfig
from handlers.verbs import VERBS
from storage import queries
from storage.models import Blocker, Channel, Member, Project, Task, TaskEvent, Workspace
from tests.conftest import NOW, count, member, snapshot, task, task_in

TODAY = date(2026, 11, 26)  # Thursday in Shanghai at NOW


# --- helpers: read what the bot left in the database --------------------------------------------


def numbers_in(db, workspace: str) -> list[int]:
    with Session(db.engine) as s:
        rows = s.exec(
            select(Task.number)
            .join(Workspace, Task.workspace_id == Workspace.id)
            .where(Workspace.external_id == workspace)
            .order_by(Task.number)
        )
        return list(rows)


def mid(db, external_id: str) -> str:
    """A member's id as an assignee event stores it."""
    return str(member(db, external_id).id)


def events(db, number: int, workspace: str = "console") -> list[tuple]:
    """(field, old, new, actor, note) of each event of a task, oldest first."""
    with Session(db.engine) as s:
        t = task_in(s, number, workspace)
        rows = s.exec(
            select(TaskEvent, Member)
            .join(Member, TaskEvent.actor_id == Member.id)
            .where(TaskEvent.task_id == t.id)
            .order_by(TaskEvent.id)
        ).all()
        return [(e.field, e.old, e.new, m.display_name, e.note) for e, m in rows]


def new_events(db, number: int, before: int) -> list[tuple]:
    return events(db, number)[before:]


def blockers(db, number: int) -> list[Blocker]:
    with Session(db.engine) as s:
        t = task_in(s, number, "console")
        return list(s.exec(select(Blocker).where(Blocker.task_id == t.id).order_by(Blocker.id)))


def channel(db, external_id: str = "general") -> Channel:
    with Session(db.engine) as s:
        return s.exec(select(Channel).where(Channel.external_id == external_id)).one()


def listed(out: str) -> list[int]:
    """Task numbers in the order a `list` reply shows them."""
    return [int(n) for n in re.findall(r"^  (?:[🔴🟡🟢] )?#(\d+) ", out, re.MULTILINE)]


def is_error(out: str) -> bool:
    return out.startswith("⚠️")


def refused(bot, db, text: str) -> str:
    """Say something that must fail, and check it changed nothing at all."""
    before = snapshot(db)
    out = bot.say(text)
    assert is_error(out), out
    assert snapshot(db) == before
    return out


# --- add ------------------------------------------------------------------------------------------


def test_add_creates_the_task_row_and_its_created_event(bot, db):
    out = bot.say("add Write warm-up copy @bob due:fri +double11")
    assert out.splitlines()[0] == "🟢 Added #1"  # added today, due tomorrow: not at risk
    assert "#1 Write warm-up copy · @bob · Due Fri Nov 27 · +double11" in out
    assert "@bob is new here" in out
    assert "New project +double11 created." in out

    t = task(db, 1)
    assert t.title == "Write warm-up copy"
    assert t.assignee_id == member(db, "bob").id
    assert t.creator_id == member(db, "alice").id
    assert t.channel_id == channel(db).id
    assert t.due_date == date(2026, 11, 27)
    assert t.start_date is None
    assert (t.status, t.progress, t.closed_at) == ("todo", 0, None)
    assert t.created_at == NOW and t.updated_at == NOW
    with Session(db.engine) as s:
        project = s.exec(select(Project)).one()
    assert (project.name, project.key, t.project_id) == ("double11", "double11", project.id)
    assert events(db, 1) == [("created", None, "Write warm-up copy", "alice", None)]


def test_add_without_an_owner_gives_it_to_the_speaker(bot, db):
    out = bot.say("add Plan Q1")
    assert "#1 Plan Q1 · @alice" in out
    assert "is new here" not in out
    t = task(db, 1)
    assert t.assignee_id == t.creator_id == member(db, "alice").id
    assert (t.due_date, t.project_id) == (None, None)


def test_add_to_me_and_to_a_known_member(bot, db, make_bot):
    make_bot(user="bob").say("list")
    assert "#1 Plan · @alice" in bot.say("add Plan @me")
    out = bot.say("add Review @Bob")
    assert "#2 Review · @bob" in out and "is new here" not in out
    assert task(db, 2).assignee_id == member(db, "bob").id
    assert count(db, "member") == 2


def test_task_numbers_go_up_per_workspace(bot, db, make_bot):
    assert "#1" in bot.say("add one")
    assert "#2" in bot.say("add two")
    assert "#3" in bot.say("add three")
    other = make_bot(user="zoe", workspace="other")
    assert other.say("add elsewhere").splitlines()[0].endswith("Added #1")
    assert "#4" in bot.say("add four")
    assert "#2" in other.say("add elsewhere too")
    assert numbers_in(db, "console") == [1, 2, 3, 4]
    assert numbers_in(db, "other") == [1, 2]
    assert task(db, 1, "other").title == "elsewhere"


def test_a_refused_add_does_not_use_up_a_number(bot, db):
    bot.say("add one")
    refused(bot, db, "add @bob due:fri")
    assert "#2" in bot.say("add two")


def test_a_project_is_created_on_first_use_and_reused_ignoring_case(bot, db):
    assert "New project +Double11 created." in bot.say("add Banner +Double11")
    out = bot.say("add Copy +double11")
    assert "New project" not in out
    assert "+Double11" in out  # the name as first written
    assert "New project" not in bot.say("add Video +DOUBLE11")
    assert count(db, "project") == 1
    assert task(db, 1).project_id == task(db, 2).project_id == task(db, 3).project_id


def test_add_with_start_and_due_dates(bot, db):
    out = bot.say("add Shoot video start:2026-11-30 due:2026-12-04")
    assert "#1 Shoot video · @alice · Due Fri Dec 4" in out
    t = task(db, 1)
    assert (t.start_date, t.due_date) == (date(2026, 11, 30), date(2026, 12, 4))
    assert "  Start: Mon Nov 30" in bot.say("show 1").splitlines()


def test_add_understands_natural_dates(bot, db):
    bot.say("add Call the printer by tomorrow")
    bot.say("add Send invoices in 3 days")
    assert (task(db, 1).title, task(db, 1).due_date) == ("Call the printer", date(2026, 11, 27))
    assert (task(db, 2).title, task(db, 2).due_date) == ("Send invoices", date(2026, 11, 29))


def test_add_with_a_past_due_date_warns(bot, db):
    out = bot.say("add Late thing due:2026-11-20")
    assert "Note: that date is already past, so the task shows as overdue." in out
    assert task(db, 1).due_date == date(2026, 11, 20)
    assert "overdue by 6 days" in out


def test_add_start_after_due_is_refused(bot, db):
    out = refused(bot, db, "add Shoot video start:2026-12-10 due:2026-12-04")
    assert "after the due date" in out


def test_add_without_a_title_is_refused_and_says_what_to_write(bot, db):
    out = refused(bot, db, "add @bob due:fri +double11")
    assert "A new task needs a title, e.g. `add Write warm-up copy" in out


def test_add_with_two_owners_is_refused(bot, db):
    assert "@bob, @carol" in refused(bot, db, "add Plan @bob @carol")


def test_add_in_chinese(bot, db):
    out = bot.say("新建 写预热文案 @张三 周五前 +双11")
    assert "#1 写预热文案 · @张三 · 截止 11月27日 周五 · +双11" in out  # asked in Chinese
    t = task(db, 1)
    assert t.title == "写预热文案"
    assert t.due_date == date(2026, 11, 27)
    assert t.assignee_id == member(db, "张三").id
    assert "已创建新项目 +双11。" in out


TITLES = [
    "🚀 Launch day 🎉",
    "写预热文案（第二版）",
    "Say \"hi\" to 'them'",
    "'); DROP TABLE task;--",
    "Robert'); DELETE FROM member WHERE '1'='1",
    "100% of the 50% off banner, isn't it?",
    "C:\\temp\\copy.docx & <b>bold</b> %s {0} $(whoami)",
    "混合 mixed 标题 with ümlauts",
]


@pytest.mark.parametrize("title", TITLES)
def test_a_title_keeps_its_exact_text(bot, db, title):
    out = bot.say(f"add {title}")
    assert f"#1 {title} · @alice" in out
    assert task(db, 1).title == title
    assert bot.say("show 1").splitlines()[0].endswith(f"#1 {title}")
    assert events(db, 1) == [("created", None, title, "alice", None)]
    assert count(db, "task") == 1 and count(db, "member") == 1


def test_a_task_reference_in_a_title_is_not_a_date(bot, db):
    bot.say("add Follow up on #12")
    t = task(db, 1)
    assert t.title == "Follow up on #12"
    assert t.due_date is None


# --- list ---------------------------------------------------------------------------------------


@pytest.fixture
def seeded(bot, make_bot):
    """#1 overdue (alice), #2 due today (alice), #3 green (bob, +double11), #4 blocked (bob),
    #5 done, #6 cancelled."""
    bot.say("add Fix landing page due:2026-11-20")
    bot.say("add Ship banner due:today")
    bot.say("add Draft newsletter @bob +double11 due:2026-12-20")
    bot.say("add Book venue @bob")
    bot.say("block 4 waiting for a quote cause:external")
    bot.say("add Old report")
    bot.say("done 5")
    bot.say("add Dropped idea")
    bot.say("cancel 6")
    return bot


def test_list_shows_open_tasks_red_then_yellow_then_green(seeded):
    out = seeded.say("list")
    assert out.splitlines()[0] == "🔴 Tasks in this channel"
    assert listed(out) == [1, 4, 2, 3]
    # #2 was added today, due today: a short task, judged by its date (green until it passes)
    assert "  Total 4 · 🔴 2 · 🟡 0 · 🟢 2" in out.splitlines()
    assert "Old report" not in out and "Dropped idea" not in out


LIST_FILTERS = {
    "mine": ("My tasks", [1, 2]),
    "overdue": ("Overdue", [1]),
    "blocked": ("Blocked", [4]),
    "today": ("Due today", [2]),
    "done": ("Done", [5]),
    "all": ("All tasks", [1, 4, 2, 3, 5, 6]),
    "@bob": ("Tasks in this channel · owner @bob", [4, 3]),
    "+double11": ("Tasks in this channel · project +double11", [3]),
    "+DOUBLE11": ("Tasks in this channel · project +double11", [3]),
    "mine +double11": ("My tasks · project +double11", []),
    "@bob +double11": ("Tasks in this channel · owner @bob · project +double11", [3]),
    "blocked @bob": ("Blocked · owner @bob", [4]),
}


def test_list_filters(seeded):
    for words, (title, numbers) in LIST_FILTERS.items():
        out = seeded.say(f"list {words}")
        assert re.sub(r"^[🔴🟡🟢] ", "", out.splitlines()[0]) == title, words
        assert listed(out) == numbers, (words, out)


ZH_FILTERS = {
    "我的": ("我的任务", [1, 2]),
    "逾期": ("逾期任务", [1]),
    "阻塞": ("阻塞任务", [4]),
    "今天": ("今天截止", [2]),
    "已完成": ("已完成", [5]),
    "全部": ("全部任务", [1, 4, 2, 3, 5, 6]),
    "@bob": ("本频道任务 · 负责人 @bob", [4, 3]),
    "+double11": ("本频道任务 · 项目 +double11", [3]),
}


def test_list_filters_in_chinese(seeded):
    seeded.say("设置 语言 中文")
    for words, (title, numbers) in ZH_FILTERS.items():
        out = seeded.say(f"列表 {words}")
        assert re.sub(r"^[🔴🟡🟢] ", "", out.splitlines()[0]) == title, words
        assert listed(out) == numbers, (words, out)


def test_chinese_filter_words_work_in_an_english_channel(seeded):
    assert listed(seeded.say("list 逾期")) == [1]
    assert listed(seeded.say("列表 overdue")) == [1]


def test_list_counts_line_in_chinese(seeded):
    seeded.say("settings lang zh")
    assert "  共 4 项 · 🔴 2 · 🟡 0 · 🟢 2" in seeded.say("列表").splitlines()


def test_list_when_nothing_matches(bot):
    out = bot.say("list")
    assert out == (
        "Tasks in this channel\n  Nothing here. Add a task: `add Write copy @alice due:fri`.\n"
        "  This channel reads dates in Asia/Shanghai (it is 10:00 here now); change it with"
        " `settings tz <zone>`. I answer in the language you write in until `settings lang en`"
        " or `settings lang zh` fixes one."
    )  # a new channel's first answer says its zone
    bot.say("settings lang zh")
    assert "这里还没有任务" in bot.say("列表")


def test_list_an_unknown_project_says_how_projects_start(bot, db):
    out = refused(bot, db, "list +nope")
    assert "There is no project +nope yet" in out


def test_list_a_filter_it_does_not_know(bot, db):
    out = refused(bot, db, "list soonish")
    assert "I can't filter the list by “soonish”" in out


def test_list_a_person_nobody_has_met_writes_nothing(bot, db):
    bot.say("add Plan")
    before = snapshot(db)
    out = bot.say("list @ghost")
    assert listed(out) == []
    assert snapshot(db) == before  # a question does not invent a member


def limited_bot(make_bot, limit: int = 5):
    config = CoreConfig(default_tz="Asia/Shanghai", list_limit=limit)
    return make_bot(user="alice", admins=["alice"], config=config)


def test_list_says_how_many_more_there_are_past_the_limit(make_bot):
    bot = limited_bot(make_bot)
    for n in range(7):
        bot.say(f"add Task {n}")
    out = bot.say("list")
    assert listed(out) == [1, 2, 3, 4, 5]
    assert "Total 7" in out
    assert out.splitlines()[-1] == (
        "  …and 2 more. Narrow it down, e.g. `list overdue` or `list +project`."
    )
    bot.say("settings lang zh")
    assert "……还有 2 项" in bot.say("列表")


def test_list_at_the_limit_has_no_more_line(make_bot):
    bot = limited_bot(make_bot)
    for n in range(5):
        bot.say(f"add Task {n}")
    out = bot.say("list")
    assert listed(out) == [1, 2, 3, 4, 5]
    assert "more" not in out and "Total 5" in out


def test_list_past_the_limit_still_shows_red_tasks_first(make_bot):
    bot = limited_bot(make_bot)
    for n in range(5):
        bot.say(f"add Green {n} due:2026-12-20")
    bot.say("add Book venue")
    bot.say("block 6 waiting for a quote")
    out = bot.say("list")
    assert listed(out)[0] == 6, out  # a red task is never hidden behind green ones
    assert len(listed(out)) == 5


def test_list_counts_cover_the_tasks_past_the_limit(make_bot):
    bot = limited_bot(make_bot)
    for n in range(5):
        bot.say(f"add Green {n} due:2026-12-20")
    bot.say("add Late one due:2026-11-20")
    bot.say("add Late two due:2026-11-21")
    bot.say("add Book venue")
    bot.say("block 8 waiting for a quote")
    out = bot.say("list")
    assert "Total 8 · 🔴 3 · 🟡 0 · 🟢 5" in out, out


def test_list_shows_only_this_channel(bot, make_bot):
    bot.say("add Here")
    ops = make_bot(user="alice", admins=["alice"], channel="ops")
    ops.say("add There")
    assert listed(bot.say("list")) == [1]
    assert listed(ops.say("list")) == [2]


# --- show ---------------------------------------------------------------------------------------


def test_show_gives_every_field(bot):
    bot.say("add Shoot video @bob +double11 start:2026-11-24 due:2026-12-04")
    out = bot.say("show 1")
    assert out.splitlines()[:9] == [
        "🟢 #1 Shoot video",
        "  Status: to do",
        "  Owner: @bob",
        "  Due: Fri Dec 4",
        "  Progress: 0%",
        "  Created by: @alice",
        "  Start: Tue Nov 24",
        "  Project: +double11",
        "  Light: 🟢 added today, due in 8 days",
    ]
    assert "  History:" in out.splitlines()
    assert "  11-26 10:00 @alice created it" in out.splitlines()
    assert out.splitlines()[-1] == (
        "  [Start: start 1]  [Done: done 1]  [Blocked: block 1]  [Snooze 1 day: snooze 1]"
    )


def test_show_a_task_without_dates(bot):
    bot.say("add Plan Q1")
    out = bot.say("show 1")
    assert "  Due: no date" in out.splitlines()
    assert not [line for line in out.splitlines() if line.startswith(("  Start:", "  Project:"))]
    assert "  Light: 🟢 no due date" in out.splitlines()


def test_show_a_blocked_task_gives_its_blocker(bot):
    bot.say("add Book venue due:2026-12-04")
    bot.say("block 1 waiting for a quote cause:external")
    out = bot.say("show 1")
    assert out.splitlines()[0] == "🔴 #1 Book venue"
    assert "  Status: blocked" in out.splitlines()
    assert "  Light: 🔴 Blocker: waiting for a quote (root cause: external)" in out.splitlines()
    assert "[Unblock: unblock 1]" in out


def test_show_history_tells_every_change(bot, make_bot):
    bot.say("add Shoot video")
    bot.now = NOW + timedelta(hours=1)
    bot.say("assign 1 @bob")
    bot.say("due 1 2026-12-04")
    bob = make_bot(user="bob", now=NOW + timedelta(hours=2, minutes=5))
    bob.say("progress 1 40%")
    bob.say("block 1 waiting for a quote")
    out = bot.say("show 1")
    history = out.split("  History:\n")[1].splitlines()
    assert history[:7] == [
        "  11-26 10:00 @alice created it",
        "  11-26 11:00 @alice: Owner @alice → @bob",
        "  11-26 11:00 @alice: Due no date → Fri Dec 4",
        "  11-26 12:05 @bob: Progress 0% → 40%",
        "  11-26 12:05 @bob: Status to do → in progress",
        "  11-26 12:05 @bob: Status in progress → blocked — waiting for a quote",
        "  [Done: done 1]  [Unblock: unblock 1]  [Snooze 1 day: snooze 1]",
    ]


def test_show_keeps_the_last_ten_history_lines(bot):
    bot.say("add Plan")
    for n in range(1, 13):
        bot.say(f"progress 1 {n}%")
    out = bot.say("show 1")
    history = [line for line in out.splitlines() if line.startswith("  11-26")]
    assert len(history) == 10
    assert history[-1].endswith("Progress 11% → 12%")


def test_show_in_chinese(bot):
    bot.say("settings lang zh")
    bot.say("新建 写预热文案 @张三 截止:2026-12-04")
    out = bot.say("查看 1")
    assert out.splitlines()[:6] == [
        "🟢 #1 写预热文案",
        "  状态: 待开始",
        "  负责人: @张三",
        "  截止: 12月4日 周五",
        "  进度: 0%",
        "  创建人: @alice",
    ]
    assert "  11-26 10:00 @alice 新建" in out.splitlines()


def test_show_a_number_that_does_not_exist(bot, db):
    out = refused(bot, db, "show 42")
    assert "Task #42 was not found in this workspace." in out


def test_show_with_extra_words_says_what_it_takes(bot, db):
    bot.say("add Plan")
    assert "`show` takes just a task number" in refused(bot, db, "show 1 please")


# --- start --------------------------------------------------------------------------------------


def test_start(bot, db):
    bot.say("add Plan")
    out = bot.say("start 1 kicking off")
    assert out.splitlines()[0] == "🟢 Started #1"
    assert task(db, 1).status == "doing"
    assert new_events(db, 1, 1) == [("status", "todo", "doing", "alice", "kicking off")]


def test_start_twice_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("start 1")
    assert "#1 is already in progress." in refused(bot, db, "start 1")


def test_start_a_blocked_task_points_to_unblock(bot, db):
    bot.say("add Plan")
    bot.say("block 1 no budget yet")
    out = refused(bot, db, "start 1")
    assert "#1 is blocked (no budget yet). Clear it with `unblock 1` first." in out


def test_start_a_closed_task_points_to_reopen(bot, db):
    bot.say("add Plan")
    bot.say("done 1")
    assert "#1 is done. Reopen it first: `reopen 1`." in refused(bot, db, "start 1")


# --- done ---------------------------------------------------------------------------------------


def test_done(bot, db):
    bot.say("add Plan due:2026-11-27")
    bot.say("start 1")
    bot.now = NOW + timedelta(hours=3)
    out = bot.say("done 1 shipped to design")
    assert out.splitlines()[:3] == [
        "Done: #1",
        "  #1 Plan · @alice · Due Fri Nov 27 · done",
        "  Note: shipped to design",
    ]
    t = task(db, 1)
    assert (t.status, t.progress) == ("done", 100)
    assert t.closed_at == NOW + timedelta(hours=3)
    assert t.updated_at == NOW + timedelta(hours=3)
    assert new_events(db, 1, 2) == [
        ("status", "doing", "done", "alice", "shipped to design"),
        ("progress", "0", "100", "alice", None),
    ]


def test_done_resolves_an_open_blocker(bot, db, make_bot):
    bot.say("add Book venue @bob")
    bot.say("block 1 waiting for a quote")
    bob = make_bot(user="bob", now=NOW + timedelta(hours=5))
    out = bob.say("done 1 quote came in")
    assert "Blocker cleared after 5 hours: waiting for a quote" in out
    [b] = blockers(db, 1)
    assert b.resolved_at == NOW + timedelta(hours=5)
    assert b.resolved_by_id == member(db, "bob").id
    assert b.note == "quote came in"
    assert new_events(db, 1, 2) == [
        ("status", "blocked", "done", "bob", "quote came in"),
        ("progress", "0", "100", "bob", None),
    ]


def test_done_twice_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("done 1")
    assert "#1 is already done." in refused(bot, db, "done 1")


def test_done_a_cancelled_task_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("cancel 1")
    assert "#1 is cancelled. Reopen it first: `reopen 1`." in refused(bot, db, "done 1")


# --- cancel -------------------------------------------------------------------------------------


def test_cancel(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 30%")
    out = bot.say("cancel 1 merged into #9")
    assert out.splitlines()[:3] == [
        "Cancelled #1",
        "  #1 Plan · @alice · 30% · cancelled",
        "  Note: merged into #9",
    ]
    t = task(db, 1)
    assert (t.status, t.progress, t.closed_at) == ("cancelled", 30, NOW)
    assert new_events(db, 1, 3) == [("status", "doing", "cancelled", "alice", "merged into #9")]


def test_cancel_resolves_an_open_blocker(bot, db):
    bot.say("add Book venue")
    bot.say("block 1 waiting for a quote")
    bot.now = NOW + timedelta(days=3)
    bot.say("cancel 1 venue closed")
    [b] = blockers(db, 1)
    assert (b.resolved_at, b.note) == (NOW + timedelta(days=3), "venue closed")
    assert task(db, 1).status == "cancelled"


def test_cancel_a_done_task_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("done 1")
    assert "#1 is done. Reopen it first" in refused(bot, db, "cancel 1")
    bot.say("reopen 1")
    bot.say("cancel 1")
    assert "#1 is already cancelled." in refused(bot, db, "cancel 1")


# --- reopen -------------------------------------------------------------------------------------


def test_reopen_a_done_task_resets_its_progress(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 60%")
    bot.say("done 1")
    before = len(events(db, 1))
    out = bot.say("reopen 1 client wants changes")
    assert out.splitlines()[:2] == ["🟢 Reopened #1", "  🟢 #1 Plan · @alice"]
    t = task(db, 1)
    assert (t.status, t.progress, t.closed_at) == ("todo", 0, None)
    assert new_events(db, 1, before) == [
        ("progress", "100", "0", "alice", None),
        ("status", "done", "todo", "alice", "client wants changes"),
    ]


def test_reopen_a_cancelled_task_keeps_its_progress(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 40%")
    bot.say("cancel 1")
    before = len(events(db, 1))
    bot.say("reopen 1")
    t = task(db, 1)
    assert (t.status, t.progress, t.closed_at) == ("doing", 40, None)
    assert new_events(db, 1, before) == [("status", "cancelled", "doing", "alice", None)]


def test_reopen_an_open_task_is_refused(bot, db):
    bot.say("add Plan")
    out = refused(bot, db, "reopen 1")
    assert "#1 is still open (to do); only done or cancelled tasks can be reopened." in out


# --- progress -----------------------------------------------------------------------------------


def test_progress_starts_a_task_to_do(bot, db):
    bot.say("add Plan")
    out = bot.say("progress 1 40%")
    assert out.splitlines()[:2] == ["🟢 #1 is 40% done", "  🟢 #1 Plan · @alice · 40%"]
    t = task(db, 1)
    assert (t.status, t.progress) == ("doing", 40)
    assert new_events(db, 1, 1) == [
        ("progress", "0", "40", "alice", None),
        ("status", "todo", "doing", "alice", None),
    ]


def test_progress_on_a_task_in_progress_changes_only_progress(bot, db):
    bot.say("add Plan")
    bot.say("start 1")
    bot.say("progress 1 60")
    assert task(db, 1).progress == 60
    assert new_events(db, 1, 2) == [("progress", "0", "60", "alice", None)]


def test_progress_back_to_zero(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 10%")
    bot.say("progress 1 0%")
    assert (task(db, 1).status, task(db, 1).progress) == ("doing", 0)
    refused(bot, db, "progress 1 0%")
    bot.say("add Other")
    assert "#2 is already at 0%." in refused(bot, db, "progress 2 0%")
    assert task(db, 2).status == "todo"


def test_progress_100_means_done(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 40%")
    out = bot.say("progress 1 100%")
    assert out.splitlines()[0] == "Done: #1"
    t = task(db, 1)
    assert (t.status, t.progress, t.closed_at) == ("done", 100, NOW)
    assert new_events(db, 1, 3) == [
        ("status", "doing", "done", "alice", None),
        ("progress", "40", "100", "alice", None),
    ]


def test_progress_the_same_value_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("progress 1 40%")
    assert "#1 is already at 40%." in refused(bot, db, "progress 1 40%")


@pytest.mark.parametrize("value", ["120%", "-5%", "half", "40%%"])
def test_progress_that_is_not_a_percentage_is_refused(bot, db, value):
    bot.say("add Plan")
    out = refused(bot, db, f"progress 1 {value}")
    assert "is not a progress from 0% to 100%" in out


def test_progress_on_a_closed_task_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("done 1")
    assert "#1 is done. Reopen it first" in refused(bot, db, "progress 1 50%")


def test_progress_on_a_blocked_task_keeps_it_blocked(bot, db):
    bot.say("add Plan")
    bot.say("block 1 no budget")
    bot.say("progress 1 30%")
    assert (task(db, 1).status, task(db, 1).progress) == ("blocked", 30)
    assert new_events(db, 1, 2) == [("progress", "0", "30", "alice", None)]


# --- block / unblock ----------------------------------------------------------------------------


def test_block(bot, db):
    bot.say("add Book venue due:2026-12-04")
    bot.now = NOW + timedelta(minutes=30)
    out = bot.say("block 1 design resources short cause:resources")
    assert out.splitlines()[:2] == [
        "🔴 #1 is blocked",
        "  🔴 #1 Book venue · @alice · Due Fri Dec 4 · 0% — "
        "Blocker: design resources short (root cause: resources)",
    ]
    [b] = blockers(db, 1)
    assert (b.reason, b.cause) == ("design resources short", "resources")
    assert b.reported_by_id == member(db, "alice").id
    assert (b.reported_at, b.resolved_at, b.resolved_by_id) == (
        NOW + timedelta(minutes=30),
        None,
        None,
    )
    assert task(db, 1).status == "blocked"
    assert new_events(db, 1, 1) == [
        ("status", "todo", "blocked", "alice", "design resources short"),
    ]


def test_block_without_a_cause(bot, db):
    bot.say("add Book venue")
    bot.say("start 1")
    bot.say("block 1 waiting for a quote")
    [b] = blockers(db, 1)
    assert (b.reason, b.cause) == ("waiting for a quote", None)
    assert new_events(db, 1, 2) == [
        ("status", "doing", "blocked", "alice", "waiting for a quote"),
    ]


def test_block_in_chinese(bot, db):
    bot.say("settings lang zh")
    bot.say("新建 订场地")
    out = bot.say("阻塞 1 设计资源不足 原因:资源")
    assert out.splitlines()[0] == "🔴 #1 已标记为阻塞"
    assert "阻塞原因：设计资源不足（根因：资源）" in out
    [b] = blockers(db, 1)
    assert (b.reason, b.cause) == ("设计资源不足", "resources")


def test_block_twice_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("block 1 no budget")
    out = refused(bot, db, "block 1 still no budget")
    assert "#1 is already blocked (no budget). `unblock 1` clears it." in out
    assert len(blockers(db, 1)) == 1


def test_block_needs_a_reason_and_a_known_cause(bot, db):
    bot.say("add Plan")
    assert "What is blocking #1?" in refused(bot, db, "block 1")
    assert "“weather” is not a root-cause category" in refused(
        bot, db, "block 1 rain cause:weather"
    )


def test_block_a_closed_task_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("done 1")
    assert "#1 is done. Reopen it first" in refused(bot, db, "block 1 too late")


def test_unblock_back_to_do(bot, db, make_bot):
    bot.say("add Book venue @bob")
    bot.say("block 1 waiting for a quote")
    bob = make_bot(user="bob", now=NOW + timedelta(days=2, hours=1))
    out = bob.say("unblock 1 quote came in")
    assert out.splitlines()[:3] == [
        "🟢 #1 is unblocked",
        "  🟢 #1 Book venue · @bob",
        "  Blocker cleared after 2 days: waiting for a quote",
    ]
    [b] = blockers(db, 1)
    assert b.resolved_at == NOW + timedelta(days=2, hours=1)
    assert b.resolved_by_id == member(db, "bob").id
    assert b.note == "quote came in"
    assert task(db, 1).status == "todo"
    assert new_events(db, 1, 2) == [("status", "blocked", "todo", "bob", "quote came in")]


def test_unblock_back_to_doing_when_started(bot, db):
    bot.say("add Book venue")
    bot.say("progress 1 20%")
    bot.say("block 1 waiting for a quote")
    bot.say("unblock 1")
    assert task(db, 1).status == "doing"
    assert new_events(db, 1, 4) == [("status", "blocked", "doing", "alice", None)]


def test_block_again_after_unblock_keeps_both_blockers(bot, db):
    bot.say("add Book venue")
    bot.say("block 1 first")
    bot.say("unblock 1")
    bot.say("block 1 second")
    first, second = blockers(db, 1)
    assert (first.reason, first.resolved_at is not None) == ("first", True)
    assert (second.reason, second.resolved_at) == ("second", None)
    assert "Blocker: second" in bot.say("show 1")


def test_unblock_a_task_that_is_not_blocked(bot, db):
    bot.say("add Plan")
    assert "#1 is not blocked." in refused(bot, db, "unblock 1")


def test_unblock_in_chinese_with_the_long_verb(bot, db):
    bot.say("settings lang zh")
    bot.say("新建 订场地")
    bot.say("阻塞 1 等报价")
    out = bot.say("解除阻塞 1 报价到了")
    assert out.splitlines()[0] == "🟢 #1 已解除阻塞"
    assert "阻塞已解除，历时" in out
    assert blockers(db, 1)[0].note == "报价到了"


# --- assign -------------------------------------------------------------------------------------


def test_assign_to_someone(bot, db):
    bot.say("add Plan")
    out = bot.say("assign 1 @bob")
    assert out.splitlines()[:2] == ["🟢 #1 assigned to @bob", "  🟢 #1 Plan · @bob"]
    assert "@bob is new here" in out
    assert task(db, 1).assignee_id == member(db, "bob").id
    assert new_events(db, 1, 1) == [("assignee", mid(db, "alice"), mid(db, "bob"), "alice", None)]


def test_assign_to_me_and_to_nobody(bot, db):
    bot.say("add Plan @bob")
    assert bot.say("assign 1 me").splitlines()[0] == "🟢 #1 assigned to @alice"
    assert task(db, 1).assignee_id == member(db, "alice").id
    out = bot.say("assign 1 none")
    assert out.splitlines()[:2] == ["🟢 #1 has no owner now", "  🟢 #1 Plan · nobody"]
    assert task(db, 1).assignee_id is None
    assert new_events(db, 1, 1) == [
        ("assignee", mid(db, "bob"), mid(db, "alice"), "alice", None),
        ("assignee", mid(db, "alice"), None, "alice", None),
    ]
    assert "  Owner: nobody" in bot.say("show 1").splitlines()


def test_assign_in_chinese(bot, db):
    bot.say("settings lang zh")
    bot.say("新建 写文案")
    assert bot.say("指派 1 @张三").splitlines()[0] == "🟢 #1 已指派给 @张三"
    assert bot.say("指派 1 我").splitlines()[0] == "🟢 #1 已指派给 @alice"
    assert bot.say("指派 1 无").splitlines()[0] == "🟢 #1 已取消指派"
    assert task(db, 1).assignee_id is None


def test_assign_to_the_same_owner_writes_no_event(bot, db):
    bot.say("add Plan @bob")
    bot.say("assign 1 @bob")
    assert events(db, 1) == [("created", None, "Plan", "alice", None)]


def test_assign_needs_one_person(bot, db):
    bot.say("add Plan")
    assert "Assign #1 to whom?" in refused(bot, db, "assign 1")
    assert "Assign #1 to whom?" in refused(bot, db, "assign 1 @bob @carol")
    assert "Assign #1 to whom?" in refused(bot, db, "assign 1 bob")


# --- due ----------------------------------------------------------------------------------------


def test_due_sets_a_date(bot, db):
    bot.say("add Plan due:2026-11-30")
    out = bot.say("due 1 2026-12-01")
    assert out.splitlines()[:2] == [
        "🟢 #1 is due Tue Dec 1",
        "  🟢 #1 Plan · @alice · Due Tue Dec 1",
    ]
    assert task(db, 1).due_date == date(2026, 12, 1)
    assert new_events(db, 1, 1) == [("due", "2026-11-30", "2026-12-01", "alice", None)]


def test_due_in_words(bot, db):
    bot.say("add Plan")
    bot.say("due 1 next monday")
    assert task(db, 1).due_date == date(2026, 11, 30)
    bot.say("截止 1 12月1日")
    assert task(db, 1).due_date == date(2026, 12, 1)


def test_due_none_clears_it(bot, db):
    bot.say("add Plan due:2026-11-30")
    out = bot.say("due 1 none")
    assert out.splitlines()[0] == "🟢 #1 has no due date now"
    assert task(db, 1).due_date is None
    assert new_events(db, 1, 1) == [("due", "2026-11-30", None, "alice", None)]


def test_due_in_the_past_warns(bot, db):
    bot.say("add Plan")
    out = bot.say("due 1 2026-11-24")
    assert out.splitlines()[0] == "🔴 #1 is due Tue Nov 24"
    assert "Note: that date is already past, so the task shows as overdue." in out
    assert task(db, 1).due_date == date(2026, 11, 24)


def test_due_in_chinese(bot, db):
    bot.say("settings lang zh")
    bot.say("新建 写文案")
    assert bot.say("截止 1 下周一").splitlines()[0] == "🟢 #1 截止日期改为 11月30日 周一"
    assert task(db, 1).due_date == date(2026, 11, 30)
    assert "注意：该日期已过" in bot.say("截止 1 2026-11-20")
    assert bot.say("截止 1 无").splitlines()[0] == "🟢 #1 已清除截止日期"


def test_due_that_is_not_a_date_is_refused(bot, db):
    bot.say("add Plan")
    assert "I couldn't read the date “whenever”" in refused(bot, db, "due 1 whenever")
    assert "When is #1 due?" in refused(bot, db, "due 1")


def test_due_on_a_closed_task_is_refused(bot, db):
    bot.say("add Plan")
    bot.say("cancel 1")
    assert "#1 is cancelled. Reopen it first" in refused(bot, db, "due 1 fri")


# --- snooze -------------------------------------------------------------------------------------


def test_snooze_moves_the_due_date_one_day(bot, db):
    bot.say("add Plan due:2026-11-30")
    out = bot.say("snooze 1")
    assert out.splitlines()[0] == "🟢 #1 pushed back to Tue Dec 1"
    assert task(db, 1).due_date == date(2026, 12, 1)
    assert new_events(db, 1, 1) == [("due", "2026-11-30", "2026-12-01", "alice", "snooze 1d")]


@pytest.mark.parametrize(
    ("words", "due"),
    [("3d", date(2026, 12, 3)), ("3", date(2026, 12, 3)), ("2 days", date(2026, 12, 2))],
)
def test_snooze_n_days(bot, db, words, due):
    bot.say("add Plan due:2026-11-30")
    bot.say(f"snooze 1 {words}")
    assert task(db, 1).due_date == due


def test_snooze_in_chinese(bot, db):
    bot.say("settings lang zh")
    bot.say("新建 写文案 截止:2026-11-30")
    assert bot.say("推迟 1 3天").splitlines()[0] == "🟢 #1 已推迟到 12月3日 周四"


def test_snooze_an_overdue_task_moves_it_from_today(bot, db):
    bot.say("add Plan due:2026-11-20")
    out = bot.say("snooze 1")
    assert out.splitlines()[0] == "🟢 #1 pushed back to Fri Nov 27"  # judged by its date
    assert task(db, 1).due_date == date(2026, 11, 27)
    bot.now = NOW + timedelta(days=5)  # Tuesday Dec 1, four days late again
    bot.say("snooze 1 2d")
    assert task(db, 1).due_date == date(2026, 12, 3)
    assert [e[1:3] for e in events(db, 1)[1:]] == [
        ("2026-11-20", "2026-11-27"),
        ("2026-11-27", "2026-12-03"),
    ]


def test_snooze_without_a_due_date_is_refused(bot, db):
    bot.say("add Plan")
    assert "#1 has no due date to push back." in refused(bot, db, "snooze 1")


def test_snooze_by_nonsense_is_refused(bot, db):
    bot.say("add Plan due:2026-11-30")
    assert "“soon” is not a number of days" in refused(bot, db, "snooze 1 soon")
    assert "is not a number of days" in refused(bot, db, "snooze 1 0")


# --- every change in one transaction ------------------------------------------------------------


CHANGES = {
    "start": ([], "start 1"),
    "done": (["progress 1 40%"], "done 1"),
    "cancel": (["block 1 stuck"], "cancel 1"),
    "reopen": (["done 1"], "reopen 1"),
    "progress": ([], "progress 1 40%"),
    "block": ([], "block 1 stuck"),
    "unblock": (["block 1 stuck"], "unblock 1"),
    "assign": ([], "assign 1 @bob"),
    "due": ([], "due 1 2026-12-01"),
    "snooze": ([], "snooze 1"),
}


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_a_change_that_fails_midway_leaves_nothing_behind(bot, db, monkeypatch, setup, change):
    bot.say("add Plan due:2026-11-30")
    for line in setup:
        bot.say(line)
    before = snapshot(db)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(queries, "add_event", broken)
    out = bot.say(change)
    assert "Something went wrong on my side and nothing was changed." in out
    assert snapshot(db) == before


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_every_event_is_stamped_with_the_change(bot, db, setup, change):
    bot.say("add Plan due:2026-11-30")
    for line in setup:
        bot.say(line)
    before = len(events(db, 1))
    bot.now = NOW + timedelta(minutes=7)
    bot.say(change)
    with Session(db.engine) as s:
        t = task_in(s, 1, "console")
        stamps = s.exec(select(TaskEvent.at).where(TaskEvent.task_id == t.id)).all()
    assert len(stamps) > before
    assert sorted(stamps)[before:] == [NOW + timedelta(minutes=7)] * (len(stamps) - before)
    assert t.updated_at == NOW + timedelta(minutes=7)


# --- settings -----------------------------------------------------------------------------------


def test_settings_shows_the_current_values(bot):
    assert bot.say("settings") == (
        "Channel settings\n"
        "  Time zone: Asia/Shanghai\n"
        "  Language: English now (follows the language of each command until set)\n"
        "  Morning reminder: 09:30 · Mon–Fri\n"
        "  Weekly digest: Mon 10:00\n"
        "  Skips public holidays of: off\n"
        "  All-clear when nothing is due: off\n"
        "  Gantt charts in the digest: on\n"
        "  Dashboard: on\n"
        "  Change with `settings tz Asia/Shanghai`, `settings lang zh`, `settings remind 09:00 "
        "mon-fri`, `settings digest mon 10:00`, `settings holidays cn`; `help settings` lists all."
    )


def test_settings_tz_changes_the_channel_and_its_today(bot, db):
    out = bot.say("settings tz America/New_York")
    assert out == "Time zone set to America/New_York\n  It is 2026-11-25 21:00 here now."
    assert channel(db).tz == "America/New_York"
    assert "  Time zone: America/New_York" in bot.say("settings").splitlines()
    bot.say("add Plan due:today")
    assert task(db, 1).due_date == date(2026, 11, 25)  # still Wednesday in New York


@pytest.mark.parametrize(
    ("words", "zone"),
    [("北京", "Asia/Shanghai"), ("utc", "UTC"), ("europe/london", "Europe/London")],
)
def test_settings_tz_accepts_aliases(bot, db, words, zone):
    bot.say("settings tz Asia/Tokyo")
    assert f"Time zone set to {zone}" in bot.say(f"settings tz {words}")
    assert channel(db).tz == zone


def test_settings_tz_that_does_not_exist(bot, db):
    bot.say("settings")
    out = refused(bot, db, "settings tz Mars/Olympus")
    assert "“Mars/Olympus” is not a time zone I know." in out


def test_settings_lang_switches_every_reply_to_chinese(bot, db):
    assert bot.say("settings lang zh") == "本频道将使用中文回复。"
    assert channel(db).lang == "zh"
    assert bot.say("add Plan").splitlines()[0] == "🟢 已新建 #1"
    assert bot.say("设置").splitlines()[:3] == ["频道设置", "  时区: Asia/Shanghai", "  语言: 中文"]
    assert (
        bot.say("show 9").splitlines()[1]
        == "  本工作区找不到任务 #9。发送 `列表` 查看未完成的任务。"
    )
    assert bot.say("设置 语言 英文") == "I'll reply in English here."
    assert channel(db).lang == "en"


def test_settings_lang_is_per_channel(bot, make_bot):
    bot.say("settings lang zh")
    ops = make_bot(user="alice", channel="ops")
    assert ops.say("add Plan").splitlines()[0] == "🟢 Added #1"


def test_settings_errors(bot, db):
    bot.say("settings")
    assert "“klingon” is not a language I speak" in refused(bot, db, "settings lang klingon")
    assert "There is no setting “colour”" in refused(bot, db, "settings colour blue")
    assert "Which time zone?" in refused(bot, db, "settings tz")


# --- help ---------------------------------------------------------------------------------------


def test_help_lists_every_verb(bot):
    out = bot.say("help")
    assert out.splitlines()[0] == "Paceline commands"
    for verb in VERBS:
        assert f"  `{verb.name}" in out, verb
    assert "`help <command>` for more." in out


def test_help_lists_every_verb_in_chinese(bot):
    bot.say("settings lang zh")
    out = bot.say("帮助")
    assert out.splitlines()[0] == "Paceline 指令"
    for verb in VERBS:
        chinese = next(a for a in verb.aliases if not a.isascii())
        assert f"  `{chinese}" in out, verb


def test_help_on_one_verb_shows_its_aliases(bot):
    out = bot.say("help block")
    assert out.splitlines()[1].startswith("  `block <task> <reason> [cause:<category>]`")
    assert "  Also: block / 阻塞" in out.splitlines()
    assert "Also: unblock / 解除 / 解除阻塞" in bot.say("help unblock")
    assert "Also: add / new / create / 新建 / 添加 / 新增" in bot.say("help 新建")


def test_help_on_one_verb_in_chinese(bot):
    bot.say("settings lang zh")
    out = bot.say("帮助 阻塞")
    assert out.splitlines()[1].startswith("  `阻塞 <编号> <原因>")
    assert "  也可以写：block / 阻塞" in out.splitlines()


def test_help_on_an_unknown_verb(bot, db):
    assert "There is no command “fly”" in refused(bot, db, "help fly")


def test_an_unknown_verb_suggests_one(bot, db):
    out = refused(bot, db, "addd Plan")
    assert "I don't know the command “addd”. Did you mean: add?" in out


# --- whole flows in Chinese ---------------------------------------------------------------------


def test_a_task_lives_its_life_in_chinese(bot, db, make_bot):
    bot.say("设置 语言 中文")
    out = bot.say("新建 写预热文案 @张三 周五前 +双11")
    assert out.splitlines()[0] == "🟢 已新建 #1"  # added today, due tomorrow: not at risk yet
    assert "#1 写预热文案 · @张三 · 截止 11月27日 周五 · +双11" in out
    assert "@张三 是新成员" in out
    assert "已创建新项目 +双11。" in out

    zhang = make_bot(user="张三")
    assert zhang.say("开始 1").splitlines()[0] == "🟢 已开始 #1"
    assert zhang.say("进度 1 60%").splitlines()[0] == "🟢 #1 进度 60%"
    assert zhang.say("阻塞 1 设计资源不足").splitlines()[0] == "🔴 #1 已标记为阻塞"
    assert zhang.say("解除 1").splitlines()[0] == "🟢 #1 已解除阻塞"
    out = zhang.say("完成 1 已交付设计")
    assert out.splitlines()[:2] == [
        "已完成 #1",
        "  #1 写预热文案 · @张三 · 截止 11月27日 周五 · +双11 · 已完成",
    ]
    assert "  备注：已交付设计" in out.splitlines()
    assert zhang.say("重开 1").splitlines()[0].endswith("已重开 #1")
    assert zhang.say("取消 1 方案变更").splitlines()[0] == "已取消 #1"

    out = bot.say("查看 1")
    assert "  状态: 已取消" in out.splitlines()
    assert "  11-26 10:00 @张三：状态 待开始 → 进行中" in out.splitlines()
    assert "  11-26 10:00 @张三：进度 0% → 60%" in out.splitlines()
    assert [e[0] for e in events(db, 1)] == [
        "created",
        "status",
        "progress",
        "status",
        "status",
        "status",
        "progress",
        "progress",
        "status",
        "status",
    ]


def test_errors_read_in_chinese(bot, db):
    bot.say("设置 语言 中文")
    bot.say("新建 写文案")
    assert "#1 进展到多少了？" in refused(bot, db, "进度 1")
    assert "本工作区找不到任务 #7" in refused(bot, db, "完成 7")
    assert "#1 被什么卡住了？" in refused(bot, db, "阻塞 1")
    assert refused(bot, db, "飞").splitlines()[0] == "⚠️ 没能执行"


# --- mentions -------------------------------------------------------------------------------------


def test_mentions_render_as_at_names(bot, make_bot):
    make_bot(user="Bob").say("list")
    out = bot.say("add Plan @bob")
    assert "· @Bob" in out  # the name the member goes by
    assert "<@m" not in out and "@?" not in out
    assert "<@m" not in bot.say("show 1") and "<@m" not in bot.say("list")


def test_a_blocker_cleared_within_the_hour_reads_one_hour(bot):
    bot.say("add Book venue")
    bot.say("block 1 waiting for a quote")
    bot.now = NOW + timedelta(minutes=40)
    assert (
        "  Blocker cleared after 1 hour: waiting for a quote" in bot.say("unblock 1").splitlines()
    )


def test_a_title_of_200_characters_fits_and_201_does_not(bot, db):
    assert "Added #1" in bot.say("add " + "x" * 200)
    assert len(task(db, 1).title) == 200
    out = refused(bot, db, "add " + "y" * 201)
    assert "That title is 201 characters; keep it within 200." in out
