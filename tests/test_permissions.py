"""Who may do what, and where a task can be reached from.

Anyone in a channel adds tasks and reads them; only the owner, the creator, a manager or an
admin changes or closes one, and a refused change writes nothing at all (roles in full:
tests/test_roles.py). A task lives in one workspace: the same number elsewhere is another
task, or none."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from handlers.context import language_of
from handlers.messages import t
from storage.models import Member, Project, TaskEvent
from tests.conftest import count, member, snapshot, task


def actors(db, number: int) -> list[str]:
    """Who wrote each event of task #number in the console workspace, oldest first."""
    with Session(db.engine) as s:
        t = task(db, number)
        rows = s.exec(
            select(Member.external_id)
            .join(TaskEvent, TaskEvent.actor_id == Member.id)
            .where(TaskEvent.task_id == t.id)
            .order_by(TaskEvent.id)
        )
        return list(rows)


def listed(out: str) -> list[int]:
    return [int(n) for n in re.findall(r"^  (?:[🔴🟡🟢] )?#(\d+) ", out, re.MULTILINE)]


def is_error(out: str) -> bool:
    return out.startswith("⚠️")


NOT_ALLOWED = "Only the owner, the creator, a manager or an admin can change #1."

# each change, the commands (by the creator) that make it possible, and the change itself
CHANGES = {
    "start": ([], "start 1"),
    "done": ([], "done 1 shipped"),
    "cancel": ([], "cancel 1 not needed"),
    "reopen": (["done 1"], "reopen 1"),
    "progress": ([], "progress 1 40%"),
    "progress 100": (["start 1"], "progress 1 100%"),
    "block": ([], "block 1 waiting for design cause:resources"),
    "unblock": (["block 1 waiting for design"], "unblock 1 design delivered"),
    "assign": ([], "assign 1 @carol"),
    "due": ([], "due 1 2026-12-04"),
    "snooze": ([], "snooze 1 2d"),
    "done in Chinese": ([], "完成 1"),
    "after": (["add Second brief"], "after 1 2"),
    "依赖": (["add Second brief"], "依赖 1 2"),
    "after none": (["add Second brief", "after 1 2"], "after 1 none"),
}


@pytest.fixture
def dana_task(make_bot):
    """#1 "Campaign brief", created by dana (not an admin) for bob, due Mon Nov 30."""

    def make(setup: list[str]):
        dana = make_bot(user="dana")
        assert "Added #1" in dana.say("add Campaign brief @bob due:2026-11-30")
        for line in setup:
            assert not is_error(out := dana.say(line)), out
        return dana

    return make


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_a_stranger_cannot_change_a_task_and_nothing_is_written(
    db, make_bot, dana_task, setup, change
):
    dana_task(setup)
    carol = make_bot(user="carol")  # has never spoken: even her member row must not appear
    before = snapshot(db)
    out = carol.say(change)
    lang = language_of(change) or "en"  # a channel with no language set answers in the command's
    assert out.splitlines() == [
        "⚠️ " + t(lang, "error_title"),
        "  " + t(lang, "not_allowed", task=1),
    ]
    assert "Campaign brief" not in out
    assert snapshot(db) == before


def test_a_member_who_has_spoken_before_is_refused_too(db, make_bot, dana_task):
    dana_task([])
    carol = make_bot(user="carol")
    carol.say("list")
    before = snapshot(db)
    for _, change in CHANGES.values():
        said = t(language_of(change) or "en", "not_allowed", task=1)
        assert said in carol.say(change), change
    assert snapshot(db) == before


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_the_owner_can_change_their_task(db, make_bot, dana_task, setup, change):
    dana_task(setup)
    before = len(actors(db, 1))
    out = make_bot(user="bob").say(change)
    assert not is_error(out), out
    assert actors(db, 1)[before:] and set(actors(db, 1)[before:]) == {"bob"}


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_the_creator_can_change_their_task(db, make_bot, dana_task, setup, change):
    dana = dana_task(setup)
    before = len(actors(db, 1))
    out = dana.say(change)
    assert not is_error(out), out
    assert actors(db, 1)[before:] and set(actors(db, 1)[before:]) == {"dana"}


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_an_admin_can_change_anyones_task(db, make_bot, dana_task, setup, change):
    dana_task(setup)
    before = len(actors(db, 1))
    out = make_bot(user="erin", admins=["erin"]).say(change)
    assert not is_error(out), out
    assert actors(db, 1)[before:] and set(actors(db, 1)[before:]) == {"erin"}


def test_the_default_bot_is_an_admin(bot, db, dana_task):
    dana_task([])
    assert bot.say("done 1").splitlines()[0] == "Done: #1"
    assert task(db, 1).status == "done"


def test_an_admin_who_loses_the_role_loses_the_right(db, make_bot, dana_task):
    dana_task([])
    assert not is_error(make_bot(user="erin", admins=["erin"]).say("start 1"))
    assert member(db, "erin").role == "admin"
    erin = make_bot(user="erin", admins=[])
    erin.say("list")  # the platform no longer says she is an admin
    assert member(db, "erin").role == "member"
    assert NOT_ALLOWED in erin.say("progress 1 50%")
    assert task(db, 1).progress == 0


def test_an_owner_who_hands_a_task_on_can_no_longer_change_it(db, make_bot, dana_task):
    dana_task([])
    bob = make_bot(user="bob")
    assert bob.say("assign 1 @carol").splitlines()[0] == "🟢 #1 assigned to @carol"
    before = snapshot(db)
    assert NOT_ALLOWED in bob.say("start 1")
    assert snapshot(db) == before
    assert not is_error(make_bot(user="carol").say("start 1"))


def test_the_refusal_reads_in_the_channel_language(db, make_bot, dana_task):
    dana = dana_task([])
    dana.say("settings lang zh")
    out = make_bot(user="carol").say("完成 1")
    assert out.splitlines() == ["⚠️ 没能执行", "  只有负责人、创建人、管理者或管理员可以修改 #1。"]


def test_anyone_can_add_a_task(db, make_bot):
    carol = make_bot(user="carol")
    out = carol.say("add Draft newsletter @bob +double11")
    assert out.splitlines()[0] == "🟢 Added #1"
    t = task(db, 1)
    assert t.creator_id == member(db, "carol").id
    assert t.assignee_id == member(db, "bob").id
    assert member(db, "carol").role == "member"
    assert not is_error(carol.say("start 1"))  # and, as its creator, change it


def test_anyone_can_show_and_list(db, bot, make_bot):
    bot.say("add Campaign brief @bob due:2026-11-30")
    bot.say("block 1 waiting for design")
    carol = make_bot(user="carol")
    out = carol.say("show 1")
    assert out.splitlines()[0] == "🔴 #1 Campaign brief"
    assert "  Owner: @bob" in out.splitlines()
    assert "Blocker: waiting for design" in out
    assert listed(carol.say("list")) == [1]
    assert listed(carol.say("list blocked")) == [1]
    assert listed(carol.say("list @bob")) == [1]


def test_reading_changes_no_task(db, bot, make_bot):
    bot.say("add Campaign brief @bob")
    carol = make_bot(user="carol")
    carol.say("list")  # her first word adds her as a member
    before = snapshot(db)
    for text in ("show 1", "list", "list all", "list @bob", "help", "settings"):
        assert not is_error(carol.say(text)), text
    assert snapshot(db) == before


# --- /as in the console -------------------------------------------------------------------------


def test_as_switches_the_speaker(bot, db):
    bot.say("add Alice's own task")
    assert bot.say("/as bob") == "(now speaking as @bob)"
    out = bot.say("add Bob's task")
    assert "#2 Bob's task · @bob" in out
    assert task(db, 2).creator_id == member(db, "bob").id
    assert listed(bot.say("list mine")) == [2]
    before = snapshot(db)
    assert NOT_ALLOWED in bot.say("done 1")  # bob is not an admin here
    assert snapshot(db) == before
    bot.say("/as alice")
    assert bot.say("done 2").splitlines()[0] == "Done: #2"  # alice is


def test_as_reaches_the_member_a_task_was_assigned_to(bot, db):
    bot.say("add Campaign brief @bob")
    bot.say("/as bob")
    assert bot.say("start 1").splitlines()[0] == "🟢 Started #1"
    assert count(db, "member") == 2
    assert actors(db, 1) == ["alice", "bob"]


# --- isolation between workspaces and channels ----------------------------------------------------


def test_another_workspace_cannot_see_a_task(bot, db, make_bot):
    bot.say("add Secret launch plan")
    other = make_bot(user="mallory", workspace="other", admins=["mallory"])
    out = other.say("show 1")
    assert "not found" in out
    assert "Secret launch plan" not in out
    assert "Secret launch plan" not in other.say("list all")
    assert listed(other.say("list all")) == []


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_another_workspace_cannot_change_a_task(bot, db, make_bot, setup, change):
    bot.say("add Secret launch plan @bob due:2026-11-30")
    for line in setup:
        bot.say(line)
    other = make_bot(user="mallory", workspace="other", admins=["mallory"])
    before = snapshot(db)
    out = other.say(change)
    assert t(language_of(change) or "en", "task_not_found", task=1) in out
    assert "Secret launch plan" not in out
    assert snapshot(db) == before


def test_the_same_number_in_two_workspaces_is_two_tasks(bot, db, make_bot):
    bot.say("add Console task")
    other = make_bot(user="zoe", workspace="other")
    other.say("add Other task")
    assert bot.say("show 1").splitlines()[0] == "🟢 #1 Console task"
    assert other.say("show 1").splitlines()[0] == "🟢 #1 Other task"
    assert task(db, 1).id != task(db, 1, "other").id

    assert other.say("done 1").splitlines()[0] == "Done: #1"
    assert task(db, 1, "other").status == "done"
    assert task(db, 1).status == "todo"
    assert listed(bot.say("list")) == [1]
    assert listed(other.say("list")) == []


def test_people_and_projects_belong_to_their_workspace(bot, db, make_bot):
    bot.say("add Console task @bob +double11")
    other = make_bot(user="zoe", workspace="other")
    out = other.say("add Other task @bob +double11")
    assert "@bob is new here" in out
    assert "New project +double11 created." in out
    assert member(db, "bob").id != member(db, "bob", "other").id
    assert task(db, 1, "other").assignee_id == member(db, "bob", "other").id
    with Session(db.engine) as s:
        assert len(s.exec(select(Project)).all()) == 2
    assert task(db, 1).project_id != task(db, 1, "other").project_id


def test_a_workspace_admin_is_not_an_admin_elsewhere(bot, db, make_bot):
    bot.say("add Console task")
    alice_elsewhere = make_bot(user="alice", workspace="other", admins=[])
    alice_elsewhere.say("list")
    assert member(db, "alice", "other").role == "member"
    assert member(db, "alice").role == "admin"


def test_a_channel_lists_only_its_own_tasks(bot, db, make_bot):
    bot.say("add General task")
    ops = make_bot(user="bob", channel="ops")
    ops.say("add Ops task")
    assert listed(bot.say("list all")) == [1]
    assert listed(ops.say("list all")) == [2]
    assert "General task" not in ops.say("list all")
    assert bot.say("/channel ops") == "(now in #ops)"
    assert listed(bot.say("list")) == [2]


def test_a_task_number_reaches_across_channels_of_one_workspace(bot, db, make_bot):
    bot.say("add General task @bob")
    ops = make_bot(user="bob", channel="ops")
    assert ops.say("show 1").splitlines()[0] == "🟢 #1 General task"
    assert ops.say("start 1").splitlines()[0] == "🟢 Started #1"
    assert listed(ops.say("list")) == []  # it still lives in #general
    assert listed(bot.say("list")) == [1]
