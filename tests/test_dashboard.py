"""The dashboard: `dashboard` / `仪表盘` makes a personal signed link; the pages it opens
(bot/dashboard/) show what the asker's role allows, read-only; a missing, forged, altered or
expired link, another workspace's, or a workspace with the dashboard off shows nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlmodel import Session, select

from bot.dashboard import Dashboard
from bot.dashboard import pages as dash_pages
from bot.door import Request, Response
from handlers import CoreConfig
from handlers.dashboard import SECRET_NAME, Claims, sign, verify
from storage.models import Project, Role, SiteSecret, Workspace
from tests.conftest import NOW, count, snapshot

BASE = "https://paceline.example.com"
PLAN = "双11大促"
OTHER = "Launch"


@pytest.fixture
def config() -> CoreConfig:
    return CoreConfig(default_tz="Asia/Shanghai", default_lang="en", public_url=BASE)


@pytest.fixture
def team(db, make_bot):
    """alice (admin), mia (manager), bob (member), vic (viewer), carol (member) in #general;
    the plan 双11大促 with bob's tasks (one blocked), the project Launch with carol's only."""
    alice = make_bot(user="alice", admins=["alice"])
    for line in (
        "role @mia manager",
        "role @vic viewer",
        f'project new {PLAN} 2026-11-01..2026-12-10 goal:"直播 GMV 500万"',
        f"kpi +{PLAN} GMV target:500万",
        f"add 写预热文案 @bob +{PLAN} due:2026-11-20",
        f"add 直播脚本审核 @bob +{PLAN} due:2026-11-30",
        f"add Launch copy @carol +{OTHER} due:2026-12-01",
        f"add 张三的海报 @vic +{PLAN} due:2026-12-02",
    ):
        reply = alice.reply(line)
        assert not reply.error, (line, reply.lines[0].text)
    bob = make_bot(user="bob")
    assert not bob.reply("block 2 法务排期已满 cause:approval").error
    assert not bob.reply("progress 1 40%").error
    return {
        name: make_bot(user=name, admins=["alice"])
        for name in ("alice", "mia", "bob", "vic", "carol")
    }


def link_of(bot, text: str = "dashboard") -> str:
    reply = bot.reply(text)
    assert not reply.error, reply.lines[0].text
    return reply.lines[0].text


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def dashboard(db, config: CoreConfig, at=NOW) -> Dashboard:
    return Dashboard(db, config, clock=lambda: at)


def get(dash: Dashboard, path: str, **query: str) -> Response:
    return dash.routes()[path]["GET"](Request("GET", dict(query)))


def open_link(dash: Dashboard, url: str, path: str = "/dashboard", **extra: str) -> Response:
    return get(dash, path, **{**query_of(url), **extra})


def body(response: Response) -> str:
    return response.body.decode("utf-8")


# --- the link --------------------------------------------------------------------------------


def test_the_link_is_secret_signed_and_says_who_asked(db, team, config):
    reply = team["mia"].reply("dashboard")
    assert reply.secret and not reply.public and not reply.error
    url = reply.lines[0].text
    assert url.startswith(f"{BASE}/dashboard?k=")
    with Session(db.engine) as s:
        secret = s.exec(select(SiteSecret).where(SiteSecret.name == SECRET_NAME)).one()
    claims = verify(secret.value, query_of(url)["k"], NOW)
    assert claims is not None
    assert claims.role == Role.MANAGER and claims.lang == "en"
    assert claims.expires == (NOW + timedelta(days=7)).replace(microsecond=0)
    assert "whole workspace" in reply.lines[1].text
    # the expiry is a moment each door shows in its reader's zone
    assert "7 days" in reply.lines[2].text


def test_one_secret_for_every_link_and_chinese_asks_get_chinese_pages(db, team):
    first = link_of(team["bob"], "仪表盘")
    link_of(team["alice"], "dashboard")
    assert count(db, "site_secret") == 1
    with Session(db.engine) as s:
        secret = s.exec(select(SiteSecret.value)).one()
    claims = verify(secret, query_of(first)["k"], NOW)
    assert claims is not None and claims.lang == "zh" and claims.role == Role.MEMBER


def test_without_a_public_url_the_answer_says_how_to_set_it(db, make_bot, config):
    bot = make_bot(user="alice", admins=["alice"], config=replace(config, public_url=None))
    reply = bot.reply("dashboard")
    text = " ".join(line.text for line in reply.lines)
    assert "PACELINE_PUBLIC_URL" in text and "http" in text and "?k=" not in text
    assert count(db, "site_secret") == 0


def test_the_link_expires_after_the_days_configured(db, make_bot, config):
    bot = make_bot(user="alice", admins=["alice"], config=replace(config, dashboard_days=2))
    url = link_of(bot)
    assert (
        get(
            dashboard(db, config, NOW + timedelta(days=2, seconds=-1)),
            "/dashboard",
            **query_of(url),
        ).status
        == 200
    )
    assert (
        get(dashboard(db, config, NOW + timedelta(days=2)), "/dashboard", **query_of(url)).status
        == 401
    )


def test_signing_rejects_every_alteration():
    secret = "s3cret"
    claims = Claims(1, 2, Role.MEMBER, "zh", 3, NOW + timedelta(days=1))
    token = sign(secret, claims)
    assert verify(secret, token, NOW) == claims
    assert verify("other", token, NOW) is None
    assert verify(secret, token, NOW + timedelta(days=1)) is None
    text, _, signature = token.rpartition(".")
    fields = text.split(".")
    for index, value in enumerate(("2", "9", "7", "admin", "en", "4", str(10**10))):
        altered = [*fields]
        altered[index] = value
        assert verify(secret, ".".join(altered) + "." + signature, NOW) is None
    for broken in (
        "",
        token[:-1],
        token + "A",
        signature,
        "a.b",
        token.replace(".", "..", 1),
        "é" + token,
    ):
        assert verify(secret, broken, NOW) is None


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_other"),
    [("alice", True), ("mia", True), ("bob", False), ("vic", False)],
)
def test_the_portfolio_by_role(db, team, config, who, sees_other):
    page = body(open_link(dashboard(db, config), link_of(team[who])))
    assert PLAN in page
    assert (OTHER in page) is sees_other


def test_a_member_sees_their_projects_and_tasks_not_others(db, team, config):
    dash = dashboard(db, config)
    url = link_of(team["carol"])
    portfolio = body(open_link(dash, url))
    assert OTHER in portfolio and PLAN not in portfolio
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == PLAN)).one()
    refused = open_link(dash, url, "/dashboard/project", id=str(plan.id))
    assert refused.status == 404 and PLAN not in body(refused) and "写预热文案" not in body(refused)
    mine = body(open_link(dash, url, "/dashboard/mine"))
    assert "Launch copy" in mine and "写预热文案" not in mine


def test_the_role_read_with_is_the_lower_of_the_links_and_todays(db, team, config):
    dash = dashboard(db, config)
    promoted = link_of(team["bob"])  # a member's link
    demoted = link_of(team["mia"])  # a manager's link
    assert not team["alice"].reply("role @bob manager").error
    assert not team["alice"].reply("role @mia member").error
    assert OTHER not in body(open_link(dash, promoted))  # still a member's view
    assert OTHER not in body(open_link(dash, demoted))  # no longer a manager's
    assert OTHER in body(open_link(dash, link_of(team["bob"])))  # a new link: a manager's


def test_workspace_a_never_shows_workspace_b(db, team, make_bot, config):
    other = make_bot(workspace="acme", user="zed", admins=["zed"])
    assert not other.reply("project new 机密项目 2026-11-01..2026-12-31").error
    assert not other.reply("add Secret plan @zed +机密项目").error
    dash = dashboard(db, config)
    url = link_of(team["alice"])
    assert "机密项目" not in body(open_link(dash, url))
    with Session(db.engine) as s:
        secret_project = s.exec(select(Project).where(Project.name == "机密项目")).one()
    answer = open_link(dash, url, "/dashboard/project", id=str(secret_project.id))
    assert (
        answer.status == 404
        and "机密项目" not in body(answer)
        and "Secret plan" not in body(answer)
    )
    # and B's own admin sees B's, not A's
    page = body(open_link(dash, link_of(other)))
    assert "机密项目" in page and PLAN not in page


# --- refusals --------------------------------------------------------------------------------


def assert_shows_nothing(response: Response, status: int) -> None:
    page = body(response)
    assert response.status == status
    for secret in (PLAN, OTHER, "写预热文案", "alice", "bob", "mia", "console", "general"):
        assert secret not in page
    assert "no-store" in response.headers["Cache-Control"]


def test_no_link_forged_altered_or_expired_shows_nothing(db, team, config):
    dash = dashboard(db, config)
    url = link_of(team["alice"])
    token = query_of(url)["k"]
    assert_shows_nothing(get(dash, "/dashboard"), 401)
    assert_shows_nothing(get(dash, "/dashboard", k=""), 401)
    assert_shows_nothing(get(dash, "/dashboard/project", id="1"), 401)
    assert_shows_nothing(get(dash, "/dashboard/mine", k="garbage"), 401)
    forged = sign(
        "not the site's secret", Claims(1, 1, Role.ADMIN, "en", 1, NOW + timedelta(days=1))
    )
    assert_shows_nothing(get(dash, "/dashboard", k=forged), 401)
    text, _, signature = token.rpartition(".")
    parts = text.split(".")
    parts[4] = "zh" if parts[4] == "en" else "en"
    assert_shows_nothing(get(dash, "/dashboard", k=".".join(parts) + "." + signature), 401)
    parts = text.split(".")
    parts[6] = str(int(parts[6]) + 86400 * 365)  # a longer life
    assert_shows_nothing(get(dash, "/dashboard", k=".".join(parts) + "." + signature), 401)
    late = dashboard(db, config, NOW + timedelta(days=8))
    assert_shows_nothing(get(late, "/dashboard/project", k=token, id="1"), 401)
    # and a good link opens
    assert open_link(dash, url).status == 200


def test_a_member_altering_their_role_in_the_link_gets_401(db, team, config):
    dash = dashboard(db, config)
    token = query_of(link_of(team["bob"]))["k"]
    assert ".member." in token
    assert_shows_nothing(get(dash, "/dashboard", k=token.replace(".member.", ".admin.")), 401)


def test_settings_dashboard_off_refuses_links_and_making_them(db, team, config):
    dash = dashboard(db, config)
    url = link_of(team["bob"])
    refused = team["mia"].reply("settings dashboard off")  # a manager: admins only
    assert refused.error
    answer = team["alice"].reply("settings dashboard off")
    assert not answer.error and answer.public
    with Session(db.engine) as s:
        assert (
            s.exec(select(Workspace.dashboard).where(Workspace.external_id == "console")).one()
            is False
        )
    assert_shows_nothing(open_link(dash, url), 403)
    made = team["bob"].reply("dashboard")
    assert made.error and "settings dashboard on" in made.lines[0].text
    shown = " ".join(v for _, v in team["alice"].reply("settings").fields)
    assert "off" in shown
    assert not team["alice"].reply("设置 仪表盘 开").error
    assert open_link(dash, url).status == 200  # an unexpired link opens again


def test_settings_dashboard_wants_on_or_off(team):
    assert team["alice"].reply("settings dashboard").error
    assert team["alice"].reply("settings dashboard maybe").error


# --- the pages -------------------------------------------------------------------------------


def test_the_project_page_shows_the_board_blockers_and_changes(db, team, config):
    dash = dashboard(db, config, NOW + timedelta(hours=1))
    url = link_of(team["mia"], "仪表盘")
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == PLAN)).one()
    answer = open_link(dash, url, "/dashboard/project", id=str(plan.id))
    page = body(answer)
    assert answer.status == 200
    assert '<html lang="zh-CN">' in page
    assert "看板" in page and "#1 写预热文案" in page and "@bob" in page
    blockers = page[page.index("未解除的阻塞") :]
    assert "法务排期已满" in blockers and "审批" in blockers and "0 天" in blockers
    changes = page[page.index("本周变更") :]
    assert "进度 0% → 40%" in changes
    assert "直播 GMV 500万" in page and "500万" in page  # the goal, the KPI's target


def test_pages_refresh_need_no_script_and_escape_what_people_typed(db, team, config):
    assert not team["alice"].reply('add <script>alert(1)</script> & "x" @bob +' + PLAN).error
    dash = dashboard(db, config)
    url = link_of(team["alice"])
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == PLAN)).one()
    for response in (
        open_link(dash, url),
        open_link(dash, url, "/dashboard/project", id=str(plan.id)),
        open_link(dash, url, "/dashboard/mine"),
    ):
        page = body(response)
        assert response.status == 200
        assert '<meta http-equiv="refresh" content="60">' in page
        assert "<script" not in page.lower()
        assert 'name="viewport"' in page
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
    project = body(open_link(dash, url, "/dashboard/project", id=str(plan.id)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in project


def test_the_portfolio_sorts_by_each_column(db, team, config):
    alice = team["alice"]
    for n in range(3):
        assert not alice.reply(f"add Late {n} @carol +Red{n} due:2026-11-01").error
    dash = dashboard(db, config)
    url = link_of(alice)
    by_red = body(open_link(dash, url, sort="red"))
    names = re.findall(r'id=\d+">([^<]+)</a>', by_red)
    assert names[0] == PLAN and names[-1] == OTHER  # 2 red tasks, 1 each, none
    for sort in dash_pages.SORTS:
        page = body(open_link(dash, url, sort=sort))
        assert f'sort={sort}" class="on"' in page
        assert set(re.findall(r'id=\d+">([^<]+)</a>', page)) == set(names)
    # an unknown sort is the default (worst first), not an error
    assert open_link(dash, url, sort="<x>").status == 200


def test_sort_orders():
    rows = [
        dash_pages.PortfolioRow(1, "a", "green", "", "", 120.0, "", 10.0, "", None, 0, (2,)),
        dash_pages.PortfolioRow(2, "b", "red", "", "", 50.0, "", 90.0, "", None, 5, (0,)),
        dash_pages.PortfolioRow(3, "c", "yellow", "", "", None, "", None, "", None, 1, (1,)),
    ]
    order = {
        s: [r.name for r in sorted(rows, key=dash_pages._SORT_KEYS[s])] for s in dash_pages.SORTS
    }
    assert order["light"] == ["b", "c", "a"]
    assert order["pace"] == ["b", "a", "c"]
    assert order["buffer"] == ["b", "a", "c"]
    assert order["red"] == ["b", "c", "a"]


def test_my_tasks_page_lists_the_readers_open_tasks(db, team, config):
    page = body(open_link(dashboard(db, config), link_of(team["bob"], "仪表盘"), "/dashboard/mine"))
    assert "我的任务" in page and "写预热文案" in page and "直播脚本审核" in page
    assert "Launch copy" not in page and "张三的海报" not in page


def test_reading_pages_writes_nothing(db, team, config):
    dash = dashboard(db, config)
    url = link_of(team["bob"])
    before = snapshot(db)
    for path in ("/dashboard", "/dashboard/project", "/dashboard/mine"):
        open_link(dash, url, path, id="1")
    assert snapshot(db) == before


def test_the_web_server_routes_the_dashboard_and_serves_the_font(db, team, config):
    from bot.settings import get_settings
    from bot.web import make_app

    app = make_app(get_settings(_env_file=None, public_url=BASE), db, doors=[])
    team["alice"].now = None  # the server reads the wall clock: a link made now
    url = link_of(team["alice"])
    seen: dict = {}

    def start(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {
        "PATH_INFO": "/dashboard",
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": urlsplit(url).query,
    }
    page = b"".join(app(environ, start)).decode()
    assert seen["status"].startswith("200") and PLAN in page
    page = b"".join(app({"PATH_INFO": "/dashboard", "REQUEST_METHOD": "GET"}, start)).decode()
    assert seen["status"].startswith("401") and seen["headers"]["X-Refused"] == "no link"
    font = b"".join(app({"PATH_INFO": "/dashboard/font/cjk.otf", "REQUEST_METHOD": "GET"}, start))
    assert seen["status"].startswith("200") and font[:4] == b"OTTO"
    assert "immutable" in seen["headers"]["Cache-Control"]


def test_a_page_behind_a_path_prefix_links_within_it(db, team, config):
    prefixed = replace(config, public_url="https://example.com/paceline")
    url = link_of(team["alice"])
    page = body(open_link(dashboard(db, prefixed), url))
    assert 'href="/paceline/dashboard/project?k=' in page
    assert 'url("/paceline/dashboard/font/cjk.otf")' in page


# --- charts: the same renderer as chat's, as SVG ----------------------------------------------


def test_the_project_page_draws_its_charts_as_svg(db, team, config):
    dash = dashboard(db, config)
    url = link_of(team["mia"], "仪表盘")
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == PLAN)).one()
        plan_id = plan.id
        reader = dash._reader(s, dash._check(s, query_of(url)["k"]))
        drawn = dash_pages.draw_all(reader.env, plan)
        s.rollback()
    assert len(drawn) >= 3  # the Gantt, at least one KPI chart, the fever chart
    assert all(b"<svg" in svg for svg in drawn)
    page = body(open_link(dash, url, "/dashboard/project", id=str(plan_id)))
    assert page.count('src="data:image/svg+xml;base64,') >= 3
    assert "该图表暂时无法绘制" not in page


def test_a_reading_session_holds_no_write_lock_and_keeps_nothing(db):
    from sqlalchemy.exc import DBAPIError

    with db.reading() as s:
        s.exec(select(Workspace)).all()  # its transaction is open
        with db.session() as w:  # a writer goes ahead (on SQLite, not after a 5 s busy wait)
            w.add(Workspace(platform="console", external_id="writer", created_at=NOW))
        s.add(Workspace(platform="console", external_id="reader", created_at=NOW))
        refused = False
        try:  # PostgreSQL refuses it outright; SQLite's is refused (its snapshot is older than
            s.flush()  # the writer's commit) or else rolled back when the block ends
        except DBAPIError:
            refused = True
            s.rollback()
        assert refused or db.engine.dialect.name == "sqlite"
    with Session(db.engine) as s:
        names = set(s.exec(select(Workspace.external_id)).all())
    assert "writer" in names and "reader" not in names


def test_readers_share_the_portfolio_for_a_few_seconds(db, team, config):
    """Those who see the same portfolio share its data for CACHE_SECONDS (by the monotonic
    clock given): a change shows once they have passed; a link's own scope is never shared
    with a wider one."""
    ticks = [0.0]
    dash = Dashboard(db, config, clock=lambda: NOW, cache_clock=lambda: ticks[0])
    url, member = link_of(team["mia"]), link_of(team["carol"])
    assert "FreshPlan" not in body(open_link(dash, url))
    assert "FreshPlan" not in body(open_link(dash, member))
    assert not team["alice"].reply("add Brief @carol +FreshPlan").error
    ticks[0] = 9.0
    assert "FreshPlan" not in body(open_link(dash, url))  # still the page read at 0 s
    assert "FreshPlan" not in body(open_link(dash, link_of(team["alice"])))  # the same data
    ticks[0] = 10.5
    assert "FreshPlan" in body(open_link(dash, url))
    assert "FreshPlan" in body(open_link(dash, member))  # carol's own, read again too
    assert "FreshPlan" not in body(open_link(dash, link_of(team["bob"])))  # not bob's


def test_the_shared_cache_makes_a_value_once_for_waiting_readers():
    import threading

    from bot.dashboard.shared import Shared

    shared = Shared(10, clock=lambda: 0.0)
    made, started = [], threading.Event()
    release = threading.Event()

    def make() -> int:
        made.append(1)
        started.set()
        release.wait(5)
        return 42

    results: list[int] = []
    first = threading.Thread(target=lambda: results.append(shared.get("k", make)))
    first.start()
    started.wait(5)
    others = [
        threading.Thread(target=lambda: results.append(shared.get("k", make))) for _ in range(5)
    ]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert results == [42] * 6 and len(made) == 1
    assert Shared(0).get("k", lambda: 1) == 1 and Shared(0).get("k", lambda: 2) == 2


def test_pages_come_gzipped_to_a_browser_that_takes_it(db, team, config):
    import gzip

    dash = dashboard(db, config)
    query = query_of(link_of(team["alice"]))
    for path in ("/dashboard", "/dashboard/mine", "/dashboard/project"):
        plain = dash.routes()[path]["GET"](Request("GET", {**query, "id": "1"}))
        packed = dash.routes()[path]["GET"](
            Request("GET", {**query, "id": "1"}, {"accept-encoding": "gzip, br"})
        )
        assert (
            packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
        )
        assert gzip.decompress(packed.body) == plain.body
        assert plain.headers["Vary"] == "Accept-Encoding"


def test_a_page_lets_a_burst_of_acks_pass_first_but_not_for_long(monkeypatch):
    from bot import door, intake

    ticks, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        ticks[0] += seconds

    monkeypatch.setattr(door.time, "monotonic", lambda: ticks[0])
    door.acked()  # an ack at 100.0
    door.let_acks_pass(monotonic=lambda: ticks[0], sleep=sleep)
    assert 0.005 <= sum(slept) <= 0.0101  # until 5 ms passed without one

    slept.clear()

    def busy(seconds: float) -> None:  # an ack every millisecond
        sleep(seconds)
        door.acked()

    door.acked()
    door.let_acks_pass(monotonic=lambda: ticks[0], sleep=busy)
    assert 0.05 <= sum(slept) <= 0.0551  # 50 ms at most

    # the doors' intake is what says an ack happened
    assert "acked()" in Path(intake.__file__).read_text()
