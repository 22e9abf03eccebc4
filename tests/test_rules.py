"""The red / yellow / green rules (README, "Lights"): first as a table on `task_light`, then
through the bot, where every light a user reads in `list` or `show` comes with its reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from handlers import CoreConfig
from handlers.reply import Light
from handlers.rules import Thresholds, expected_progress, task_light
from storage.models import TaskStatus
from tests.conftest import NOW

TODAY = date(2026, 11, 26)  # a Thursday; NOW is 10:00 of this day in Shanghai
RED, YELLOW, GREEN = Light.RED, Light.YELLOW, Light.GREEN


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def light(
    status: str = "todo",
    progress: int = 0,
    start: int = 0,
    due: int | None = None,
    thresholds: Thresholds | None = None,
):
    """The verdict for a task whose start and due are given in days from TODAY."""
    return task_light(
        status=status,
        progress=progress,
        start=day(start),
        due=None if due is None else day(due),
        today=TODAY,
        thresholds=thresholds or Thresholds(),
    )


# --- the table ---------------------------------------------------------------------------------

# (status, progress, start, due) in days from today -> (light, reason)
TABLE = {
    # blocked is red whatever else is true
    "blocked, no due date": (("blocked", 0, 0, None), (RED, "why_blocked")),
    "blocked, nearly done, far due": (("blocked", 90, -10, 30), (RED, "why_blocked")),
    "blocked and overdue": (("blocked", 10, -10, -3), (RED, "why_blocked")),
    # past due and not done is red
    "one day overdue": (("doing", 90, -10, -1), (RED, "why_overdue")),
    "five days overdue, to do": (("todo", 0, -10, -5), (RED, "why_overdue")),
    "overdue at 99%": (("doing", 99, -10, -1), (RED, "why_overdue")),
    # due within the window and under half done is yellow (for a task planned over longer)
    "due today, nothing done": (("todo", 0, -10, 0), (YELLOW, "why_due_soon")),
    "due tomorrow, 10%": (("doing", 10, -10, 1), (YELLOW, "why_due_soon")),
    "due in exactly 2 days, 0%": (("todo", 0, -10, 2), (YELLOW, "why_due_soon")),
    "due in 2 days, 49%": (("doing", 49, -10, 2), (YELLOW, "why_due_soon")),
    "a three-day task due tomorrow, 0%": (("todo", 0, -2, 1), (YELLOW, "why_due_soon")),
    # the boundaries of that rule
    "due in 3 days, 0%, started today": (("todo", 0, 0, 3), (GREEN, "why_on_track")),
    "due in 2 days, exactly 50%": (("doing", 50, -2, 2), (GREEN, "why_on_track")),
    "due tomorrow, exactly 50%, three quarters of the time gone": (
        ("doing", 50, -3, 1),
        (GREEN, "why_on_track"),
    ),
    # a short task (a day or two, or an event on a date) is judged by its date alone
    "one-day task due today, 0%": (("todo", 0, 0, 0), (GREEN, "why_short")),
    "two-day task due tomorrow, 0%": (("todo", 0, -1, 1), (GREEN, "why_short")),
    "two-day task due today, 0%": (("todo", 0, -2, 0), (GREEN, "why_short")),
    "short task a day late": (("todo", 0, -2, -1), (RED, "why_overdue")),
    "short task, blocked": (("blocked", 0, 0, 1), (RED, "why_blocked")),
    # not started yet (its start date ahead) is never yellow
    "starts tomorrow, due in 2 days, 0%": (("todo", 0, 1, 2), (GREEN, "why_not_started")),
    "starts in 5 days, due in 30": (("todo", 0, 5, 30), (GREEN, "why_not_started")),
    "an event on a date next week": (("todo", 0, 7, 7), (GREEN, "why_not_started")),
    "not started but blocked": (("blocked", 0, 5, 30), (RED, "why_blocked")),
    # behind the straight line from start to due by more than 25 points is yellow
    "50% expected, 24% done": (("doing", 24, -25, 25), (YELLOW, "why_behind")),
    "50% expected, 0% done": (("todo", 0, -25, 25), (YELLOW, "why_behind")),
    "50% expected, exactly 25 points behind": (("doing", 25, -25, 25), (GREEN, "why_on_track")),
    "50% expected, 26% done": (("doing", 26, -25, 25), (GREEN, "why_on_track")),
    "ahead of the line": (("doing", 80, -25, 25), (GREEN, "why_on_track")),
    # done and cancelled have no light, even when their due date has passed
    "done": (("done", 100, -10, 5), (None, "why_done")),
    "done after its due date": (("done", 100, -10, -5), (None, "why_done")),
    "cancelled and overdue": (("cancelled", 10, -10, -5), (None, "why_cancelled")),
    "cancelled, no due date": (("cancelled", 0, 0, None), (None, "why_cancelled")),
    # no due date, nothing to be late for
    "no due date": (("todo", 0, -30, None), (GREEN, "why_no_due")),
    "no due date, in progress": (("doing", 5, -30, None), (GREEN, "why_no_due")),
    "plenty of time": (("todo", 0, 0, 30), (GREEN, "why_on_track")),
}


@pytest.mark.parametrize(("task", "expected"), TABLE.values(), ids=TABLE.keys())
def test_task_light(task, expected):
    status, progress, start, due = task
    verdict = light(status, progress, start, due)
    assert (verdict.light, verdict.reason) == expected


def test_the_status_may_be_the_enum_or_its_string():
    for status in TaskStatus:
        by_enum = light(status, 0, 0, 1)
        by_text = light(status.value, 0, 0, 1)
        assert by_enum == by_text


def test_each_reason_carries_what_its_sentence_needs():
    assert light("doing", 90, -10, -3).params == {"days": 3}
    assert light("doing", 10, -10, 1).params == {"days": 1, "progress": 10}
    assert light("todo", 0, -10, 0).params == {"days": 0, "progress": 0}
    assert light("todo", 0, 3, 10).params == {"days": 3}  # starts in 3 days
    assert light("todo", 0, 0, 1).params == {"days": 1}  # a short task, due tomorrow
    assert light("doing", 24, -25, 25).params == {"progress": 24, "expected": 50}
    assert light("todo", 0, 0, 30).params == {"days": 30}


def test_due_soon_is_checked_before_behind_schedule():
    # 2 days left, 10% done, 80% expected: both rules fire; the deadline is the reason given
    verdict = light("doing", 10, -8, 2)
    assert (verdict.light, verdict.reason) == (YELLOW, "why_due_soon")


# --- custom thresholds ---------------------------------------------------------------------------


def test_a_wider_due_soon_window_turns_a_task_yellow_earlier():
    assert light("todo", 0, 0, 4).light == GREEN
    wide = Thresholds(due_soon_days=5)
    assert light("todo", 0, 0, 4, thresholds=wide).light == YELLOW
    assert light("todo", 0, 0, 5, thresholds=wide).light == YELLOW
    assert light("todo", 0, 0, 6, thresholds=wide).light == GREEN


def test_a_zero_day_window_leaves_only_today_yellow():
    none_soon = Thresholds(due_soon_days=0)
    assert light("todo", 0, -10, 1, thresholds=none_soon).reason == "why_behind"
    assert light("doing", 90, -10, 1, thresholds=none_soon).light == GREEN
    assert light("todo", 0, -10, 0, thresholds=none_soon).reason == "why_due_soon"


def test_a_higher_minimum_progress_makes_a_half_done_task_yellow():
    assert light("doing", 60, -3, 1).light == GREEN
    strict = Thresholds(due_soon_min_progress=80)
    verdict = light("doing", 60, -3, 1, thresholds=strict)
    assert (verdict.light, verdict.reason) == (YELLOW, "why_due_soon")
    assert light("doing", 80, -3, 1, thresholds=strict).light == GREEN


def test_the_length_of_a_short_task_is_a_threshold():
    assert light("todo", 0, -3, 1).reason == "why_due_soon"  # planned over 4 days
    assert light("todo", 0, -3, 1, thresholds=Thresholds(short_task_days=4)).reason == "why_short"
    assert light("todo", 0, -1, 1, thresholds=Thresholds(short_task_days=1)).reason == (
        "why_due_soon"
    )


def test_a_task_created_today_is_not_at_risk_for_being_at_0_percent():
    # started (on paper) ten days ago, due in ten: 50% expected, 0% done
    def on(created: int):
        return task_light(
            status="todo",
            progress=0,
            start=day(-10),
            due=day(10),
            today=TODAY,
            thresholds=Thresholds(),
            created=day(created),
        )

    assert (on(0).light, on(0).reason, on(0).params) == (GREEN, "why_new", {"days": 10})
    assert (on(-1).light, on(-1).reason) == (YELLOW, "why_behind")  # a day later it is behind


def test_fewer_behind_points_make_a_slower_task_yellow():
    assert light("doing", 35, -25, 25).light == GREEN
    tight = Thresholds(behind_points=10)
    verdict = light("doing", 35, -25, 25, thresholds=tight)
    assert (verdict.light, verdict.reason) == (YELLOW, "why_behind")
    assert light("doing", 40, -25, 25, thresholds=tight).light == GREEN


def test_thresholds_never_change_red_or_closed():
    lenient = Thresholds(due_soon_days=0, due_soon_min_progress=0, behind_points=100)
    assert light("blocked", 0, 0, None, thresholds=lenient).light == RED
    assert light("todo", 0, -10, -1, thresholds=lenient).light == RED
    assert light("done", 100, -10, -1, thresholds=lenient).light is None


# --- expected progress ---------------------------------------------------------------------------

EXPECTED = {
    "on the start day": (day(0), day(10), day(0), 0),
    "before the start": (day(5), day(10), day(0), 0),
    "on the due day": (day(-10), day(0), day(0), 100),
    "after the due day": (day(-10), day(-2), day(0), 100),
    "halfway": (day(-5), day(5), day(0), 50),
    "one day of ten": (day(-1), day(9), day(0), 10),
    "a third, rounded down": (day(-1), day(2), day(0), 33),
    "two thirds, rounded up": (day(-2), day(1), day(0), 67),
    "start and due the same day, before it": (day(3), day(3), day(0), 0),
    "start and due the same day, on it": (day(0), day(0), day(0), 100),
    "start after due, before either": (day(5), day(2), day(0), 0),
    "start after due, between them": (day(5), day(-2), day(0), 100),
    "one-day task, its first day": (day(0), day(1), day(0), 0),
    "across a year end": (date(2026, 12, 27), date(2027, 1, 6), date(2027, 1, 1), 50),
}


@pytest.mark.parametrize(("start", "due", "today", "expected"), EXPECTED.values(), ids=EXPECTED)
def test_expected_progress(start, due, today, expected):
    assert expected_progress(start, due, today) == expected


def test_expected_progress_stays_within_0_and_100_and_never_falls_as_days_pass():
    for start_offset in range(-6, 7):
        for due_offset in range(-6, 7):
            start, due = day(start_offset), day(due_offset)
            seen = [expected_progress(start, due, day(t)) for t in range(-8, 9)]
            assert all(0 <= p <= 100 for p in seen), (start, due, seen)
            assert seen == sorted(seen), (start, due, seen)


# --- through the bot -----------------------------------------------------------------------------


def list_line(out: str, number: int) -> str:
    """The line of `list` output about task #number."""
    found = [line for line in out.splitlines() if f"#{number} " in line]
    assert len(found) == 1, out
    return found[0].strip()


def test_list_shows_each_light_with_its_reason(bot):
    bot.now = NOW - timedelta(days=3)  # added on Monday, listed on Thursday
    bot.say("add Fix landing page due:2026-11-20")
    bot.say("add Ship banner due:2026-11-27")
    bot.say("add Book venue due:2026-12-20")
    bot.say("block 3 waiting for a quote cause:external")
    bot.say("add Write retro start:2026-11-01 due:2026-12-21")
    bot.say("add Draft newsletter due:2026-12-20")
    bot.say("add Plan Q1")
    bot.now = NOW
    out = bot.say("list")

    assert (
        list_line(out, 1) == "🔴 #1 Fix landing page · @alice · Due Fri Nov 20 — overdue by 6 days"
    )
    assert list_line(out, 2) == (
        "🟡 #2 Ship banner · @alice · Due Fri Nov 27 — due tomorrow, only 0% done"
    )
    assert list_line(out, 3) == (
        "🔴 #3 Book venue · @alice · Due Sun Dec 20 · 0% — "
        "Blocker: waiting for a quote (root cause: external)"
    )
    assert list_line(out, 4) == (
        "🟡 #4 Write retro · @alice · Due Mon Dec 21 — 0% done, 50% expected by now"
    )
    # green needs no excuse: no reason is appended
    assert list_line(out, 5) == "🟢 #5 Draft newsletter · @alice · Due Sun Dec 20"
    assert list_line(out, 6) == "🟢 #6 Plan Q1 · @alice"
    assert "Total 6 · 🔴 2 · 🟡 2 · 🟢 2" in out


def test_a_blocker_without_a_cause_reads_as_its_reason(bot):
    bot.say("add Book venue")
    bot.say("block 1 waiting for a quote")
    assert list_line(bot.say("list"), 1).endswith("— Blocker: waiting for a quote")


def test_a_light_moves_as_time_passes(bot):
    bot.say("add Ship banner due:2026-11-30")
    assert list_line(bot.say("list"), 1).startswith("🟢")

    bot.now = NOW + timedelta(days=2)  # Saturday: due in 2 days, nothing done
    assert list_line(bot.say("list"), 1).endswith("— due in 2 days, only 0% done")

    bot.now = NOW + timedelta(days=4)  # Monday
    assert list_line(bot.say("list"), 1).endswith("— due today, only 0% done")

    bot.now = NOW + timedelta(days=5)  # Tuesday
    line = list_line(bot.say("list"), 1)
    assert line.startswith("🔴") and line.endswith("— overdue by 1 day")


def test_the_day_follows_the_channel_zone(bot):
    bot.now = NOW - timedelta(days=5)
    bot.say("add Ship banner due:2026-11-26")
    # 15:59 UTC is 23:59 in Shanghai: still the due day
    bot.now = NOW.replace(hour=15, minute=59)
    assert list_line(bot.say("list"), 1).startswith("🟡")
    # 16:00 UTC is midnight in Shanghai: a day late
    bot.now = NOW.replace(hour=16, minute=0)
    assert list_line(bot.say("list"), 1).endswith("overdue by 1 day")


def test_progress_moves_a_task_from_yellow_to_green(bot):
    bot.now = NOW - timedelta(days=3)
    bot.say("add Ship banner due:2026-11-27")
    bot.now = NOW
    assert list_line(bot.say("list"), 1).startswith("🟡")
    bot.say("progress 1 50%")
    assert list_line(bot.say("list"), 1) == "🟢 #1 Ship banner · @alice · Due Fri Nov 27 · 50%"


def test_closed_tasks_have_no_light(bot):
    bot.say("add Old report due:2026-11-20")
    bot.say("add Dropped idea due:2026-11-20")
    bot.say("done 1")
    bot.say("cancel 2")
    out = bot.say("list all")
    assert list_line(out, 1) == "#1 Old report · @alice · Due Fri Nov 20 · done"
    assert list_line(out, 2) == "#2 Dropped idea · @alice · Due Fri Nov 20 · cancelled"
    assert "Total 2 · 🔴 0 · 🟡 0 · 🟢 0" in out


def test_show_gives_the_light_and_its_reason(bot):
    bot.now = NOW - timedelta(days=3)
    bot.say("add Ship banner due:2026-11-27")
    bot.now = NOW
    out = bot.say("show 1")
    assert out.splitlines()[0] == "🟡 #1 Ship banner"
    assert "  Light: 🟡 due tomorrow, only 0% done" in out.splitlines()


def test_the_reasons_read_in_chinese(bot):
    bot.now = NOW - timedelta(days=3)
    bot.say("settings lang zh")
    bot.say("新建 修复落地页 截止:2026-11-20")
    bot.say("新建 上线横幅 截止:2026-11-27")
    bot.say("新建 写复盘 开始:2026-11-01 截止:2026-12-21")
    bot.say("新建 订场地")
    bot.say("阻塞 4 等报价 原因:外部")
    bot.now = NOW
    out = bot.say("列表")
    assert list_line(out, 1).endswith("— 已逾期 6 天")
    assert list_line(out, 2).endswith("— 明天截止，进度仅 0%")
    assert list_line(out, 3).endswith("— 进度 0%，按计划此时应到 50%")
    assert list_line(out, 4).endswith("— 阻塞原因：等报价（根因：外部）")
    assert "共 4 项 · 🔴 2 · 🟡 2 · 🟢 0" in out


def test_thresholds_are_a_setting_of_the_bot(make_bot):
    relaxed = CoreConfig(default_tz="Asia/Shanghai", thresholds=Thresholds(due_soon_days=5))
    strict = make_bot(user="alice", admins=["alice"], config=relaxed, now=NOW - timedelta(days=1))
    strict.say("add Ship banner due:2026-11-30")  # added yesterday, 4 days out today
    strict.now = NOW
    assert list_line(strict.say("list"), 1).endswith("— due in 4 days, only 0% done")

    default = make_bot(user="alice", admins=["alice"])
    assert list_line(default.say("list"), 1) == "🟢 #1 Ship banner · @alice · Due Mon Nov 30"


def test_new_short_and_future_tasks_are_not_yellow_in_the_list(bot):
    bot.say("add Launch event start:2026-11-30 due:2026-11-30")  # an event on a date, ahead
    bot.say("add Review deck due:tomorrow")  # a short task
    bot.say("add Write retro start:2026-11-01 due:2026-12-21")  # 50% expected, added today
    bot.say("add Print posters start:2026-12-01 due:2026-12-03")  # not started yet
    out = bot.say("list")
    assert "Total 4 · 🔴 0 · 🟡 0 · 🟢 4" in out
    assert bot.say("show 4").splitlines()[0] == "🟢 #4 Print posters"
    assert "Light: 🟢 not started yet, starts in 5 days" in bot.say("show 4")
    assert "Light: 🟢 a short task, due tomorrow" in bot.say("show 2")
    assert "Light: 🟢 added today, due in 25 days" in bot.say("show 3")
    bot.now = NOW + timedelta(days=1)  # a day on, the retro is behind the line
    assert list_line(bot.say("list"), 3).endswith("— 0% done, 52% expected by now")
    bot.now = NOW + timedelta(days=4)  # Monday: the event is today, still a short task
    assert "Light: 🟢 a short task, due today" in bot.say("show 1")
    bot.now = NOW + timedelta(days=5)
    assert list_line(bot.say("list"), 1).endswith("— overdue by 1 day")
