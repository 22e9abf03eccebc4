"""The plan rules (handlers/pace.py) as pure functions of a pinned day, and the same rules read
from the database (handlers/plan_state.py) across a DST change and a year end. Each test names
its day; nothing reads the wall clock."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from handlers.pace import (
    Buffer,
    KpiPace,
    OpenTask,
    Span,
    buffer_days,
    buffer_state,
    forecast_finish,
    kpi_pace,
    move_suggestion,
    pace_light,
    pace_percent,
    planned_to_date,
    project_light,
    worst_kpi,
)
from handlers.reply import Light

D = date
PROJECT = Span(D(2026, 11, 1), D(2026, 12, 10))  # 40 days
WARMUP = Span(D(2026, 11, 1), D(2026, 11, 15))  # 预热期, 15 days
PEAK = Span(D(2026, 11, 16), D(2026, 11, 30))  # 爆发期, 15 days
TAIL = Span(D(2026, 12, 1), D(2026, 12, 10))  # 长尾期, 10 days
SPLIT = ((WARMUP, 50.0), (PEAK, 400.0), (TAIL, 50.0))  # GMV 500万 by phase, in 万


# --- pace -------------------------------------------------------------------------------------


def test_spans_count_both_ends_and_the_share_over_is_through_yesterday():
    assert PROJECT.days == 40
    assert PROJECT.done_share(D(2026, 10, 31)) == 0.0
    assert PROJECT.done_share(D(2026, 11, 1)) == 0.0  # the first day: nothing over yet
    assert PROJECT.done_share(D(2026, 11, 2)) == 1 / 40
    assert PROJECT.done_share(D(2026, 12, 10)) == 39 / 40
    assert PROJECT.done_share(D(2026, 12, 11)) == 1.0
    assert PROJECT.done_share(D(2027, 1, 1)) == 1.0


def test_pace_without_a_split_spreads_the_target_over_the_project():
    # 11-21: 20 of 40 days over → half of 500 planned
    assert planned_to_date(500, D(2026, 11, 21), project=PROJECT) == 250
    assert kpi_pace("GMV", "", 500, 200, D(2026, 11, 21), project=PROJECT).pace == 80.0
    # no dates anywhere: no plan to measure against
    assert planned_to_date(500, D(2026, 11, 21), project=None) is None
    assert kpi_pace("GMV", "", 500, 200, D(2026, 11, 21), project=None).light is None


def test_pace_with_a_split_follows_the_phases():
    # 11-08: 7 of 预热期's 15 days over → 50 × 7/15 planned; 爆发期 not begun
    planned = planned_to_date(500, D(2026, 11, 8), project=PROJECT, split=SPLIT)
    assert planned == pytest.approx(50 * 7 / 15)
    # 11-21: 预热期 all (50), 爆发期 5 of 15 days (400 × 5/15)
    planned = planned_to_date(500, D(2026, 11, 21), project=PROJECT, split=SPLIT)
    assert planned == pytest.approx(50 + 400 * 5 / 15)
    # after the end, everything
    assert planned_to_date(500, D(2026, 12, 11), project=PROJECT, split=SPLIT) == 500


def test_gmv_planned_for_the_peak_is_not_red_in_the_warm_up():
    """A KPI whose whole target falls in 爆发期 has no pace (and no light) during 预热期, even
    with nothing sold; spread over the project it would have been red."""
    peak_only = ((WARMUP, 0.0), (PEAK, 500.0), (TAIL, 0.0))
    for day in (D(2026, 11, 1), D(2026, 11, 8), D(2026, 11, 16)):
        row = kpi_pace("GMV", "", 500, 0, day, project=PROJECT, split=peak_only)
        assert row.planned == 0
        assert row.pace is None and row.light is None
    spread = kpi_pace("GMV", "", 500, 0, D(2026, 11, 8), project=PROJECT)
    assert spread.light == Light.RED
    # the peak's second day: a day of it is planned, and nothing sold is red
    row = kpi_pace("GMV", "", 500, 0, D(2026, 11, 17), project=PROJECT, split=peak_only)
    assert row.planned == pytest.approx(500 / 15)
    assert row.light == Light.RED


def test_a_kpi_measured_in_one_phase_is_paced_over_that_phase_only():
    # 新客 target 1000 in 爆发期: none planned before it, half by its middle, all after it
    def at(day: date) -> float | None:
        return planned_to_date(1000, day, project=PROJECT, phase=PEAK)

    assert at(D(2026, 11, 10)) == 0
    assert pace_percent(0, at(D(2026, 11, 10))) is None
    assert at(D(2026, 11, 23)) == pytest.approx(1000 * 7 / 15)
    assert at(D(2026, 12, 5)) == 1000
    row = kpi_pace("新客", "", 1000, 900, D(2026, 12, 5), project=PROJECT, phase=PEAK)
    assert (row.pace, row.light) == (90.0, Light.YELLOW)


def test_a_split_phase_without_dates_counts_once_the_project_is_over():
    split = ((WARMUP, 100.0), (None, 100.0))
    assert planned_to_date(200, D(2026, 11, 20), project=PROJECT, split=split) == 100
    assert planned_to_date(200, D(2026, 12, 11), project=PROJECT, split=split) == 200


@pytest.mark.parametrize(
    ("actual", "light"),
    [
        (0, Light.RED),
        (79.99, Light.RED),
        (80, Light.YELLOW),
        (99.99, Light.YELLOW),
        (100, Light.GREEN),
        (132, Light.GREEN),
    ],
)
def test_the_light_changes_at_exactly_80_and_100_percent(actual, light):
    pace = pace_percent(actual, 100)
    assert pace == actual
    assert pace_light(pace) == light
    # the same through a real plan: 250 planned by 11-21
    row = kpi_pace("GMV", "", 500, actual * 2.5, D(2026, 11, 21), project=PROJECT)
    assert row.light == light


def test_no_actual_yet_is_zero_once_something_was_planned():
    assert pace_percent(None, 100) == 0.0
    assert pace_light(None) is None
    assert pace_percent(10, 0) is None


# --- buffer and forecast ----------------------------------------------------------------------


def test_the_buffer_is_the_last_share_of_the_project():
    assert buffer_days(PROJECT, 20) == 8
    assert buffer_days(PROJECT, 0) == 0
    # half a day rounds up, the same way every time (not to the even number)
    assert buffer_days(Span(D(2026, 11, 1), D(2026, 11, 10)), 25) == 3  # 2.5
    assert buffer_days(Span(D(2026, 11, 1), D(2026, 11, 30)), 25) == 8  # 7.5
    state = buffer_state(PROJECT, 20, None)
    assert state.planned_finish == D(2026, 12, 2)
    assert (state.used_days, state.used_percent, state.light) == (0, 0.0, Light.GREEN)


@pytest.mark.parametrize(
    ("forecast", "used", "percent", "light"),
    [
        (D(2026, 11, 20), 0, 0.0, Light.GREEN),  # well before the planned finish
        (D(2026, 12, 2), 0, 0.0, Light.GREEN),  # on it: 0%
        (D(2026, 12, 5), 3, 37.5, Light.GREEN),
        (D(2026, 12, 6), 4, 50.0, Light.GREEN),  # exactly half: not yet yellow
        (D(2026, 12, 7), 5, 62.5, Light.YELLOW),  # past half
        (D(2026, 12, 9), 7, 87.5, Light.YELLOW),
        (D(2026, 12, 10), 8, 100.0, Light.RED),  # gone at 100%
        (D(2026, 12, 20), 18, 225.0, Light.RED),  # past the end
    ],
)
def test_buffer_used_at_0_50_and_100_percent(forecast, used, percent, light):
    state = buffer_state(PROJECT, 20, forecast)
    assert (state.used_days, state.used_percent, state.light) == (used, percent, light)


def test_a_zero_day_buffer_is_gone_at_the_first_day_late():
    on_time = buffer_state(PROJECT, 0, D(2026, 12, 10))
    assert (on_time.days, on_time.planned_finish, on_time.light) == (
        0,
        D(2026, 12, 10),
        Light.GREEN,
    )
    late = buffer_state(PROJECT, 0, D(2026, 12, 11))
    assert late.used_days == 1 and late.used_percent == float("inf")
    assert late.light == Light.RED
    verdict = project_light([], late, 0)
    assert verdict.reason == "pace_why_buffer_gone" and verdict.params["used"] == "∞"


def test_forecast_is_the_latest_due_date_of_open_tasks():
    today = D(2026, 11, 26)
    assert forecast_finish([], today) is None
    assert forecast_finish([OpenTask(None)], today) is None  # no due date says nothing
    tasks = [OpenTask(D(2026, 11, 28)), OpenTask(D(2026, 12, 3)), OpenTask(None)]
    assert forecast_finish(tasks, today) == D(2026, 12, 3)


def test_an_overdue_task_finishes_no_earlier_than_tomorrow():
    today = D(2026, 11, 26)
    assert forecast_finish([OpenTask(D(2026, 11, 20))], today) == D(2026, 11, 27)
    assert forecast_finish([OpenTask(today)], today) == today  # due today is not overdue
    # a later task still wins
    later = [OpenTask(D(2026, 11, 20)), OpenTask(D(2026, 12, 1))]
    assert forecast_finish(later, today) == D(2026, 12, 1)


def test_a_blocked_task_finishes_no_earlier_than_its_blockers_age_past_today():
    today = D(2026, 11, 26)
    # blocked for 6 days, due tomorrow: not free for another 6
    task = OpenTask(D(2026, 11, 27), blocked_since=D(2026, 11, 20))
    assert forecast_finish([task], today) == D(2026, 12, 2)
    # blocked today: its own due date stands
    assert forecast_finish([OpenTask(D(2026, 11, 27), today)], today) == D(2026, 11, 27)
    # blocked and overdue: tomorrow at the earliest, its age if that is later
    assert forecast_finish([OpenTask(D(2026, 11, 1), D(2026, 11, 25))], today) == D(2026, 11, 27)
    assert forecast_finish([OpenTask(D(2026, 11, 1), D(2026, 11, 16))], today) == D(2026, 12, 6)
    # due far after its blocker's age: the due date
    assert forecast_finish([OpenTask(D(2026, 12, 9), D(2026, 11, 24))], today) == D(2026, 12, 9)


def test_the_forecast_used_as_the_issue_says():
    """Open tasks on 11-26: one overdue, one blocked 6 days; planned finish 12-02, buffer 8 days:
    the forecast 12-02 uses none of it; a task due 12-07 uses 5 of 8 days (62.5%, yellow)."""
    today = D(2026, 11, 26)
    tasks = [OpenTask(D(2026, 11, 25)), OpenTask(D(2026, 11, 28), D(2026, 11, 20))]
    forecast = forecast_finish(tasks, today)
    assert forecast == D(2026, 12, 2)
    assert buffer_state(PROJECT, 20, forecast).light == Light.GREEN
    forecast = forecast_finish([*tasks, OpenTask(D(2026, 12, 7))], today)
    assert buffer_state(PROJECT, 20, forecast).used_percent == 62.5


# --- across a DST change and a year end (pure) -------------------------------------------------


def test_a_span_across_dst_changes_counts_calendar_days():
    # America/New_York springs forward 2026-03-08, Europe falls back 2026-10-25: days are dates
    spring = Span(D(2026, 3, 1), D(2026, 3, 15))
    autumn = Span(D(2026, 10, 20), D(2026, 10, 30))
    assert spring.days == 15 and autumn.days == 11
    assert spring.done_share(D(2026, 3, 9)) == 8 / 15
    assert autumn.done_share(D(2026, 10, 26)) == 6 / 11
    assert buffer_state(spring, 20, D(2026, 3, 14)).used_days == 2  # planned finish 03-12


def test_a_span_across_the_year_end():
    span = Span(D(2026, 12, 20), D(2027, 1, 10))  # 22 days
    assert span.days == 22
    assert span.done_share(D(2027, 1, 1)) == 12 / 22
    assert planned_to_date(220, D(2027, 1, 1), project=span) == pytest.approx(120)
    state = buffer_state(span, 20, D(2027, 1, 8))
    assert state.days == 4 and state.planned_finish == D(2027, 1, 6)
    assert (state.used_days, state.used_percent, state.light) == (2, 50.0, Light.GREEN)
    assert forecast_finish([OpenTask(D(2026, 12, 30))], D(2026, 12, 31)) == D(2027, 1, 1)
    blocked = OpenTask(D(2026, 12, 31), blocked_since=D(2026, 12, 27))
    assert forecast_finish([blocked], D(2026, 12, 31)) == D(2027, 1, 4)


# --- the project's light --------------------------------------------------------------------


def _kpi(pace: float | None, name: str = "GMV", label: str = "") -> KpiPace:
    return KpiPace(name, label, None, 100.0, pace, pace_light(pace))


def _buffer(percent: float) -> Buffer:
    light = Light.RED if percent >= 100 else Light.YELLOW if percent > 50 else Light.GREEN
    return Buffer(10, D(2026, 12, 1), D(2026, 12, 1), int(percent / 10), percent, light)


@pytest.mark.parametrize(
    ("kpis", "buffer", "red_tasks", "light", "reason"),
    [
        ([_kpi(70), _kpi(120)], _buffer(0), 0, Light.RED, "pace_why_kpi_red"),
        ([_kpi(79.99)], None, 0, Light.RED, "pace_why_kpi_red"),
        ([_kpi(120)], _buffer(100), 0, Light.RED, "pace_why_buffer_gone"),
        ([], _buffer(150), 3, Light.RED, "pace_why_buffer_gone"),
        # a red KPI decides before a spent buffer: it names the KPI
        ([_kpi(50)], _buffer(100), 0, Light.RED, "pace_why_kpi_red"),
        ([_kpi(80)], _buffer(0), 0, Light.YELLOW, "pace_why_kpi_yellow"),
        ([_kpi(99.99)], _buffer(60), 5, Light.YELLOW, "pace_why_kpi_yellow"),
        ([_kpi(100)], _buffer(60), 0, Light.YELLOW, "pace_why_buffer_half"),
        ([_kpi(100)], _buffer(50), 0, Light.GREEN, "pace_why_green"),
        # one late task never turns a campaign red
        ([_kpi(100)], _buffer(10), 1, Light.YELLOW, "pace_why_red_tasks"),
        ([], None, 40, Light.YELLOW, "pace_why_red_tasks"),
        ([_kpi(None)], _buffer(0), 0, Light.GREEN, "pace_why_green"),
        ([], None, 0, Light.GREEN, "pace_why_green"),
    ],
)
def test_the_project_light_table(kpis, buffer, red_tasks, light, reason):
    verdict = project_light(kpis, buffer, red_tasks)
    assert (verdict.light, verdict.reason) == (light, reason)


def test_the_reason_names_the_worst_kpi_its_label_and_the_buffer():
    verdict = project_light([_kpi(132, label="线下"), _kpi(64, label="电商")], _buffer(0), 0)
    assert dict(verdict.params) == {"kpi": "GMV", "label": "电商 ", "pace": 64}
    verdict = project_light([], _buffer(62.5), 0)
    assert dict(verdict.params) == {"used": "62", "days": 6, "buffer": 10}
    assert project_light([], None, 2).params == {"count": 2}


def test_worst_kpi_and_the_move_suggestion():
    rows = [_kpi(132, label="线下"), _kpi(64, label="电商"), _kpi(90, name="UV")]
    assert worst_kpi(rows) == rows[1]
    assert worst_kpi([_kpi(None)]) is None
    move = move_suggestion(rows, "gmv")
    assert move is not None and (move.behind.label, move.ahead.label) == ("电商", "线下")
    assert move_suggestion([_kpi(64, label="电商"), _kpi(90, label="线下")], "gmv") is None


# --- the same rules read from the database: a channel's zone, DST and the year end -------------


_NUMBERS = itertools.count(1)


def _plan_state(
    db, now: datetime, tz: str, project: tuple[date, date], tasks, kpi=None, name: str = "plan"
):
    """A plan with open tasks (due, blocked since), optionally a KPI (target, actual, split by
    phase), judged by plan_state.state in a channel of zone `tz` at `now`."""
    from handlers import plan_state
    from handlers.context import Context, CoreConfig, Env
    from storage.models import Blocker, Kpi, KpiActual, KpiSplit, Phase, Project, Task, TaskStatus

    ctx = Context(
        db=db,
        platform="console",
        workspace="w",
        channel="c",
        user="alice",
        now=now,
        config=CoreConfig(default_tz=tz),
    )
    with Session(db.engine) as s:
        env = Env.load(s, ctx)
        plan = Project(
            workspace_id=env.ws.id,
            name=name,
            key=name,
            created_at=now,
            is_plan=True,
            start_date=project[0],
            end_date=project[1],
            buffer_pct=20,
        )
        s.add(plan)
        s.flush()
        for n, (due, blocked_since) in enumerate(tasks, start=1):
            task = Task(
                workspace_id=env.ws.id,
                number=next(_NUMBERS),
                title=f"t{n}",
                channel_id=env.channel.id,
                creator_id=env.me.id,
                project_id=plan.id,
                due_date=due,
                status=TaskStatus.BLOCKED if blocked_since else TaskStatus.TO_DO,
                created_at=now - timedelta(days=30),
                updated_at=now,
            )
            s.add(task)
            s.flush()
            if blocked_since:
                s.add(
                    Blocker(
                        task_id=task.id,
                        reason="waiting",
                        reported_by_id=env.me.id,
                        reported_at=blocked_since,
                    )
                )
        if kpi is not None:
            target, actual, phases = kpi
            row = Kpi(
                project_id=plan.id,
                name="GMV",
                key="gmv",
                target=target,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            for i, (start, end, amount) in enumerate(phases):
                phase = Phase(
                    project_id=plan.id,
                    name=f"p{i}",
                    key=f"p{i}",
                    start_date=start,
                    end_date=end,
                    created_at=now,
                    updated_at=now,
                )
                s.add(phase)
                s.flush()
                s.add(KpiSplit(kpi_id=row.id, phase_id=phase.id, amount=amount))
            s.add(KpiActual(kpi_id=row.id, value=actual, at=now))
        s.flush()
        found = s.exec(select(Project).where(Project.id == plan.id)).one()
        return env.today, plan_state.state(env, found)


def test_plan_state_across_spring_forward_in_new_york(db):
    """2026-03-09 07:30 UTC is 03:30 on Monday in New York, the day after clocks sprang forward
    (a 23-hour Sunday). A blocker reported Friday 03-06 22:00 local (03:00 UTC Saturday) is 3
    days old by New York's calendar, not 2 by a count of 24-hour spans, nor 4 by UTC dates."""
    now = datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    blocked = datetime(2026, 3, 7, 3, 0, tzinfo=UTC)  # Fri 03-06 22:00 EST
    today, state = _plan_state(
        db,
        now,
        "America/New_York",
        (D(2026, 3, 1), D(2026, 3, 20)),  # 20 days, buffer 4: planned finish 03-16
        [(D(2026, 3, 10), blocked), (D(2026, 3, 5), None)],
    )
    assert today == D(2026, 3, 9)
    assert state.buffer is not None
    assert state.buffer.forecast == D(2026, 3, 12)  # 03-09 + 3 days
    assert state.buffer.planned_finish == D(2026, 3, 16)
    assert state.red_tasks == 2  # blocked, and overdue
    assert state.verdict.reason == "pace_why_red_tasks"


def test_plan_state_across_fall_back_in_europe_with_a_split_kpi(db):
    """Europe/Berlin falls back on 2026-10-25 (a 25-hour Sunday). On Tuesday 10-27 00:30 local
    (10-26 23:30 UTC: still Monday by UTC) the KPI's phase 10-20..10-29 (10 days) has 7 days
    over, not 6: the channel's calendar decides."""
    now = datetime(2026, 10, 26, 23, 30, tzinfo=UTC)
    today, state = _plan_state(
        db,
        now,
        "Europe/Berlin",
        (D(2026, 10, 20), D(2026, 11, 8)),
        [],
        kpi=(1000, 560, [(D(2026, 10, 20), D(2026, 10, 29), 1000)]),
    )
    assert today == D(2026, 10, 27)
    [row] = state.kpis
    assert row.pace.planned == pytest.approx(700)
    assert row.pace.pace == 80.0 and row.pace.light == Light.YELLOW
    assert state.verdict.light == Light.YELLOW and state.verdict.reason == "pace_why_kpi_yellow"


def test_plan_state_across_the_year_end_in_shanghai(db):
    """12-20..01-10, buffer 4 days (planned finish 01-06). On 2027-01-01 09:00 in Shanghai
    (12-31 UTC): a task overdue since 12-30 counts from tomorrow (01-02); one blocked since
    12-28 local is 4 days old: free 01-05 at the earliest; one due 01-08 uses 2 of 4 days."""
    now = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    today, state = _plan_state(
        db,
        now,
        "Asia/Shanghai",
        (D(2026, 12, 20), D(2027, 1, 10)),
        [
            (D(2026, 12, 30), None),
            (D(2027, 1, 2), datetime(2026, 12, 27, 17, 0, tzinfo=UTC)),  # 12-28 01:00 local
        ],
    )
    assert today == D(2027, 1, 1)
    assert state.buffer is not None and state.buffer.forecast == D(2027, 1, 5)
    assert state.buffer.used_days == 0 and state.buffer.light == Light.GREEN
    assert state.verdict.reason == "pace_why_red_tasks" and state.verdict.light == Light.YELLOW
    today, state = _plan_state(
        db,
        now,
        "Asia/Shanghai",
        (D(2026, 12, 20), D(2027, 1, 10)),
        [(D(2027, 1, 8), None)],
        name="later",
    )
    assert state.buffer is not None
    assert (state.buffer.used_days, state.buffer.used_percent) == (2, 50.0)
    assert state.verdict.light == Light.GREEN  # exactly half is not yellow
