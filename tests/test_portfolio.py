"""`portfolio` / `全局`: every open project of the workspace across channels, worst first, for
managers and admins; anyone else their own open tasks. The batched reading behind it
(plan_state.summaries) must judge each plan exactly as plan_state.state does, in a number of
queries that does not grow with the number of projects. Today is pinned to Thursday 2026-11-26
(tests/conftest.py NOW). KPI rows are made directly (the kpi commands are another part)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from handlers import plan_state
from handlers.context import Context, Env
from handlers.messages import t
from storage.models import Kpi, KpiActual, KpiSplit, Phase, Project
from tests.conftest import NOW, snapshot


def add_kpi(db, project: str, name: str, target: float, actual: float | None, **kw) -> None:
    """A KPI of `project` with its latest actual (an older one too, to prove the latest counts);
    `split`: [(phase name, start, end, amount)]; `label`."""
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == project)).one()
        kpi = Kpi(
            project_id=plan.id,
            name=name,
            key=name.casefold(),
            label=kw.get("label", ""),
            target=target,
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(kpi)
        s.flush()
        for phase_name, start, end, amount in kw.get("split", []):
            phase = s.exec(
                select(Phase).where(Phase.project_id == plan.id, Phase.key == phase_name)
            ).first()
            if phase is None:
                phase = Phase(
                    project_id=plan.id,
                    name=phase_name,
                    key=phase_name,
                    start_date=start,
                    end_date=end,
                    created_at=NOW,
                    updated_at=NOW,
                )
                s.add(phase)
                s.flush()
            s.add(KpiSplit(kpi_id=kpi.id, phase_id=phase.id, amount=amount))
        if actual is not None:
            s.add(KpiActual(kpi_id=kpi.id, value=actual * 10, at=NOW - timedelta(days=9)))
            s.add(KpiActual(kpi_id=kpi.id, value=actual, at=NOW - timedelta(hours=1)))
        s.commit()


def campaign(bot, make_bot, db) -> None:
    """Three plans and a tag, in two channels:
    - 双11大促 11-01..12-10: GMV 电商 behind (red by pace), a red task: red by its KPI;
    - 年货节 11-10..12-05: KPIs on pace, a task due 12-04 uses 3 of 5 buffer days: yellow;
    - Launch 11-20..12-31: on pace, nothing late: green;
    - +misc, a tag with an overdue task in #random: yellow (a red task);
    - +done-tag, a tag whose only task is done, and Old, closed: not in the portfolio."""
    phases = [
        ("预热期", date(2026, 11, 1), date(2026, 11, 15), 50.0),
        ("爆发期", date(2026, 11, 16), date(2026, 11, 30), 400.0),
        ("长尾期", date(2026, 12, 1), date(2026, 12, 10), 50.0),
    ]
    bot.say('project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" @王芳')
    bot.say("add Poster +双11大促 due:2026-11-20")
    bot.say("add Live show +双11大促 due:2026-12-01")
    # planned by 11-26: 50 + 400 × 10/15 ≈ 316.7: 电商 63%, 线下 133%
    add_kpi(db, "双11大促", "GMV", 500, 200, label="电商", split=phases)
    add_kpi(db, "双11大促", "GMV", 500, 420, label="线下", split=phases)
    bot.say('project new 年货节 2026-11-10..2026-12-05 goal:"订单 1万"')  # 26 days, 5 buffer
    bot.say("add Gift boxes +年货节 due:2026-12-04")  # planned finish 11-30: 4 of 5 days
    add_kpi(db, "年货节", "订单", 10000, 6000)  # 16/26 planned: 6153 → 97.5%: yellow
    bot.say('project new Launch 2026-11-20..2026-12-31 goal:"10k sign-ups"')
    bot.say("add Landing page +launch due:2026-12-10")
    add_kpi(db, "Launch", "sign-ups", 10000, 2000)  # 6/42 planned: 1428 → 140%
    random = make_bot(user="alice", channel="random", admins=["alice"])
    random.say("add Old invoice +misc due:2026-11-02")
    bot.say("add Finished +done-tag")
    bot.say("done 6")
    bot.say("project new Old 2026-10-01..2026-10-31")
    bot.say("project close +Old")


def test_the_portfolio_worst_first_across_channels(bot, make_bot, db):
    campaign(bot, make_bot, db)
    before = snapshot(db)
    reply = bot.reply("portfolio")
    assert not reply.error and not reply.public
    assert snapshot(db) == before
    out = bot.say("portfolio").splitlines()
    assert out[0] == "🔴 Portfolio · 4 open project(s)"
    assert out[1:] == [
        "  🔴 +双11大促 · GMV 电商 at 63% of pace · buffer 0% used (0/8 d)"
        " · forecast Tue Dec 1 vs planned Wed Dec 2 · 1 red",
        "  🟡 +年货节 · 订单 at 98% of pace · buffer 80% used (4/5 d)"
        " · forecast Fri Dec 4 vs planned Mon Nov 30 · 0 red",
        "  🟡 +misc · tag, not planned · 1 red",
        "  🟢 +Launch · sign-ups at 140% of pace · buffer 0% used (0/8 d)"
        " · forecast Thu Dec 10 vs planned Wed Dec 23 · 0 red",
    ]
    zh = bot.say("全局").splitlines()
    assert zh[0] == "🔴 全局 · 4 个进行中的项目"
    assert zh[1] == (
        "  🔴 +双11大促：GMV 电商 进度 63%，缓冲已用 0%（0/8 天），"
        "预测 12月1日 周二，计划 12月2日 周三，1 项红灯"
    )


def test_the_worst_comes_first_by_buffer_then_pace(bot, db):
    bot.say("project new Alpha 2026-11-01..2026-12-10")  # 8 buffer days, planned finish 12-02
    bot.say("add a +alpha due:2026-12-06")  # 4 of 8 used: 50%, green
    bot.say("project new Beta 2026-11-01..2026-12-10")
    bot.say("add b +beta due:2026-12-10")  # 8 of 8: gone, red
    bot.say("project new Gamma 2026-11-01..2026-12-10")
    bot.say("add c +gamma due:2026-12-07")  # 5 of 8: yellow
    lines = bot.say("portfolio").splitlines()[1:]
    assert [line.split(" · ")[0] for line in lines] == ["  🔴 +Beta", "  🟡 +Gamma", "  🟢 +Alpha"]


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_get_their_own_open_tasks_and_why(bot, make_bot, db, role):
    campaign(bot, make_bot, db)
    bot.say("add Bob's poster @bob +双11大促 due:2026-11-25")
    bot.say("add Bob's copy @bob due:2026-12-20")
    other = make_bot(user="bob", channel="random")
    other.say("add Bob's elsewhere @me")
    if role == "viewer":
        bot.say("role @bob viewer")
    out = other.say("portfolio")
    lines = out.splitlines()
    assert lines[0] == "🔴 Your open tasks across channels"
    assert lines[1] == "  " + t("en", "portfolio_mine_why")
    assert "双11大促 · GMV" not in out
    assert [line.split(" · ")[0] for line in lines[2:]] == [
        "  🔴 #7 Bob's poster",
        "  🟢 #8 Bob's copy",
        "  🟢 #9 Bob's elsewhere",
    ]
    zh = other.say("全局").splitlines()
    assert zh[0] == "🔴 你在各频道的进行中任务"


def test_an_empty_portfolio_says_how_to_start(bot):
    out = bot.say("portfolio")
    assert out.splitlines()[:2] == [
        "Portfolio · 0 open project(s)",
        "  " + t("en", "portfolio_empty"),
    ]
    bot.say("/as newbie")
    assert t("en", "portfolio_mine_empty") in bot.say("portfolio")


# --- the batched state is the state ---------------------------------------------------------


def _env(s, db, config, user: str = "alice") -> Env:
    ctx = Context(
        db=db,
        platform="console",
        workspace="console",
        channel="general",
        user=user,
        now=NOW,
        config=config,
    )
    return Env.load(s, ctx)


def test_summaries_judge_every_plan_as_state_does(bot, make_bot, db, config):
    campaign(bot, make_bot, db)
    # blocked tasks: an old blocker with a due date, a blocker on a task without one
    bot.say("add Stuck +launch due:2026-12-20")
    bot.say("block 7 waiting for legal")
    bot.say("add Stuck too +年货节")
    bot.say("block 8 waiting")
    bot.say("add Late and stuck +双11大促 due:2026-11-20")  # red once, not twice
    bot.say("block 9 waiting")
    bot.say("add Doing late +双11大促 due:2026-11-24")
    bot.say("start 10")
    with Session(db.engine) as s:
        from storage.models import Blocker

        for blocker in s.exec(select(Blocker)):
            blocker.reported_at = NOW - timedelta(days=30)
            s.add(blocker)
        s.commit()
    with Session(db.engine) as s:
        env = _env(s, db, config)
        projects = list(s.exec(select(Project)))
        batched = plan_state.summaries(env, projects)
        for project in projects:
            one = plan_state.state(env, project)
            many = batched[project.id]
            assert many.verdict == one.verdict, project.name
            assert many.buffer == one.buffer, project.name
            assert many.red_tasks == one.red_tasks, project.name
            assert many.has_open == bool(one.tasks), project.name
            assert many.kpis == [row.pace for row in one.kpis], project.name
            ids = [phase.id if phase else None for phase in (many.current, one.current)]
            assert ids[0] == ids[1], project.name
    assert any(b.current is not None for b in batched.values())  # 双11大促: 爆发期
    # Launch: the blocker 30 days old pushes the forecast 30 days past today: the buffer is gone
    assert batched[next(p.id for p in projects if p.name == "Launch")].buffer.forecast == (
        date(2026, 12, 26)
    )


def test_the_portfolio_takes_the_same_queries_for_3_plans_or_30(bot, db, config):
    def queries_for_portfolio() -> int:
        statements: list[str] = []

        def count(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert not bot.reply("portfolio").error
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    def plans(first: int, last: int) -> None:
        for n in range(first, last):
            bot.say(f"project new P{n} 2026-11-01..2026-12-10")
            bot.say(f"add Task {n} +p{n} due:2026-12-0{1 + n % 9}")
            if n % 2:
                bot.say(f"block {n + 1} waiting")
            add_kpi(db, f"P{n}", "GMV", 100, 50 + n)

    plans(0, 3)
    few = queries_for_portfolio()
    plans(3, 30)
    assert queries_for_portfolio() == few
