"""The morning reminder and the weekly digest as the `remind` and `digest` previews show them,
and the settings that say when they go out. Time moves only by setting `bot.now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from handlers import reports
from handlers.reply import Light
from handlers.schedule import parse_days, parse_time
from storage.models import Channel
from tests.conftest import NOW, snapshot

MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def channel(db) -> Channel:
    with Session(db.engine) as s:
        return s.exec(select(Channel).where(Channel.external_id == "general")).one()


# --- the morning reminder ---------------------------------------------------------------------


def test_nothing_due_means_no_reminder_but_the_preview_says_all_clear(bot):
    bot.say("add Plan the live stream due:2026-12-10")
    out = bot.say("remind")
    assert "nothing overdue, nothing due today" in out
    assert "(a preview" in out


def test_reminder_groups_overdue_and_due_today_by_owner(bot, make_bot):
    bot.now = NOW - timedelta(days=5)
    bot.say("add Write copy @bob due:2026-11-23")
    bot.say("add Book studio @bob due:2026-11-26")
    bot.say("add Brief KOLs @carol due:2026-11-25")
    bot.say("add Later thing @carol due:2026-12-20")
    bot.say("block 3 waiting for the agency cause:external")
    bot.now = NOW
    lines = bot.say("remind").splitlines()
    assert lines[0] == "🔴 Morning check · Thu Nov 26: 2 overdue, 1 due today"
    assert lines[1:7] == [
        "  @bob · 2",
        "  🔴 #1 Write copy — 3 days late",
        "  🟡 #2 Book studio — due today",
        "  @carol · 1",
        "  🔴 #3 Brief KOLs — 1 day late · Blocker: waiting for the agency (root cause: external)",
        "  (a preview: this is what the scheduler would post here now)",
    ]
    assert "Later thing" not in "\n".join(lines)


def test_reminder_buttons_are_done_snooze_and_blocked(bot):
    bot.say("add Write copy due:2026-11-20")
    reply = bot.reply("remind")
    [task_line] = [line for line in reply.lines if line.actions]
    assert [a.command for a in task_line.actions] == ["done 1", "block 1", "snooze 1"]


def test_reminder_in_chinese(bot):
    bot.say("settings lang zh")
    bot.say("新建 写文案 @张三 截止:2026-11-24")
    out = bot.say("提醒")
    assert "早间提醒 · 11月26日 周四：逾期 1 项，今天截止 0 项" in out
    assert "@张三 · 1 项" in out and "逾期 2 天" in out


def test_reminder_reads_today_in_the_channel_zone(bot):
    bot.say("settings tz America/New_York")  # still Wednesday the 25th there
    bot.say("add Due on the 25th due:2026-11-25")
    assert "0 overdue, 1 due today" in bot.say("remind")


# --- the weekly digest ---------------------------------------------------------------------------


@pytest.fixture
def week(bot, make_bot):
    """A week of work in +launch and +double11, seen on Monday 2026-11-30."""
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # the week before: old, quiet tasks
    bot.say("add Old quiet task @dave due:2027-03-01 +double11")
    bot.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday of the digest's week
    bot.say("add Ship landing page @bob due:2026-11-27 +launch")
    bot.say("add Press kit @bob due:2026-12-10 +launch")
    bot.say("add Influencer list @carol due:2026-11-26 +double11")
    bot.say("add Venue contract due:2027-01-31")
    bob = make_bot(user="bob", now=bot.now + timedelta(days=1))
    assert "Done: #3" in bob.say("done 3 sent to the press")  # the press kit, early
    bot.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert "#2 is due" in bot.say("due 2 2026-12-02")  # the landing page slips 11-27 → 12-02
    assert "#4 is blocked" in bot.say("block 4 agency has not answered cause:external")
    bot.now = MONDAY
    return bot


def test_digest_parent_has_the_week_counts_and_project_lights(week):
    reply = week.reply("digest")
    assert reply.title == "Weekly stand-up · Mon Nov 23 – Sun Nov 29"
    assert reply.fields == [("", "✅ 1 done · 🆕 4 new · ⏰ 1 overdue · ⛔ 1 blocked")]
    assert [(line.text, line.light.value) for line in reply.lines] == [
        ("+double11 — 1 red: #4 · 🟥🟩", "red"),
        ("+launch — 1 yellow: #2 · 🟨", "yellow"),
        ("+no project — on track (1 open) · 🟩", "green"),
    ]


@pytest.mark.parametrize(
    ("red", "yellow", "green", "bar"),
    [
        (0, 0, 0, ""),
        (1, 0, 1, "🟥🟩"),
        (3, 0, 0, "🟥🟥🟥"),  # three reds are three squares
        (3, 3, 4, "🟥🟥🟥🟨🟨🟨🟩🟩🟩🟩"),  # ten fit: a square each
        (3, 3, 5, "🟥🟥🟥🟨🟨🟨🟩🟩🟩🟩 +1"),  # more: ten squares, the rest counted, never scaled
        (1, 1, 1000, "🟥🟨🟩🟩🟩🟩🟩🟩🟩🟩 +992"),
        (12, 0, 1, "🟥🟥🟥🟥🟥🟥🟥🟥🟥🟥 +3"),  # worst first
    ],
)
def test_a_projects_open_tasks_as_a_bar_of_lights(red, yellow, green, bar):
    lights = [Light.GREEN] * green + [Light.RED] * red + [Light.YELLOW] * yellow
    assert reports.light_bar(lights) == bar


def test_digest_thread_has_one_reply_per_project_then_asks_owners(week):
    out = week.say("digest")
    parent, double11, launch, loose, ask, preview = out.split("\n\n")
    assert parent.startswith("🔴 Weekly stand-up")
    assert "↳ 🔴 +double11 — 1 red: #4" in double11
    blocked = (
        "🔴 #4 Influencer list · @carol — Blocker: agency has not answered (root cause: external)"
    )
    assert blocked in double11
    assert "#4 Influencer list — missed its due date Thu Nov 26" in double11
    assert "No update in 7 days from: @dave" in double11
    assert "🟡 #2 Ship landing page · @bob — due in 2 days, only 0% done" in launch
    assert "Done this week (1):" in launch and "#3 Press kit · @bob" in launch
    assert "#2 Ship landing page — due moved Fri Nov 27 → Wed Dec 2" in launch
    assert "↳ 🟢 +no project — on track (1 open)" in loose and "Nothing to report." in loose
    # only the owner of a flagged task with no reason: carol's blocked #4 has its blocker
    assert "Reasons, please" in ask
    assert "@bob: these red or yellow items have no reason yet: #2." in ask
    assert "@carol" not in ask and "@alice" not in ask and "@dave" not in ask
    assert "(a preview" in preview


def test_a_missed_due_date_counts_as_slipped(bot):
    bot.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    bot.say("add Print flyers due:2026-11-25 +launch")
    bot.now = MONDAY
    out = bot.say("digest")
    assert "#1 Print flyers — missed its due date Wed Nov 25" in out
    assert "⏰ 1 overdue" in out


def test_digest_of_an_empty_channel(bot):
    bot.say("help")
    reply = bot.reply("digest")
    assert reply.lines[0].text == "No open tasks and nothing finished this week."
    assert "0 done" in reply.fields[0][1]


def test_digest_in_chinese(week):
    week.say("settings lang zh")
    out = week.say("周报")
    assert "每周站会 · 11月23日 周一 – 11月29日 周日" in out
    assert "✅ 完成 1 · 🆕 新增 4 · ⏰ 逾期 1 · ⛔ 阻塞 1" in out
    assert "1 项红灯：#4" in out and "请补充原因" in out
    assert "@bob：以下红灯、黄灯任务还没有说明原因：#2。" in out


def test_previews_change_nothing(week, db):
    week.say("help")  # any command notes that its speaker was active (the digest's "quiet")
    before = snapshot(db)
    week.say("digest")
    week.say("remind")
    assert snapshot(db) == before


# --- when they go out ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", "09:00"),
        ("9:30", "09:30"),
        ("17.45", "17:45"),
        ("9点", "09:00"),
        ("9点半", "09:30"),
        ("18点15分", "18:15"),
        ("09：00", "09:00"),
        ("25:00", None),
        ("9", None),
        ("nine", None),
        ("12:60", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("weekdays", "mon,tue,wed,thu,fri"),
        ("工作日", "mon,tue,wed,thu,fri"),
        ("周一至周五", "mon,tue,wed,thu,fri"),
        ("mon,wed,fri", "mon,wed,fri"),
        ("周一、周三", "mon,wed"),
        ("daily", "mon,tue,wed,thu,fri,sat,sun"),
        ("每天", "mon,tue,wed,thu,fri,sat,sun"),
        ("sat-mon", "mon,sat,sun"),
        ("funday", None),
    ],
)
def test_parse_days(text, expected):
    assert parse_days(text) == expected


def test_schedule_settings_change_the_channel(bot, db):
    assert bot.say("settings remind 09:00 mon,wed,fri") == (
        "Morning reminder: 09:00 on Mon, Wed, Fri, Asia/Shanghai time."
    )
    assert bot.say("settings digest fri 16:30") == "Weekly digest: Fri 16:30, Asia/Shanghai time."
    assert "public holidays of CN" in bot.say("settings holidays cn")
    assert bot.say("settings allclear on") == "All-clear reminders: on."
    ch = channel(db)
    assert (ch.remind_time, ch.remind_days, ch.digest_day, ch.digest_time) == (
        "09:00",
        "mon,wed,fri",
        "fri",
        "16:30",
    )
    assert (ch.holidays, ch.remind_all_clear) == ("CN", True)
    bot.say("settings remind off")
    bot.say("设置 周报 关")
    bot.say("设置 节假日 关")
    ch = channel(db)
    assert (ch.remind_time, ch.digest_day, ch.holidays) == (None, None, None)


def test_the_reminder_keeps_its_days_when_only_the_time_changes(bot, db):
    bot.say("settings remind 08:00 daily")
    bot.say("设置 提醒 9点半")
    assert (channel(db).remind_time, channel(db).remind_days) == (
        "09:30",
        "mon,tue,wed,thu,fri,sat,sun",
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("settings remind 25:00", "bad_time"),
        ("settings remind 09:00 funday", "bad_days"),
        ("settings digest someday 10:00", "bad_day"),
        ("settings digest mon 9", "bad_time"),
        ("settings holidays atlantis", "bad_country"),
        ("settings allclear maybe", "bad_on_off"),
        ("settings remind", "settings_remind_missing"),
        ("digest now please", "no_args"),
    ],
)
def test_bad_schedule_settings_change_nothing(bot, db, text, key):
    from handlers.messages import MESSAGES

    bot.say("help")
    before = snapshot(db)
    reply = bot.reply(text)
    assert reply.error
    assert reply.lines[0].text.startswith(MESSAGES[key]["en"].split("{")[0].split("“")[0])
    assert snapshot(db) == before
