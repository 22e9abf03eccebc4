"""The weekly digest's lines for plans (issue 12): each open plan's line carries the phase now
running, the worst KPI with its pace, the buffer used and the plan's light with what decided it;
its thread reply has those as fields and the remedy of each red KPI (the owner's, or moving
resources between diverging labels, or a prompt to set one). Tags keep the task lines. Posted as
Block Kit to Slack and as coloured markdown to WeCom, within each platform's limits, never cut.
Phases, KPIs, splits and actuals are made as rows; `now` is Monday 2026-11-30 10:00 Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.console import ConsoleBot
from bot.delivery import Delivery
from bot.pacing import Pacer
from handlers.reply import Light
from storage.models import Channel, Kpi, KpiActual, KpiSplit, Phase, Project
from tests.test_delivery import CONFIG, _wecom_door, on_platform

MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
EARLIER = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PLAN = 'project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" buffer:20%'
WAN = 10_000.0


def _project(s: Session, name: str) -> Project:
    return s.exec(select(Project).where(Project.name == name)).one()


def add_phases(db, name: str) -> dict[str, int]:
    """预热期 11-01..11-15, 爆发期 11-16..12-05 (running on 11-30), 长尾期 12-06..12-10."""
    with Session(db.engine) as s:
        project = _project(s, name)
        ids = {}
        for phase, start, end in (
            ("预热期", date(2026, 11, 1), date(2026, 11, 15)),
            ("爆发期", date(2026, 11, 16), date(2026, 12, 5)),
            ("长尾期", date(2026, 12, 6), date(2026, 12, 10)),
        ):
            row = Phase(
                project_id=project.id,
                name=phase,
                key=phase.casefold(),
                start_date=start,
                end_date=end,
                created_at=EARLIER,
                updated_at=EARLIER,
            )
            s.add(row)
            s.flush()
            ids[phase] = row.id
        s.commit()
        return ids


def add_kpi(
    db,
    project: str,
    name: str,
    target: float,
    actuals: list[float],
    *,
    label: str = "",
    split: dict[int, float] | None = None,
    remedy: str | None = None,
) -> None:
    """A KPI row with its split and a history of actuals a day apart (the last one counts)."""
    with Session(db.engine) as s:
        p = _project(s, project)
        kpi = Kpi(
            project_id=p.id,
            name=name,
            key=name.casefold(),
            label=label,
            target=target,
            remedy=remedy,
            created_at=EARLIER,
            updated_at=EARLIER,
        )
        s.add(kpi)
        s.flush()
        for phase_id, amount in (split or {}).items():
            s.add(KpiSplit(kpi_id=kpi.id, phase_id=phase_id, amount=amount))
        for n, value in enumerate(actuals):
            s.add(KpiActual(kpi_id=kpi.id, value=value, at=EARLIER + timedelta(days=n)))
        s.commit()


def double11(db) -> ConsoleBot:
    """The plan, behind on 新客 (41% of pace, with the owner's remedy) and on GMV 电商 (51%, while
    线下 is at 136%); buffer 3 of 8 days used; a tag project beside it."""
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=EARLIER)
    bot.say(PLAN)
    bot.say("add 直播脚本 due:2026-12-05 +双11大促")
    bot.say("add Press kit due:2026-12-20 +launch")
    phases = add_phases(db, "双11大促")
    warm, peak, tail = phases["预热期"], phases["爆发期"], phases["长尾期"]
    # planned to date on 11-30: 30万 + 240万 × 14/20 = 198万; actual 100万 → 50.5%
    add_kpi(
        db,
        "双11大促",
        "GMV",
        300 * WAN,
        [40 * WAN, 100 * WAN],
        label="电商",
        split={warm: 30 * WAN, peak: 240 * WAN, tail: 30 * WAN},
    )
    # planned 20万 + 160万 × 0.7 = 132万; actual 180万 → 136%
    add_kpi(
        db,
        "双11大促",
        "GMV",
        200 * WAN,
        [180 * WAN],
        label="线下",
        split={warm: 20 * WAN, peak: 160 * WAN, tail: 20 * WAN},
    )
    # no split: 10000 × 29/40 = 7250 planned; 3000 → 41%
    add_kpi(db, "双11大促", "新客", 10_000, [1000, 3000], remedy="追加直播投放预算")
    bot.now = MONDAY
    return bot


def test_a_plans_digest_line_has_phase_worst_kpi_buffer_and_why(db):
    bot = double11(db)
    reply = bot.reply("digest")
    lines = {line.text.split(" — ")[0]: line for line in reply.lines}
    plan = lines["+双11大促"]
    assert plan.light == Light.RED
    assert plan.text == (
        "+双11大促 — KPI 新客 at 41% of pace (under 80%) · phase 爆发期 · 新客 at 41% of pace"
        " · buffer 38% used (3 of 8 days) · 🟨"
    )
    assert lines["+launch"].text == "+launch — 1 yellow: #2 · 🟨"  # a tag: as before
    assert reply.light == Light.RED


def test_a_plans_thread_reply_has_fields_and_each_red_kpis_remedy(db):
    bot = double11(db)
    reply = bot.reply("digest")
    [thread] = [r for r in reply.thread if r.title.startswith("+双11大促")]
    assert thread.title == "+双11大促 — KPI 新客 at 41% of pace (under 80%)"
    assert thread.light == Light.RED
    assert thread.fields == [
        ("Phase", "phase 爆发期"),
        ("Worst KPI", "🔴 新客 at 41% of pace"),
        ("Buffer", "🟢 buffer 38% used (3 of 8 days)"),
    ]
    remedies = [line.text for line in thread.lines if line.light == Light.RED]
    assert remedies == [
        "新客 at 41% of pace — remedy: 追加直播投放预算",  # the owner's own, worst first
        "GMV 电商 at 51% of pace — 电商 51% vs 线下 136%: move resources from 线下 to 电商",
    ]
    [tag] = [r for r in reply.thread if r.title.startswith("+launch")]
    assert tag.fields == [] and tag.title == "+launch — 1 yellow: #2"


def test_a_red_kpi_without_a_remedy_or_a_label_to_move_from_asks_for_one(db):
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=EARLIER)
    bot.say('project new Spring 2026-11-01..2026-12-10 goal:"10k sign-ups"')
    bot.say("add Landing page due:2026-12-01 +Spring")
    add_kpi(db, "Spring", "sign-ups", 10_000, [500])
    bot.now = MONDAY
    reply = bot.reply("digest")
    [thread] = [r for r in reply.thread if r.title.startswith("+Spring")]
    assert next(line.text for line in thread.lines if line.light == Light.RED) == (
        'sign-ups at 7% of pace — no remedy yet: `kpi sign-ups remedy:"…"`'
    )
    assert ("Phase", "no phase running") in thread.fields


def test_a_plan_with_no_kpi_and_its_buffer_half_gone_is_yellow_for_the_buffer(db):
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=EARLIER)
    bot.say("project new 年货节 2026-11-01..2026-12-10")  # planned finish 12-02, 8 days buffer
    bot.say("add 备货 due:2026-12-07 +年货节")  # 5 of 8 days: 62%
    bot.now = MONDAY
    reply = bot.reply("digest")
    [line] = [x for x in reply.lines if x.text.startswith("+年货节")]
    assert line.light == Light.YELLOW
    assert line.text.startswith(
        "+年货节 — buffer over half used: 62% (5 of 8 days) · no phase running · no KPI paced yet"
        " · buffer 62% used (5 of 8 days)"
    )


def test_the_plan_lines_in_chinese(db):
    bot = double11(db)
    bot.say("settings lang zh")
    reply = bot.reply("周报")
    [line] = [x for x in reply.lines if x.text.startswith("+双11大促")]
    assert line.text == (
        "+双11大促 — 指标 新客 进度 41%（低于 80%） · 阶段 爆发期 · 新客 进度 41%"
        " · 缓冲已用 38%（8 天中的 3 天） · 🟨"
    )
    [thread] = [r for r in reply.thread if r.title.startswith("+双11大促")]
    assert ("最落后指标", "🔴 新客 进度 41%") in thread.fields
    assert "GMV 电商 进度 51% — 电商 51% vs 线下 136%：建议把资源从线下调往电商" in [
        x.text for x in thread.lines
    ]


def test_a_closed_plan_keeps_the_task_lines(db):
    bot = double11(db)
    with Session(db.engine) as s:
        p = _project(s, "双11大促")
        p.status = "closed"
        s.add(p)
        s.commit()
    [line] = [x for x in bot.reply("digest").lines if x.text.startswith("+双11大促")]
    assert line.text == "+双11大促 — 1 yellow: #1 · 🟨"


# --- through the platforms -----------------------------------------------------------------------


def _slack_digest(db) -> list:
    from slack_sdk import WebClient

    from bot.slack import SlackPoster
    from tests.fakes import slack as fk
    from tests.fakes.blockkit import assert_block_kit_limits

    with fk.FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        pacer = Pacer(limit=1000, per=1.0, clock=lambda: 0.0, sleep=lambda _s: None)
        d = Delivery(db, CONFIG, {"slack": SlackPoster(client, pacer)})
        assert [o.result for o in d.run("digest", MONDAY)] == ["sent"]
        posts = [call.params for call in fake.calls_to("chat.postMessage")]
    for post in posts:
        assert_block_kit_limits(post)
    return posts


def _texts(blocks: list[dict]) -> str:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(f["text"] for f in block.get("fields", ()))
        out.extend(e.get("text", "") for e in block.get("elements", ()))
    return "\n".join(out)


def test_slack_gets_a_header_per_plan_and_a_section_with_kpi_and_buffer_fields(db):
    double11(db)
    on_platform(db, "slack", channel="C1")
    parent, *replies = _slack_digest(db)
    assert not parent.get("thread_ts") and all(r["thread_ts"] for r in replies)
    assert "phase 爆发期 · 新客 at 41% of pace" in _texts(parent["blocks"])
    [plan] = [r for r in replies if "双11大促" in r["blocks"][0]["text"]["text"]]
    head, fields, *rest = plan["blocks"]
    assert head["type"] == "header"
    assert head["text"]["text"] == "🔴 +双11大促 — KPI 新客 at 41% of pace (under 80%)"
    assert fields["type"] == "section"
    assert [f["text"] for f in fields["fields"]] == [
        "*Phase*\nphase 爆发期",
        "*Worst KPI*\n🔴 新客 at 41% of pace",
        "*Buffer*\n🟢 buffer 38% used (3 of 8 days)",
    ]
    body = _texts(rest)
    assert "remedy: 追加直播投放预算" in body
    assert "move resources from 线下 to 电商" in body
    [tag] = [r for r in replies if "+launch" in r["blocks"][0]["text"]["text"]]
    assert not any("fields" in b for b in tag["blocks"])  # a tag: no plan fields


def test_wecom_gets_markdown_with_the_lights_in_colour(db):
    from tests.fakes import wecom as fw

    double11(db)
    with fw.FakeWeCom(corp_id="wwcorp", secret="app-secret") as fake:
        on_platform(
            db, "wecom", workspace="wwcorp", channel="wrk-chat-1", webhook=fake.webhook_url("k1")
        )
        d = _wecom_door(db, fake)
        assert [o.result for o in d.run("digest", MONDAY)] == ["sent"]
        sent = fake.webhook_posts("k1")
        posts = [p["markdown"]["content"] for p in sent if p["msgtype"] == "markdown"]
        images = fake.robot_images("k1")
    # each red or yellow project's Gantt, right after its thread post (+launch, +双11大促)
    after = [
        sent[i - 1]["markdown"]["content"] for i, p in enumerate(sent) if p["msgtype"] == "image"
    ]
    assert [a.split("**")[1].split(" ")[0] for a in after] == ["+launch", "+双11大促"]
    assert len(images) == 2 and all(i.startswith(b"\x89PNG") for i in images)
    assert all(len(p.encode()) <= 4096 for p in posts)
    assert "+双11大促" in posts[0] and "buffer 38% used" in posts[0]
    [plan] = [p for p in posts[1:] if "双11大促" in p.splitlines()[0]]
    assert plan.splitlines()[0].startswith('<font color="warning">🔴</font> **+双11大促')
    assert '> Worst KPI：<font color="warning">🔴</font> 新客 at 41% of pace' in plan
    assert '> Buffer：<font color="info">🟢</font> buffer 38% used (3 of 8 days)' in plan
    assert '<font color="warning">🔴</font> 新客 at 41% of pace — remedy: 追加直播投放预算' in plan


@pytest.fixture
def many_plans(db):
    """40 plans with names of 100 characters, each with a red KPI whose remedy is long: more
    than one Slack message holds, more than one WeCom message holds."""
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=EARLIER)
    names = [f"{n:02d}" + "大促活动" * 24 + "ab" for n in range(40)]
    for name in names:
        assert len(name) == 100
        bot.say(f"project new {name} 2026-11-01..2026-12-10")
        bot.say(f"add 任务 due:2026-12-01 +{name}")
        add_kpi(db, name, "GMV", 100 * WAN, [10 * WAN], remedy="加大投放" * 200)
    bot.now = MONDAY
    return names


def test_a_long_digest_is_split_never_cut_on_slack(db, many_plans):
    on_platform(db, "slack", channel="C1")
    posts = _slack_digest(db)
    parents = [p for p in posts if not p.get("thread_ts")]
    assert len(parents) == 1
    everything = "\n".join(_texts(p["blocks"]) for p in posts)
    for name in many_plans:
        assert everything.count(f"+{name} — KPI GMV at 14% of pace (under 80%)") >= 2
    assert everything.count("加大投放" * 200) == 40  # each remedy whole, in its section(s)…
    assert all(len(p["blocks"]) <= 50 for p in posts)


def test_a_long_digest_is_split_never_cut_on_wecom(db, many_plans):
    from tests.fakes import wecom as fw

    with fw.FakeWeCom(corp_id="wwcorp", secret="app-secret") as fake:
        on_platform(
            db, "wecom", workspace="wwcorp", channel="wrk-chat-1", webhook=fake.webhook_url("k1")
        )
        with Session(db.engine) as s:  # words only: the charts' parts are test_pictures_wecom
            s.exec(select(Channel)).one().digest_charts = False
            s.commit()
        d = _wecom_door(db, fake)
        # 20 messages a minute: a pinned clock that moves only when the pacer waits
        waited: list[float] = []
        poster = d.posters["wecom"]
        poster.sender.pacer = Pacer(clock=lambda: sum(waited), sleep=waited.append)
        assert [o.result for o in d.run("digest", MONDAY)] == ["sent"]
        posts = [p["markdown"]["content"] for p in fake.webhook_posts("k1")]
    assert all(len(p.encode()) <= 4096 for p in posts)
    joined = "".join(posts)
    for name in many_plans:
        assert f"+{name} — KPI GMV at 14% of pace" in joined
    assert len(posts) > 41  # the summary took more than one message
    assert sum(1 for p in posts if "(1/" in p) >= 1


def test_latest_actuals_is_the_newest_by_its_moment_not_by_when_it_was_stored(db):
    """An import of an older day after a newer number does not replace it; on the same moment
    the one stored last counts; a KPI without actuals has none."""
    from storage import queries

    double11(db)
    with Session(db.engine) as s:
        kpis = {(k.key, k.label): k for k in s.exec(select(Kpi))}
        gmv, new = kpis[("gmv", "电商")], kpis[("新客", "")]
        s.add(KpiActual(kpi_id=gmv.id, value=1.0, at=EARLIER - timedelta(days=30)))  # older day
        s.add(KpiActual(kpi_id=new.id, value=3500, at=EARLIER + timedelta(days=1)))  # same moment
        s.commit()
        empty = Kpi(
            project_id=gmv.project_id,
            name="ROI",
            key="roi",
            target=3,
            created_at=EARLIER,
            updated_at=EARLIER,
        )
        s.add(empty)
        s.commit()
        latest = queries.latest_actuals(s, [gmv.id, new.id, empty.id])
    assert latest[gmv.id].value == 100 * WAN
    assert latest[new.id].value == 3500
    assert empty.id not in latest


def test_many_plans_at_once_are_judged_as_one_plan_is(db):
    """plan_state.states (the digest's, read in one query a table) says what plan_state.state
    says of each plan: the same phase, KPI paces, buffer, red count and verdict."""
    from handlers import Context, plan_state
    from handlers.context import Env

    double11(db)
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=EARLIER)
    bot.say("project new 年货节 2026-11-01..2026-12-10")
    bot.say("add 备货 due:2026-11-25 +年货节")
    bot.say("block 3 供应商延期")
    ctx = Context(
        db=db, platform="console", workspace="console", channel="general", user="alice", now=MONDAY
    )
    with db.session() as s:
        env = Env.load(s, ctx)
        plans = list(s.exec(select(Project).where(Project.is_plan)))
        many = plan_state.states(env, plans)
        assert set(many) == {p.id for p in plans}
        for p in plans:
            one = plan_state.state(env, p)
            assert many[p.id].verdict == one.verdict
            assert many[p.id].buffer == one.buffer
            assert [r.pace for r in many[p.id].kpis] == [r.pace for r in one.kpis]
            assert many[p.id].red_tasks == one.red_tasks
            assert many[p.id].current == one.current
            assert many[p.id].tasks == [] and many[p.id].lights == {}  # counted, not read
    assert many[next(p.id for p in plans if p.name == "年货节")].red_tasks == 1
