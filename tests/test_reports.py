"""The morning reminder and the weekly digest as the `remind` and `digest` previews show them,
and the settings that say when they go out. Time moves only by setting `bot.now`."""

from __future__ import annotations

import io
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


# --- a truer, quieter digest (issue 11), on pinned dates ------------------------------------------

SUNDAY = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # the day before the digest


def thread_of(out: str, project: str) -> str:
    """The thread reply about +project in a digest's console text."""
    [part] = [p for p in out.split("\n\n") if "↳ " in p and f"+{project} —" in p]
    return part


def test_quiet_means_did_nothing_in_the_bot_not_that_the_tasks_did_not_change(bot, make_bot):
    bot.now = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # two weeks before the digest
    bob = make_bot(user="bob", now=bot.now)
    carol = make_bot(user="carol", now=bot.now)
    bob.say("help")
    carol.say("help")
    bot.say("add Brief the agency @bob due:2027-01-31 +launch")
    bot.say("add Shoot the video @carol due:2027-01-31 +launch")
    bot.say("add Order samples @bob due:2027-01-31 +launch")
    bob.now = SUNDAY  # bob closed a task yesterday: he is not quiet, though #1 did not move
    assert "Done: #3" in bob.say("done 3")
    bot.now = SUNDAY  # alice moved carol's task; carol herself said nothing for two weeks
    bot.say("progress 2 30%")
    bot.now = MONDAY
    launch = thread_of(bot.say("digest"), "launch")
    assert "No update in 7 days from: @carol" in launch.splitlines()[-1]
    assert "@bob" not in launch.splitlines()[-1]


def test_someone_first_seen_this_week_is_not_quiet_yet(bot, make_bot):
    bot.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    bot.say("add Brief the agency @newcomer due:2027-01-31 +launch")  # never spoke, 4 days ago
    bot.now = MONDAY
    assert "No update in 7 days" not in bot.say("digest")


def test_a_scheduled_post_is_not_its_readers_activity(bot, db):
    from tests.conftest import member

    bot.say("help")
    before = member(db, "alice").last_active_at
    from bot.console import ConsolePoster
    from bot.delivery import Delivery

    out = io.StringIO()
    [posted] = Delivery(db, bot.config, {"console": ConsolePoster(out)}).run("digest", MONDAY)
    assert posted.result == "sent" and "Weekly stand-up" in out.getvalue()
    assert member(db, "alice").last_active_at == before


def test_the_question_mentions_only_owners_of_flagged_tasks_without_a_reason(bot, make_bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Print flyers @bob due:2026-11-25 +launch")  # overdue, no word: asked
    bot.say("add Book venue @carol due:2027-01-31 +launch")  # blocked with a reason: not asked
    bot.say("add Write copy @dave start:2026-11-01 due:2026-12-20 +launch")  # behind
    bot.say("add Plan stream @erin due:2027-01-31 +launch")  # green: never asked
    bot.say("add Pick gifts @bob start:2026-11-01 due:2026-12-20 +launch")  # behind, no word
    bot.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    bot.say("block 2 the venue has not quoted cause:external")
    dave = make_bot(user="dave", now=bot.now)
    dave.say("start 3 waiting for the brand guide from legal")  # a note: his reason
    bot.now = MONDAY
    out = bot.say("digest")
    attention = thread_of(out, "launch")
    assert "🔴 #1 Print flyers" in attention and "🟡 #3 Write copy" in attention
    [ask] = [p for p in out.split("\n\n") if "Reasons, please" in p]
    assert ask.splitlines()[1].strip() == (
        "@bob: these red or yellow items have no reason yet: #1, #5. What is in the way? "
        "Reply with `block <task> <reason> cause:<category>`, or move it on."
    )
    assert len(ask.splitlines()) == 2  # one owner, one line
    for quiet_one in ("@carol", "@dave", "@erin", "@alice"):
        assert quiet_one not in ask


def test_no_question_when_every_flagged_task_has_its_reason(bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Book venue @carol due:2027-01-31 +launch")
    bot.say("block 1 the venue has not quoted")
    bot.now = MONDAY
    reply = bot.reply("digest")
    assert [r.title for r in reply.thread] == ["+launch — 1 red: #1", "Preview"]


def test_what_slipped_this_week_stays_slipped_when_snoozed_before_the_digest(bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Print flyers due:2026-11-25 +launch")
    bot.say("add Send invites due:2026-11-26 +launch")
    bot.say("add Order banners due:2026-11-27 +launch")
    bot.now = MONDAY - timedelta(minutes=25)  # 09:35: the morning reminder's buttons
    assert "#1 pushed back to" in bot.say("snooze 1")
    bot.say("snooze 2 7")
    bot.say("done 3")
    bot.now = MONDAY
    launch = thread_of(bot.say("digest"), "launch")
    assert "Slipped (3):" in launch
    assert "#1 Print flyers — missed its due date Wed Nov 25" in launch
    assert "#2 Send invites — missed its due date Thu Nov 26" in launch
    assert "#3 Order banners — missed its due date Fri Nov 27" in launch


def test_a_due_date_moved_within_the_week_and_again_since_shows_the_weeks_move(bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Print flyers due:2026-11-25 +launch")
    bot.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    bot.say("due 1 2026-11-27")
    bot.now = MONDAY - timedelta(minutes=25)
    bot.say("snooze 1 7")
    bot.now = MONDAY
    launch = thread_of(bot.say("digest"), "launch")
    assert "Slipped (1):" in launch
    assert "#1 Print flyers — due moved Wed Nov 25 → Fri Nov 27" in launch


def test_tasks_finished_after_their_due_date_are_marked_late(bot, make_bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Print flyers @bob due:2026-11-25 +launch")
    bot.say("add Send invites @bob due:2026-11-26 +launch")
    bot.say("add Order banners @bob due:2026-11-27 +launch")
    bob = make_bot(user="bob", now=datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
    bob.say("done 1")  # two days late
    bob.say("done 2")  # a day late
    bob.say("done 3")  # on the day
    bot.now = MONDAY
    launch = thread_of(bot.say("digest"), "launch")
    assert "Done this week (3):" in launch
    assert "#1 Print flyers · @bob — 2 days late" in launch
    assert "#2 Send invites · @bob — 1 day late" in launch
    assert "#3 Order banners · @bob" in launch
    assert "#3 Order banners · @bob —" not in launch  # on its day: not late
    bot.say("settings lang zh")
    assert "#1 Print flyers · @bob — 晚了 2 天" in bot.say("周报")


def test_three_reds_show_three_squares_and_more_than_ten_are_counted(bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    for n in range(3):
        bot.say(f"add Late thing {n} due:2026-11-25 +launch")
    for n in range(11):
        bot.say(f"add Far thing {n} due:2027-03-01 +double11")
    bot.say("add One more late due:2026-11-25 +double11")
    bot.now = MONDAY
    reply = bot.reply("digest")
    lines = {line.text.split(" —")[0]: line.text for line in reply.lines}
    assert lines["+launch"] == "+launch — 3 red: #1, #2, #3 · 🟥🟥🟥"
    assert lines["+double11"] == "+double11 — 1 red: #15 · 🟥🟩🟩🟩🟩🟩🟩🟩🟩🟩 +2"


def test_new_and_not_yet_started_tasks_need_no_attention_in_the_digest(bot):
    bot.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    bot.say("add Print posters start:2026-12-02 due:2026-12-04 +launch")  # not started yet
    bot.say("add Launch event start:2026-12-01 due:2026-12-01 +launch")  # an event on a date
    bot.now = MONDAY
    bot.say("add Write copy start:2026-11-01 due:2026-12-20 +launch")  # added today, at 0%
    bot.say("add Review deck due:2026-12-01 +launch")  # a short task due tomorrow
    out = bot.say("digest")
    assert "+launch — on track (4 open) · 🟩🟩🟩🟩" in out
    assert "Needs attention" not in out and "Reasons, please" not in out
