"""The verb table: one record per command, and what is derived from it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from handlers import verbs
from handlers.grammar import parse_bare
from handlers.messages import MESSAGES
from handlers.verbs import BY_NAME, VERBS, Verb, _check, parse, split_verb
from storage.models import Role
from tests.conftest import NOW, snapshot


def _noop(env, cmd):  # pragma: no cover - never run
    raise AssertionError


def test_every_verb_is_whole():
    _check(VERBS)
    for verb in VERBS:
        assert callable(verb.parse) and callable(verb.run), verb.name
        assert MESSAGES[verb.help_key]["en"] and MESSAGES[verb.help_key]["zh"], verb.name
        assert any(a.isascii() for a in verb.aliases), verb.name
        assert any(not a.isascii() for a in verb.aliases), verb.name


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        (Verb("burndown", ("burndown", "燃尽图"), parse_bare, _noop), "no help text"),
        (Verb("list", ("list",), parse_bare, _noop), "no Chinese alias"),
        (Verb("show", ("view", "查看"), parse_bare, _noop), "first alias must be its name"),
        (Verb("help", ("help", "列表"), parse_bare, _noop), "belongs to both"),
    ],
    ids=["help text", "chinese", "name first", "duplicate alias"],
)
def test_a_verb_missing_a_piece_fails_the_check(broken, why):
    table = (*(v for v in VERBS if v.name != broken.name), broken)
    with pytest.raises(ValueError, match=why):
        _check(table)


def test_every_alias_finds_its_verb():
    for verb in VERBS:
        for alias in verb.aliases:
            found, typed, _rest = split_verb(f"{alias} 1")
            assert found is verb and typed == alias


def test_parse_reads_the_table():
    assert parse("完成12", NOW.date()).verb == "done"
    assert parse("help 阻塞", NOW.date()).text == "block"


@pytest.mark.parametrize("text", ["add Write copy", "done 1", "settings lang zh"])
def test_the_channel_sees_what_the_table_announces(bot, text):
    bot.say("add Prepare")
    reply = bot.reply(text)
    assert not reply.error
    assert reply.public is BY_NAME[reply_verb(text)].announces(parse(text, NOW.date()))
    assert reply.public


@pytest.mark.parametrize("text", ["list", "show 1", "help", "settings", "digest"])
def test_reads_answer_only_the_speaker(bot, text):
    bot.say("add Prepare")
    reply = bot.reply(text)
    assert not reply.error and reply.public is False


def reply_verb(text: str) -> str:
    found, _typed, _rest = split_verb(text)
    assert found is not None
    return found.name


def test_a_verb_for_admins_refuses_others_and_changes_nothing(db, make_bot, monkeypatch):
    admin = make_bot(user="root", admins=["root"])
    member = make_bot(user="bob")
    admin.say("add Prepare")
    member.say("list")  # bob exists
    guarded = replace(BY_NAME["cancel"], roles=frozenset({Role.ADMIN}))
    monkeypatch.setitem(verbs.BY_NAME, "cancel", guarded)
    before = snapshot(db)
    said = member.say("cancel 1")
    assert "may not use `cancel`" in said
    assert snapshot(db) == before
    assert "Cancelled #1" in admin.say("cancel 1")


def test_a_command_replayed_under_its_delivery_key_is_applied_once(db, config):
    """A door's request worked again after a crash (same delivery key): the change is not made
    twice, and the answer is the first one, as it was (kept with the change)."""
    from dataclasses import replace as with_

    from bot.console import ConsoleBot
    from handlers import dispatch
    from tests.conftest import count

    bot = ConsoleBot(db, config, user="alice", admins=["alice"], now=NOW)
    ctx = with_(bot.context(), delivery="command:trig.42")
    first = dispatch("add Write copy @bob due:2026-12-01", ctx)
    again = dispatch("add Write copy @bob due:2026-12-01", ctx)
    assert count(db, "task") == 1
    assert again == first and not again.error and again.public
    other = dispatch("add Write copy @bob due:2026-12-01", with_(ctx, delivery="command:trig.43"))
    assert count(db, "task") == 2 and "#2" in other.title


def test_a_refused_command_keeps_no_key(db, config):
    from dataclasses import replace as with_

    from bot.console import ConsoleBot
    from handlers import dispatch
    from tests.conftest import count

    bot = ConsoleBot(db, config, user="alice", admins=["alice"], now=NOW)
    ctx = with_(bot.context(), delivery="command:trig.7")
    assert dispatch("add", ctx).error  # nothing was applied: a retry runs it again
    assert count(db, "inbound_seen") == 0


def test_the_notes_the_grammar_makes_reach_the_reply_of_any_verb(bot, monkeypatch):
    """A Command's notes (how the grammar read something it had to guess) end every verb's
    reply, in the channel's language."""
    import importlib

    from handlers.grammar import Command, Note

    monkeypatch.setattr(
        importlib.import_module("handlers.dispatch"),
        "parse",
        lambda text, today: Command("list", notes=(Note.of("due_in_past"),)),
    )
    out = bot.say("list")
    assert out.splitlines()[-1].strip().endswith("the task shows as overdue.")
