"""Roles: admin, manager, member (the default), viewer. Every verb against every role, the `role`
and `roles` verbs in both languages, the platform's admins, and the last admin."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from handlers.context import PLANNERS, language_of
from handlers.grammar import ROLE_WORDS
from handlers.messages import t
from handlers.verbs import BY_NAME, VERBS, parse, verb_word
from storage.db import make_engine, upgrade
from storage.models import Member, Role
from tests.conftest import NOW, member, snapshot, task
from tests.test_permissions import CHANGES, actors, is_error

# who speaks for each role: alice is the platform's admin (the `bot` fixture), mia a manager,
# bob the owner of #1 and dana its creator (members), carol a member it is not hers, vic a viewer
SPEAKERS = {
    "admin": "alice",
    "manager": "mia",
    "owner": "bob",
    "creator": "dana",
    "other member": "carol",
    "viewer": "vic",
}
ROLE_OF = {"admin": "admin", "manager": "manager", "viewer": "viewer"}  # the rest: member

# commands that change no task: the command, and the speakers it refuses (None: everyone may)
OTHERS: dict[str, tuple[str, frozenset[str]]] = {
    "add": ("add Another brief", frozenset({"viewer"})),
    "settings change": ("settings remind 09:00", frozenset({"viewer"})),
    "settings charts": ("settings charts off", frozenset({"viewer"})),
    "设置 图表": ("设置 图表 开", frozenset({"viewer"})),
    "role change": ("role @carol manager", frozenset(SPEAKERS) - {"admin"}),
    "新建": ("新建 另一个简报", frozenset({"viewer"})),
    # plans: managers and admins
    "project new": (
        'project new Launch 2026-12-01..2026-12-20 goal:"1000 sign-ups"',
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    "项目 新建": (
        '项目 新建 双11大促 2026-11-01..2026-12-10 目标:"直播 GMV 500万"',
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    # KPIs: defined and remedied by managers and admins; numbers reported by members too
    "kpi define": (
        "kpi +双11大促 UV target:10万",
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    "指标 对策": (
        '指标 GMV 对策:"追加直播投放预算"',
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    "kpi report": ("kpi GMV 320万", frozenset({"viewer"})),
    "设置 api-token": ("设置 api-token", frozenset(SPEAKERS) - {"admin"}),
    # phases (of the plan +Q4 the team fixture makes): managers and admins
    "phase add": (
        'phase add +Q4 Burst 12-01..12-20 @bob deliverable:"live shows"',
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    "阶段 编辑": (
        "阶段 编辑 +Q4 Warm-up 结束:12-01",
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    "phase remove": (
        "phase remove +Q4 Warm-up",
        frozenset({"owner", "creator", "other member", "viewer"}),
    ),
    # a task's phase: as every change of a task (its owner, its creator, managers, admins)
    "task phase": ("task 1 +Q4 phase:Warm-up", frozenset({"other member", "viewer"})),
    "任务 阶段": ("任务 1 +Q4 阶段:Warm-up", frozenset({"other member", "viewer"})),
}
# what the admin does before a command above can work (a plan with a KPI)
OTHER_SETUP = {
    command: [
        "project new 双11大促 2026-11-01..2026-12-10",
        "kpi +双11大促 GMV target:500万",
    ]
    for command in (
        "kpi +双11大促 UV target:10万",
        '指标 GMV 对策:"追加直播投放预算"',
        "kpi GMV 320万",
    )
}
READS = (
    "list",
    "list all",
    "show 1",
    "help",
    "help role",
    "remind",
    "digest",
    "settings",
    "role",
    "role @bob",
    "roles",
    "列表",
    "查看 1",
    "帮助",
    "角色",
    "角色列表",
    "project list",
    "项目列表",
    "phase +Q4",
    "阶段 +Q4",
    "portfolio",
    "全局",
    "kpi chart +Q4",
    "指标图 +Q4",
    "buffer +Q4",
    "缓冲 +Q4",
    "gantt +Q4",
    "甘特图 +Q4",
)


@pytest.fixture
def team(bot, make_bot):
    """#1 "Campaign brief", created by dana for bob; mia a manager, vic a viewer. A speaker
    per role, each having said something already (their member rows exist)."""

    def make(setup: list[str]):
        dana = make_bot(user="dana")
        assert "Added #1" in dana.say("add Campaign brief @bob due:2026-11-30")
        for line in setup:
            assert not is_error(out := dana.say(line)), out
        assert not is_error(bot.say("role @mia manager"))
        assert not is_error(bot.say("role @vic viewer"))
        assert not is_error(bot.say("project new Q4 2026-11-01..2026-12-31"))
        assert not is_error(bot.say("phase add +Q4 Warm-up 11-01..11-30"))
        speakers = {
            role: bot if role == "admin" else make_bot(user=name) for role, name in SPEAKERS.items()
        }
        for speaker in speakers.values():
            speaker.say("list")
        return speakers

    return make


def refusal(role: str, command: str, verb: str) -> str:
    lang = language_of(command) or "en"
    if verb == "role":  # anyone may look; the handler refuses a change by a non-admin
        return t(lang, "role_admin_only")
    if role == "viewer":
        return t(lang, "viewer_not_allowed", verb=verb_word(lang, verb))
    if verb == "settings" and "api-token" in command:
        return t(lang, "api_token_admin_only")
    if BY_NAME[verb].roles_for(parse(command, NOW.date())) == PLANNERS:
        return t(lang, "plan_not_allowed", verb=verb_word(lang, verb))
    return t(lang, "not_allowed", task=1)


TASK_ALLOWED = {"admin", "manager", "owner", "creator"}


@pytest.mark.parametrize("role", SPEAKERS)
@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_task_changes_by_role(db, team, role, setup, change):
    speakers = team(setup)
    before, events = snapshot(db), len(actors(db, 1))
    out = speakers[role].say(change)
    if role in TASK_ALLOWED:
        assert not is_error(out), out
        assert set(actors(db, 1)[events:]) == {SPEAKERS[role]}
    else:
        verb = parse(change, NOW.date()).verb
        assert refusal(role, change, verb) in out
        assert "Campaign brief" not in out
        assert snapshot(db) == before


@pytest.mark.parametrize("role", SPEAKERS)
@pytest.mark.parametrize(("command", "refused"), OTHERS.values(), ids=OTHERS)
def test_other_changes_by_role(db, team, role, command, refused):
    speakers = team([])
    for line in OTHER_SETUP.get(command, []):
        assert not is_error(out := speakers["admin"].say(line)), out
    before = snapshot(db)
    out = speakers[role].say(command)
    if role in refused:
        assert refusal(role, command, parse(command, NOW.date()).verb) in out
        assert snapshot(db) == before
    else:
        assert not is_error(out), out
        assert snapshot(db) != before


@pytest.mark.parametrize("role", SPEAKERS)
def test_every_role_reads_and_reading_writes_nothing(db, team, role):
    speakers = team(["block 1 waiting for design"])
    before = snapshot(db)
    for command in READS:
        assert not is_error(out := speakers[role].say(command)), (command, out)
    assert "Campaign brief" in speakers[role].say("show 1")
    assert snapshot(db) == before


def test_every_changing_verb_refuses_viewers_through_the_table():
    """A verb that changes something is in the table above and refuses viewers; a new changing
    verb without `roles` fails here."""
    changing = {name for name, verb in BY_NAME.items() if verb.announce is not False}
    tested = {parse(c, NOW.date()).verb for _, c in CHANGES.values()}
    tested |= {parse(c, NOW.date()).verb for c, _ in OTHERS.values()}
    assert changing <= tested
    for verb in VERBS:
        for command in [c for _, c in CHANGES.values()] + [c for c, _ in OTHERS.values()]:
            cmd = parse(command, NOW.date())
            if cmd.verb == verb.name and verb.name != "role":
                assert not verb.allows(Role.VIEWER, cmd), command
                # members change tasks; plans (projects, KPI targets) are for managers and admins
                planning = verb.roles_for(cmd) == PLANNERS
                assert verb.allows(Role.MANAGER if planning else Role.MEMBER, cmd)
                assert verb.allows(Role.MEMBER, cmd) != planning
    for command in READS:
        cmd = parse(command, NOW.date())
        assert BY_NAME[cmd.verb].allows(Role.VIEWER, cmd), command


@pytest.mark.parametrize("role", SPEAKERS)
def test_portfolio_and_board_by_role(db, team, role):
    """Managers and admins get every plan in the portfolio, anyone else their own open tasks
    with the reason; everyone reads a board (their channel's cards and their own). Reading
    writes nothing."""
    speakers = team(["add Banner +launch @bob"])
    speakers["admin"].say('project new Launch 2026-11-01..2026-12-20 goal:"1000 sign-ups"')
    before = snapshot(db)
    out = speakers[role].say("portfolio")
    if role in ("admin", "manager"):
        assert "+launch · " in out and t("en", "portfolio_mine_why") not in out
    else:
        assert t("en", "portfolio_mine_why") in out and "+launch · " not in out
        assert ("#1 Campaign brief" in out) == (role == "owner")
    board = speakers[role].say("board +launch")
    assert "#2 Banner" in board and not is_error(board)
    assert snapshot(db) == before
    assert not is_error(speakers[role].say("看板 +launch"))  # (the channel now speaks Chinese)


def test_a_viewer_cannot_change_even_their_own_task(db, bot, make_bot):
    bot.say("add Campaign brief @vic")
    bot.say("role @vic viewer")
    vic = make_bot(user="vic")
    vic.say("list")
    before = snapshot(db)
    out = vic.say("完成 1")
    assert out.splitlines()[1].strip() == t("zh", "viewer_not_allowed", verb="完成")
    assert snapshot(db) == before
    bot.say("role @vic member")
    assert not is_error(vic.say("done 1"))
    assert task(db, 1).status == "done"


# --- the role verb ------------------------------------------------------------------------------


def test_an_admin_sets_a_role_and_the_reply_says_what_it_was(db, bot):
    out = bot.say("role @bob manager")
    assert out.splitlines()[:2] == ["Role", "  @bob's role is now manager (was member)."]
    assert member(db, "bob").role == "manager"
    assert bot.say("role @bob").splitlines()[1] == "  @bob's role: manager."
    assert bot.say("role").splitlines()[1] == "  @alice's role: admin (the platform says so)."


def test_role_in_chinese(db, bot):
    bot.say("settings lang zh")
    out = bot.say("角色 @李四 管理者")
    assert out.splitlines()[:2] == ["角色", "  @李四 的角色已改为管理者（原为成员）。"]
    assert member(db, "李四").role == "manager"
    bot.say("角色 @王五 只读")
    out = bot.say("角色列表")
    assert out.splitlines() == [
        "本工作区的角色",
        "  管理员有：@alice",
        "  管理者有：@李四",
        "  观察者有：@王五",
        "  其他人都是成员。",
    ]


@pytest.mark.parametrize(
    ("word", "role"), [(w, r) for r, words in ROLE_WORDS.items() for w in words]
)
def test_every_role_word(db, bot, word, role):
    assert not is_error(out := bot.say(f"role @bob {word}")), out
    assert member(db, "bob").role == role


def test_the_change_is_announced_and_the_look_is_not():
    role = BY_NAME["role"]
    assert role.announces(parse("role @bob manager", NOW.date()))
    assert not role.announces(parse("role @bob", NOW.date()))
    assert not BY_NAME["roles"].announces(parse("roles", NOW.date()))


@pytest.mark.parametrize(
    ("command", "key", "params"),
    [
        ("role @bob boss", "bad_role", {"value": "boss"}),
        ("role manager", "role_who", {"verb": "role"}),
        ("role @bob @carol manager", "role_who", {"verb": "role"}),
        ("角色 管理者", "role_who", {"verb": "角色"}),
        ("roles all", "no_args", {"verb": "roles", "value": "all"}),
    ],
)
def test_a_malformed_role_command_says_what_was_expected_and_writes_nothing(
    db, bot, command, key, params
):
    bot.say("list")
    before = snapshot(db)
    lang = language_of(command) or "en"
    assert t(lang, key, **params) in bot.say(command)
    assert snapshot(db) == before


def test_an_unknown_person_has_no_role_to_show(db, bot):
    bot.say("list")
    before = snapshot(db)
    assert "I don't know" in bot.say("role @nobody") or is_error(bot.say("role @nobody"))
    assert snapshot(db) == before


def test_setting_the_role_someone_has_changes_nothing(db, bot):
    bot.say("role @bob viewer")
    before = snapshot(db)
    assert bot.say("role @bob viewer").splitlines()[1] == "  @bob's role: viewer."
    assert snapshot(db) == before


# --- the platform's admins and the last admin -------------------------------------------------


def test_the_platforms_admin_cannot_be_changed_here(db, bot, make_bot):
    make_bot(user="erin", admins=["erin"]).say("list")
    before = snapshot(db)
    assert t("en", "role_platform_admin", who="erin") in bot.say("role @erin viewer")
    assert t("en", "role_platform_admin", who="alice") in bot.say("role @alice member")
    assert snapshot(db) == before


def test_an_admin_made_here_stays_one_whatever_the_platform_says(db, bot, make_bot):
    make_bot(user="dana").say("add Campaign brief")
    bot.say("role @bob admin")
    bob = make_bot(user="bob", admins=[])  # the platform says he is no admin of its own
    assert not is_error(bob.say("start 1"))
    assert member(db, "bob").role == "admin"
    assert not is_error(bob.say("role @carol manager"))


def test_a_platform_admin_who_loses_it_becomes_a_member_and_a_viewer_made_admin_too(db, make_bot):
    make_bot(user="erin", admins=["erin"]).say("role @vic viewer")
    make_bot(user="vic", admins=["vic"]).say("list")  # the platform makes vic an admin
    assert member(db, "vic").role == "admin"
    make_bot(user="vic", admins=[]).say("list")  # and takes it back
    assert member(db, "vic").role == "member"
    make_bot(user="erin", admins=[]).say("list")
    assert member(db, "erin").role == "member"


def test_the_last_admin_cannot_step_down(db, make_bot):
    erin = make_bot(user="erin", admins=["erin"])
    erin.say("role @bob admin")
    make_bot(user="erin", admins=[]).say("list")  # erin is no longer the platform's admin
    bob = make_bot(user="bob")
    before = snapshot(db)
    assert t("en", "role_last_admin") in bob.say("role me member")
    assert t("zh", "role_last_admin") in bob.say("角色 我 成员")
    assert snapshot(db) == before
    assert member(db, "bob").role == "admin"
    bob.say("role @erin admin")
    assert "was admin" in bob.say("role me manager")
    assert member(db, "bob").role == "manager"


# --- storage ---------------------------------------------------------------------------------


def test_the_0012_upgrade_keeps_every_admin_the_platforms(tmp_path):
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0011")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspace (platform, external_id, next_task_number, created_at)"
                " VALUES ('console', 'console', 1, :at)"
            ),
            {"at": NOW},
        )
        for name, role in (("alice", "admin"), ("bob", "member")):
            conn.execute(
                text(
                    "INSERT INTO member (workspace_id, external_id, display_name, name_key,"
                    " role, created_at, updated_at) VALUES (1, :n, :n, :n, :r, :at, :at)"
                ),
                {"n": name, "r": role, "at": NOW},
            )
    upgrade(engine)
    with Session(engine) as s:
        found = {m.external_id: (m.role, m.platform_admin) for m in s.exec(select(Member))}
    assert found == {"alice": ("admin", True), "bob": ("member", False)}
    engine.dispose()


@pytest.mark.parametrize(
    ("word", "meant"),
    [("permissions", "role"), ("权限", "角色"), ("admins", "roles"), ("权限列表", "角色列表")],
)
def test_words_for_roles_are_suggested(bot, word, meant):
    out = bot.say(f"{word} @bob")
    assert meant in out and is_error(out)
