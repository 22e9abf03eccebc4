"""KPIs by pace (issue 12): amounts as people write them, `kpi`/`指标` define, report, remedy,
list and history through the console bot, what `project show` says of each KPI, the CSV import
and `POST /api/kpi` with its workspace token. Today is pinned to Thursday 2026-11-26, in the
middle of 爆发期 (11-16..11-30) of a 双11 plan that runs 11-01..12-10."""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.kpi_import import ImportError_, import_file
from handlers import Context, dispatch
from handlers.errors import UserError
from handlers.messages import t
from handlers.numbers import fmt_amount, read_amount
from storage.models import ApiToken, Kpi, KpiActual, KpiSplit, Phase, Project
from tests.conftest import NOW, count, member, snapshot

# --- amounts -----------------------------------------------------------------------------------

AMOUNTS = [
    ("500万", 5_000_000),
    ("1.2亿", 120_000_000),
    ("10k", 10_000),
    ("10K", 10_000),
    ("2.5m", 2_500_000),
    ("2.5M", 2_500_000),
    ("80%", 80),
    ("80％", 80),
    ("５００万", 5_000_000),
    ("1,200,000", 1_200_000),
    ("１，２００", 1_200),
    ("1,234.5", 1_234.5),
    ("五百万", 5_000_000),
    ("一千二百万", 12_000_000),
    ("两亿三千万", 230_000_000),
    ("十万", 100_000),
    ("1.5千万", 15_000_000),
    ("320万元", 3_200_000),
    ("¥1,000", 1_000),
    ("0", 0),
    ("0.5", 0.5),
    ("3w", 30_000),
]
BAD_AMOUNTS = ["abc", "1,20", "-5", "万", "5x", "", "1.2.3", "五五", "12%%", "1,2345", "1e5"]


@pytest.mark.parametrize(("text", "value"), AMOUNTS, ids=[a for a, _ in AMOUNTS])
def test_amounts_are_read_as_people_write_them(text, value):
    assert read_amount(text) == value


@pytest.mark.parametrize("text", BAD_AMOUNTS)
def test_a_bad_amount_is_named_with_examples(text):
    with pytest.raises(UserError) as err:
        read_amount(text)
    assert err.value.key == "bad_amount"
    assert err.value.params["value"] == (text or "…")
    said = t("en", "bad_amount", **err.value.params)
    assert "500万" in said and "1.2亿" in said and "10k" in said


@pytest.mark.parametrize(
    ("value", "lang", "unit", "shown"),
    [
        (3_200_000, "zh", None, "320万"),
        (120_000_000, "zh", None, "1.2亿"),
        (3_200_000, "en", None, "3.2M"),
        (10_000, "en", None, "10k"),
        (1_200, "en", None, "1,200"),
        (80, "en", "%", "80%"),
        (100_000, "zh", "人", "10万 人"),
        (None, "en", None, "—"),
    ],
)
def test_amounts_are_shown_in_the_channels_words(value, lang, unit, shown):
    assert fmt_amount(value, lang, unit) == shown


# --- a plan with phases ------------------------------------------------------------------------

PHASES = [
    ("预热期", date(2026, 11, 1), date(2026, 11, 15)),
    ("爆发期", date(2026, 11, 16), date(2026, 11, 30)),
    ("长尾期", date(2026, 12, 1), date(2026, 12, 10)),
]
SPLIT = "plan:预热期=25万,爆发期=200万,长尾期=25万"


def make_plan(bot, db, name: str = "双11大促") -> None:
    """The plan, and its phases made straight in the database (`phase add` is another part's)."""
    assert "⚠️" not in bot.say(f"project new {name} 2026-11-01..2026-12-10")
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == name)).one()
        for phase, start, end in PHASES:
            s.add(
                Phase(
                    project_id=plan.id,
                    name=phase,
                    key=phase.casefold(),
                    start_date=start,
                    end_date=end,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        s.commit()


def kpis(db) -> list[Kpi]:
    with Session(db.engine) as s:
        return list(s.exec(select(Kpi).order_by(Kpi.id)))


def actuals(db) -> list[KpiActual]:
    with Session(db.engine) as s:
        return list(s.exec(select(KpiActual).order_by(KpiActual.id)))


@pytest.fixture
def planned(bot, db):
    """双11大促 with GMV by label: 电商 and 线下, 250万 each, split by phase. Planned to date on
    11-26: 25万 (预热期) + 10/15 of 200万 = 158.33万 each."""
    make_plan(bot, db)
    assert "⚠️" not in bot.say(f"kpi +双11大促 GMV target:250万 label:电商 {SPLIT}")
    assert "⚠️" not in bot.say(
        f"指标 +双11大促 GMV 目标:250万 渠道:线下 {SPLIT.replace('plan', '计划')}"
    )
    return bot


def test_a_kpi_is_defined_with_its_label_unit_and_split(bot, db):
    make_plan(bot, db)
    out = bot.say(f"kpi +双11大促 GMV target:250万 unit:元 label:电商 {SPLIT}")
    assert "KPI GMV 电商 defined for +双11大促" in out
    assert "planned to date 1.58M 元" in out and "pace 0%" in out
    [row] = kpis(db)
    assert (row.name, row.key, row.label, row.unit, row.target) == (
        "GMV",
        "gmv",
        "电商",
        "元",
        2_500_000,
    )
    assert row.created_by_id == member(db, "alice").id
    with Session(db.engine) as s:
        split = {
            p.name: sp.amount
            for sp, p in s.exec(select(KpiSplit, Phase).where(KpiSplit.phase_id == Phase.id)).all()
        }
    assert split == {"预热期": 250_000, "爆发期": 2_000_000, "长尾期": 250_000}


def test_defining_it_again_updates_it_and_says_so(planned, db):
    out = planned.say("kpi +双11大促 gmv target:300万 label:电商 plan:爆发期=300万")
    assert "KPI GMV 电商 of +双11大促 updated (it existed)" in out
    assert len(kpis(db)) == 2
    row = next(k for k in kpis(db) if k.label == "电商")
    assert row.target == 3_000_000
    with Session(db.engine) as s:
        amounts = [sp.amount for sp in s.exec(select(KpiSplit).where(KpiSplit.kpi_id == row.id))]
    assert amounts == [3_000_000]  # the split replaced, not added to


def test_a_split_that_does_not_add_up_is_noted_not_refused(bot, db):
    make_plan(bot, db)
    out = bot.say("kpi +双11大促 UV target:10万 plan:预热期=1万,爆发期=5万")
    assert "adds up to 60k, not the target 100k" in out
    assert [k.name for k in kpis(db)] == ["UV"]


def test_a_percent_target_gets_a_percent_unit(bot, db):
    make_plan(bot, db)
    assert "CVR: 0% / 5%" in bot.say("kpi +双11大促 CVR target:5%")


def test_an_unknown_phase_is_named_with_the_phases_there_are(bot, db):
    make_plan(bot, db)
    before = snapshot(db)
    out = bot.say("kpi +双11大促 GMV target:500万 plan:预热期=50万,高潮期=450万")
    assert "+双11大促 has no phase 高潮期 (its phases: 预热期, 爆发期, 长尾期)." in out
    assert snapshot(db) == before


def test_a_reported_number_is_kept_with_who_when_and_where_from(planned, db, make_bot):
    bob = make_bot(user="bob")  # a member: reports numbers
    out = bob.say("kpi GMV 80万 label:电商")
    assert "GMV 电商 of +双11大促: 800k recorded" in out
    assert "GMV 电商: 800k / 2.5M · planned to date 1.58M · pace 51%" in out
    assert out.startswith("🔴")
    out = bob.say("kpi GMV 120万 label:电商")
    assert "pace 76%" in out
    rows = actuals(db)
    assert [a.value for a in rows] == [800_000, 1_200_000]  # history kept, never overwritten
    assert {a.member_id for a in rows} == {member(db, "bob").id}
    assert {a.source for a in rows} == {"chat"}
    assert all(a.at.replace(tzinfo=UTC) == NOW for a in rows)


def test_a_chinese_report_is_answered_in_chinese(planned):
    out = planned.say("指标 GMV 160万 渠道:线下")
    assert "已记录 +双11大促 的 GMV 线下：160万" in out
    assert "GMV 线下：实际 160万 / 目标 250万 · 计划至今 158.33万 · 进度 101%" in out
    assert out.startswith("🟢")


def test_a_kpi_with_labels_asks_which_label(planned, db):
    before = snapshot(db)
    out = planned.say("kpi GMV 320万")
    assert t("en", "kpi_label_needed", kpi="GMV", labels="电商 / 线下", first="电商") in out
    assert snapshot(db) == before


def test_without_a_project_the_one_open_plan_with_that_kpi(planned, db):
    make_plan(planned, db, "年货节")
    planned.say("kpi +年货节 UV target:10万")
    assert "UV of +年货节: 5,000 recorded" in planned.say("kpi UV 5k")
    planned.say("kpi +年货节 GMV target:100万")
    before = snapshot(db)
    out = planned.say("kpi GMV 10万 label:电商")
    assert "Several plans have a KPI GMV: +双11大促 / +年货节" in out
    assert snapshot(db) == before
    assert "recorded" in planned.say("kpi +双11大促 GMV 10万 label:电商")
    planned.say("project close +年货节")
    # a closed plan is no longer guessed; named, it still takes a number (a late report)
    assert t("en", "kpi_nowhere", kpi="UV") in planned.say("kpi UV 6k")
    assert "UV of +年货节: 6,000 recorded" in planned.say("kpi +年货节 UV 6k")
    assert t("en", "kpi_nowhere", kpi="DAU") in planned.say("kpi DAU 5")


def test_project_show_names_a_red_kpi_its_pace_and_the_move_between_labels(planned):
    planned.say("kpi GMV 101.33万 label:电商")  # 64% of 158.33万
    planned.say("kpi GMV 209万 label:线下")  # 132%
    out = planned.say("project show +双11大促")
    assert "🔴 GMV 电商: 1.01M / 2.5M · planned to date 1.58M · pace 64%" in out
    assert "🟢 GMV 线下: 2.09M / 2.5M · planned to date 1.58M · pace 132%" in out
    assert "电商 64% vs 线下 132%: move resources from 线下 to 电商" in out
    # the owner's own remedy comes first
    assert "Remedy for GMV of +双11大促: 追加直播投放预算" in planned.say(
        'kpi GMV remedy:"追加直播投放预算"'
    )
    out = planned.say("project show +双11大促")
    assert "GMV 电商 at 64% of pace — remedy: 追加直播投放预算" in out
    assert "move resources" not in out
    planned.say("kpi GMV remedy:none")
    assert "move resources from 线下 to 电商" in planned.say("project show +双11大促")


def test_a_red_kpi_without_labels_or_remedy_prompts_for_one(bot, db):
    make_plan(bot, db)
    bot.say("kpi +双11大促 UV target:10万")
    bot.say("kpi UV 1万")
    out = bot.say("kpi +双11大促")
    # 25 of the plan's 40 days are over: 62.5k planned, 10k is 16%
    assert "🔴 UV: 10k / 100k · planned to date 62.5k · pace 16%" in out
    assert "KPIs:" not in out  # the title says it
    assert '🔴 UV at 16% of pace — no remedy yet: `kpi UV remedy:"…"`' in out
    assert "对策" in bot.say("指标 +双11大促")


def test_nothing_planned_yet_says_when_it_is_planned_from_not_a_light(bot, db, make_bot):
    """GMV planned for 爆发期 only is not red in 预热期: before 11-16 it has no pace."""
    make_plan(bot, db)
    bot.say("kpi +双11大促 GMV target:500万 plan:爆发期=500万")
    early = make_bot(user="alice", admins=["alice"], now=datetime(2026, 11, 10, 2, tzinfo=UTC))
    out = early.say("kpi +双11大促")
    assert "GMV: 0 / 5M · planned from Mon Nov 16" in out
    assert "🔴" not in out and "🟡" not in out and "🟢" not in out
    assert "planned to date 3.33M" in bot.say("kpi +双11大促")  # 10 of 15 days on 11-26
    assert "planned from" in bot.say("kpi +双11大促 CVR target:3% phase:长尾期")


def test_history_shows_recent_numbers_with_who_and_when(planned, make_bot):
    make_bot(user="bob").say("kpi GMV 80万 label:电商")
    planned.say("指标 GMV 90万 渠道:电商")
    out = planned.say("kpi +双11大促 GMV history")
    lines = [line for line in out.splitlines() if "· GMV" in line]
    assert lines[0].endswith("GMV 电商 900k — @alice (chat)")
    assert lines[1].endswith("GMV 电商 800k — @bob (chat)")
    assert "11-26 10:00" in lines[0]
    assert "最近上报" in planned.say("指标 +双11大促 GMV 历史")


def test_listing_a_plan_without_kpis_says_how_to_define_one(bot, db):
    make_plan(bot, db)
    assert "`kpi +双11大促 GMV target:500万` defines one" in bot.say("kpi +双11大促")


def test_remedy_text_is_none_for_a_kpi_that_is_not_red(planned, db, config):
    from handlers.context import Env
    from handlers.kpis import remedy_text
    from handlers.plan_state import state

    planned.say("kpi GMV 200万 label:线下")
    ctx = Context(db=db, platform="console", workspace="console", channel="general", user="alice")
    ctx.now, ctx.config = NOW, config
    with db.session() as s:
        env = Env.load(s, ctx)
        plan = s.exec(select(Project).where(Project.name == "双11大促")).one()
        now = state(env, plan)
        by_label = {r.kpi.label: r for r in now.kpis}
        assert remedy_text(env, now, by_label["线下"]) is None
        said = remedy_text(env, now, by_label["电商"])
        assert said is not None and "move resources from 线下 to 电商" in said


def test_a_viewer_cannot_report_a_number(planned, db, make_bot):
    planned.say("role @vic viewer")
    vic = make_bot(user="vic")
    before = snapshot(db)
    assert t("en", "viewer_not_allowed", verb="kpi") in vic.say("kpi GMV 1万 label:电商")
    assert snapshot(db) == before
    assert "GMV 电商" in vic.say("kpi +双11大促")  # but reads


# --- the API token ---------------------------------------------------------------------------


def new_token(bot) -> str:
    reply = bot.reply("settings api-token")
    assert not reply.error and reply.secret and not reply.public
    [token] = [w for line in reply.lines for w in line.text.split() if w.startswith("pl_")]
    return token


def test_an_admin_makes_a_token_shown_once_and_kept_only_as_its_hash(bot, db):
    token = new_token(bot)
    with Session(db.engine) as s:
        [row] = s.exec(select(ApiToken)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(snapshot(db), ensure_ascii=False)
    reply = bot.reply("设置 api-token 撤销")
    assert "已吊销 API 令牌 1 个" in reply.title and reply.public is False
    with Session(db.engine) as s:
        assert s.exec(select(ApiToken)).one().revoked_at is not None


def test_a_replayed_token_request_does_not_show_it_again(bot, db, config):
    ctx = Context(
        db=db,
        platform="console",
        workspace="console",
        channel="general",
        user="alice",
        is_admin=True,
        now=NOW,
        config=config,
        delivery="d-1",
    )
    first = dispatch("settings api-token", ctx)
    again = dispatch("settings api-token", ctx)
    token = next(w for line in first.lines for w in line.text.split() if w.startswith("pl_"))
    assert token not in str(again) and again.secret
    assert t("en", "secret_shown_once") in again.lines[0].text
    assert count(db, "api_token") == 1
    assert token not in json.dumps(snapshot(db), ensure_ascii=False)


# --- the CSV import --------------------------------------------------------------------------


GOOD_CSV = """project,kpi,label,value,date
双11大促,GMV,电商,"1,200,000",2026-11-24
+双11大促,gmv,线下,150万,2026-11-25T18:00+08:00

双11大促,UV,,5k,
"""


def test_a_good_file_is_recorded_from_csv(planned, db, tmp_path: Path):
    planned.say("kpi +双11大促 UV target:10万")
    path = tmp_path / "kpi.csv"
    path.write_text(GOOD_CSV, encoding="utf-8-sig")  # Excel's BOM too
    assert import_file(db, path, NOW) == 3
    rows = actuals(db)
    assert [(a.value, a.source, a.member_id) for a in rows] == [
        (1_200_000, "csv", None),
        (1_500_000, "csv", None),
        (5_000, "csv", None),
    ]
    # a day alone: its end in the workspace's zone (Shanghai); a time with its offset as given
    assert rows[0].at.replace(tzinfo=UTC) == datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC)
    assert rows[1].at.replace(tzinfo=UTC) == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert rows[2].at.replace(tzinfo=UTC) == NOW
    assert "GMV 线下: 1.5M / 2.5M" in planned.say("kpi +双11大促")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("双11大促,GMV,电商,abc,", "line 3: “abc” is not a number I can read"),
        ("双11大促,GMV,,10,", "line 3: GMV is counted by label (电商 / 线下)"),
        ("双11大促,GMV,网店,10,", "line 3: GMV has no label 网店"),
        ("没有,GMV,电商,10,", "line 3: There is no project +没有"),
        ("双11大促,DAU,,10,", "line 3: +双11大促 has no KPI DAU"),
        ("双11大促,GMV,电商,10,2026-12-25", "line 3: the date 2026-12-25 is in the future"),
        ("双11大促,GMV,电商,10,soon", "line 3: “soon” is not a date"),
        ("双11大促,GMV,电商,10,,extra", "line 3: more fields than the header has"),
    ],
)
def test_a_bad_line_is_refused_by_its_number_and_nothing_is_written(
    planned, db, tmp_path: Path, body, said
):
    path = tmp_path / "kpi.csv"
    path.write_text(f"project,kpi,label,value,date\n双11大促,GMV,线下,1,\n{body}\n")
    before = snapshot(db)
    with pytest.raises(ImportError_) as err:
        import_file(db, path, NOW)
    assert str(err.value).startswith(said), str(err.value)
    assert snapshot(db) == before  # not even line 2


def test_a_header_without_the_columns_is_refused(planned, db, tmp_path: Path):
    path = tmp_path / "kpi.csv"
    path.write_text("project,metric,value\n双11大促,GMV,1\n")
    with pytest.raises(ImportError_, match="missing: kpi; unknown: metric"):
        import_file(db, path, NOW)


def test_paceline_kpi_import_on_the_command_line(sqlite_db, config, tmp_path: Path, capsys):
    from bot.cli import main
    from bot.console import ConsoleBot

    bot = ConsoleBot(sqlite_db, config, user="alice", admins=["alice"], now=NOW)
    make_plan(bot, sqlite_db)
    bot.say("kpi +双11大促 GMV target:500万")
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("project,kpi,value\n双11大促,GMV,320万\n双11大促,GMV,330万\n")
    bad.write_text("project,kpi,value\n双11大促,GMV,340万\n双11大促,GMV,lots\n")
    now = ["--now", "2026-11-26T10:00+08:00", "--db", url]
    assert main(["kpi", "import", str(good), *now]) == 0
    assert "recorded 2 KPI actual(s)" in capsys.readouterr().out
    assert main(["kpi", "import", str(bad), *now]) == 1
    assert "line 3: “lots” is not a number" in capsys.readouterr().err
    assert count(sqlite_db, "kpi_actual") == 2
    ConsoleBot(sqlite_db, config, workspace="second", user="x", now=NOW).say("list")
    assert main(["kpi", "import", str(good), *now]) == 1
    assert "choose one with --workspace" in capsys.readouterr().err
    assert main(["kpi", "import", str(good), "--workspace", "console", *now]) == 0
    assert count(sqlite_db, "kpi_actual") == 4


# --- POST /api/kpi, through `paceline serve`'s app on a real socket ----------------------------


@pytest.fixture
def api(db):
    """`paceline serve` with no door configured: the API alone, on 127.0.0.1 port 0."""
    from bot.settings import get_settings
    from bot.web import make_server
    from tests.fakes.pools import stop_server

    server = make_server(get_settings(), db, host="127.0.0.1", port=0, doors=[])
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/api/kpi"
    stop_server(server, thread)


def post(url: str, body: object, token: str | None) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_the_api_records_numbers_with_a_good_token(planned, db, api):
    token = new_token(planned)
    status, body = post(
        api,
        [
            {"project": "双11大促", "kpi": "GMV", "label": "电商", "value": "320万"},
            {"project": "双11大促", "kpi": "GMV", "label": "线下", "value": 1500000},
        ],
        token,
    )
    assert (status, body) == (200, {"recorded": 2})
    status, body = post(
        api,
        {"project": "双11大促", "kpi": "GMV", "label": "电商", "value": 10, "at": "2026-11-20"},
        token,
    )
    assert (status, body) == (200, {"recorded": 1})
    rows = actuals(db)
    assert [(a.value, a.source) for a in rows] == [
        (3_200_000, "api"),
        (1_500_000, "api"),
        (10, "api"),
    ]
    # an older day's number does not replace a newer one
    assert "GMV 电商: 3.2M" in planned.say("kpi +双11大促")


def test_the_api_refuses_no_token_a_bad_one_and_a_revoked_one(planned, db, api):
    item = {"project": "双11大促", "kpi": "GMV", "label": "电商", "value": 1}
    token = new_token(planned)
    before = snapshot(db)
    assert post(api, item, None)[0] == 401
    assert post(api, item, "pl_" + "x" * 43)[0] == 401
    assert post(api, item, token + "x")[0] == 401
    planned.say("settings api-token revoke")
    before = snapshot(db)
    assert post(api, item, token) == (401, {"error": "bad or revoked token"})
    assert snapshot(db) == before


def test_a_bad_item_is_a_400_with_its_index_and_nothing_is_written(planned, db, api):
    token = new_token(planned)
    good = {"project": "双11大促", "kpi": "GMV", "label": "电商", "value": 1}
    before = snapshot(db)
    cases = [
        ([good, {**good, "value": "lots"}], 1, "“lots” is not a number I can read"),
        ([good, good, {**good, "label": ""}], 2, "GMV is counted by label"),
        ([{**good, "kpi": 5}], 0, "kpi must be a non-empty string"),
        ([good, {**good, "colour": "red"}], 1, "unknown field(s): colour"),
        ([good, {**good, "value": -3}], 1, "“-3” is not a number"),
        ([good, {**good, "at": "2027-01-01"}], 1, "the date 2027-01-01 is in the future"),
        ([good, {"project": "没有", "kpi": "GMV", "value": 1}], 1, "There is no project +没有"),
    ]
    for body, index, reason in cases:
        status, answer = post(api, body, token)
        assert status == 400 and answer["index"] == index, answer
        assert answer["error"].startswith(reason), answer
    assert post(api, b"{not json", token) == (400, {"error": "the body is not JSON"})
    assert post(api, [], token)[0] == 400
    assert snapshot(db) == before


def test_an_api_token_of_another_workspace_does_not_reach_this_one(planned, db, api, make_bot):
    other = make_bot(user="carol", workspace="other", admins=["carol"])
    token = new_token(other)
    status, answer = post(api, {"project": "双11大促", "kpi": "GMV", "value": 1}, token)
    assert status == 400 and "There is no project +双11大促" in answer["error"]


def test_tomorrow_is_the_future_in_the_workspaces_zone(planned, db):
    from handlers.kpis import Incoming, RowError, record_actuals

    tomorrow = (NOW + timedelta(hours=8)).date() + timedelta(days=1)
    with Session(db.engine) as s:
        from storage.models import Workspace

        ws = s.exec(select(Workspace)).one()
        item = Incoming("双11大促", "GMV", 1, label="电商", at=tomorrow.isoformat())
        with pytest.raises(RowError):
            record_actuals(s, ws, [(7, item)], source="api", now=NOW)


def test_the_api_takes_no_body_over_the_servers_limit(planned, db, api):
    from bot.web import MAX_BODY

    token = new_token(planned)
    before = snapshot(db)
    assert post(api, b"[" + b" " * MAX_BODY + b"]", token) == (413, {"error": "body too large"})
    assert snapshot(db) == before


def test_help_names_the_kpi_command_in_both_languages(bot):
    assert "`kpi GMV 320万 label:电商`" in bot.say("help kpi")
    assert "`指标 GMV 320万 渠道:电商`" in bot.say("帮助 指标")
