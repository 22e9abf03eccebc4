"""Who may reach a task by its number. A task is readable in its own channel, by its owner or
its creator anywhere, and by an admin; anyone else gets the very answer a number that does not
exist gets, so a number tells a stranger nothing — not even that the task exists — and nothing
is written. Someone in the task's own channel who may not change it is still told so."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.console import render
from handlers import Context, CoreConfig, dispatch
from handlers.context import language_of
from handlers.messages import t
from tests.conftest import NOW, snapshot, task
from tests.test_permissions import CHANGES, NOT_ALLOWED

SECRET = "Secret launch plan"


def listed(out: str) -> list[int]:
    return [int(n) for n in re.findall(r"^  (?:[🔴🟡🟢] )?#(\d+) ", out, re.MULTILINE)]


@pytest.fixture
def secret(make_bot):
    """#1, a task of #general in +double11 made by dana (not an admin) for bob, due Mon Nov 30,
    then the commands of `setup` by dana. #2 does not exist."""

    def make(setup: tuple[str, ...] | list[str] = ()):
        dana = make_bot(user="dana")
        assert dana.say(f"add {SECRET} @bob due:2026-11-30 +double11").splitlines()[0] == (
            "🟢 Added #1"
        )
        for line in setup:
            assert not dana.reply(line).error, line
        return dana

    return make


def not_found_twins(speaker, said: str) -> tuple[str, str]:
    """What `said` answers for #1 (a task elsewhere) and for #2 (no task), #2 written as #1."""
    real = render(speaker.reply(said))
    missing = render(speaker.reply(re.sub(r"\b1\b", "2", said, count=1)))
    return real, missing.replace("#2", "#1")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_show_from_another_channel_reads_as_a_number_that_does_not_exist(
    db, make_bot, secret, lang
):
    secret()
    setup = make_bot(user="zoe", channel="ops")
    setup.say("settings lang zh" if lang == "zh" else "list")
    carol = make_bot(user="carol", channel="ops")  # has never spoken
    before = snapshot(db)
    word = "show" if lang == "en" else "查看"
    real, missing = not_found_twins(carol, f"{word} 1")
    assert real == missing
    assert real.splitlines() == [
        "⚠️ " + t(lang, "error_title"),
        "  " + t(lang, "task_not_found", task=1),
    ]
    assert SECRET not in real
    assert snapshot(db) == before


@pytest.mark.parametrize(("setup", "change"), CHANGES.values(), ids=CHANGES)
def test_a_change_from_another_channel_reads_as_a_number_that_does_not_exist(
    db, make_bot, secret, setup, change
):
    secret(setup)
    carol = make_bot(user="carol", channel="ops")
    before = snapshot(db)
    real, missing = not_found_twins(carol, change)
    assert real == missing
    lang = language_of(change) or "en"  # a channel with no language set answers in the command's
    assert real.splitlines() == [
        "⚠️ " + t(lang, "error_title"),
        "  " + t(lang, "task_not_found", task=1),
    ]
    assert NOT_ALLOWED not in real
    assert snapshot(db) == before


def test_in_chinese_a_change_from_another_channel_reads_as_no_task(db, make_bot, secret):
    secret()
    make_bot(user="zoe", channel="ops").say("settings lang zh")
    carol = make_bot(user="carol", channel="ops")
    before = snapshot(db)
    for said in ("完成 1", "阻塞 1 等设计稿", "指派 1 @carol", "截止 1 下周五"):
        real, missing = not_found_twins(carol, said)
        assert real == missing, said
        assert real.splitlines()[1] == "  本工作区找不到任务 #1。发送 `列表` 查看未完成的任务。"
    assert snapshot(db) == before


def test_a_direct_message_cannot_read_another_channels_task(db, make_bot, secret):
    secret()
    carol = make_bot(user="carol", channel="D-carol")
    before = snapshot(db)
    real, missing = not_found_twins(carol, "show 1")
    assert real == missing
    assert snapshot(db) == before


def test_in_its_own_channel_anyone_reads_it_and_a_stranger_is_told_not_allowed(
    db, make_bot, secret
):
    secret()
    carol = make_bot(user="carol")  # in #general, where the task lives
    assert carol.say("show 1").splitlines()[0] == f"🟢 #1 {SECRET}"
    before = snapshot(db)
    assert carol.say("done 1").splitlines() == ["⚠️ Couldn't do that", f"  {NOT_ALLOWED}"]
    assert snapshot(db) == before


def test_the_owner_reads_and_changes_it_from_anywhere(db, make_bot, secret):
    secret()
    bob = make_bot(user="bob", channel="D-bob")
    assert bob.say("show 1").splitlines()[0] == f"🟢 #1 {SECRET}"
    assert bob.say("start 1").splitlines()[0] == "🟢 Started #1"
    assert task(db, 1).status == "doing"


def test_the_creator_reads_and_changes_it_from_anywhere(db, make_bot, secret):
    secret()
    dana = make_bot(user="dana", channel="ops")
    assert dana.say("show 1").splitlines()[0] == f"🟢 #1 {SECRET}"
    assert dana.say("progress 1 40%").splitlines()[0] == "🟢 #1 is 40% done"


def test_an_admin_reads_and_changes_it_from_anywhere(db, make_bot, secret):
    secret()
    erin = make_bot(user="erin", admins=["erin"], channel="ops")
    assert erin.say("show 1").splitlines()[0] == f"🟢 #1 {SECRET}"
    assert erin.say("block 1 waiting for legal").splitlines()[0] == "🔴 #1 is blocked"


def test_an_owner_who_hands_it_on_no_longer_reads_it_from_elsewhere(db, make_bot, secret):
    secret()
    bob = make_bot(user="bob", channel="ops")
    assert bob.say("assign 1 @carol").splitlines()[0] == "🟢 #1 assigned to @carol"
    real, missing = not_found_twins(bob, "show 1")
    assert real == missing


def test_lists_in_another_channel_show_none_of_its_tasks(db, make_bot, secret):
    """`list` and each of its filters read the speaker's channel only, even for a person or a
    project whose tasks live elsewhere."""
    dana = secret(["block 1 waiting for design"])
    dana.say("add Another one @bob +double11")
    carol = make_bot(user="carol", channel="ops")
    for said in ("list", "list all", "list blocked", "list @bob", "list +double11", "list @dana"):
        out = carol.say(said)
        assert listed(out) == [], (said, out)
        assert SECRET not in out
    bob = make_bot(user="bob", channel="ops")
    assert listed(bob.say("list mine")) == []  # a channel's list, even of one's own tasks


def test_a_wecom_group_cannot_read_another_groups_task(db):
    config = CoreConfig(default_tz="Asia/Shanghai", default_lang="zh")
    moment = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert moment == NOW

    def say(group: str, user: str, text: str) -> str:
        ctx = Context(
            db=db,
            platform="wecom",
            workspace="wwcorp",
            channel=group,
            user=user,
            user_name=user,
            is_admin=False,
            now=moment,
            config=config,
        )
        return render(dispatch(text, ctx))

    assert say("wrk-chat-1", "zhangsan", "新建 双11 预算表 @lisi").splitlines()[0] == "🟢 已新建 #1"
    before = snapshot(db)
    real = say("wrk-chat-2", "wangwu", "查看 1")
    missing = say("wrk-chat-2", "wangwu", "查看 2").replace("#2", "#1")
    assert real == missing
    assert "预算表" not in real
    assert snapshot(db) == before
    assert say("wrk-chat-2", "lisi", "查看 1").splitlines()[0] == "🟢 #1 双11 预算表"
