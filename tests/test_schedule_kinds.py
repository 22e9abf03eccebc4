"""The table of scheduled kinds: each row is whole, a new kind is one row and one builder, and
the scheduler's tick keeps the inbound dedupe table to the platforms' retry window."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.console import ConsoleBot
from bot.scheduler import INBOUND_KEPT, Scheduler
from handlers import schedule
from handlers.reply import Line, Reply
from handlers.schedule import KINDS, Kind, _check
from storage import queries
from tests.conftest import NOW, count
from tests.test_delivery import CONFIG, delivery, rows

DUE = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # Thursday 09:30 in Shanghai


def test_every_kind_is_whole():
    _check(KINDS)
    for kind in KINDS:
        assert callable(kind.build) and callable(kind.configure) and callable(kind.describe)


def test_a_kind_without_its_setting_word_fails_the_check():
    broken = replace(KINDS[0], name="checkin", setting="checkin")
    with pytest.raises(ValueError, match="not in SETTING_NAMES"):
        _check((*KINDS, broken))
    with pytest.raises(ValueError, match="share a name"):
        _check((*KINDS, KINDS[0]))


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_new_channel_has_each_kinds_default(db, kind: Kind):
    bot = ConsoleBot(db, CONFIG, user="alice", admins=["alice"], now=NOW)
    fresh = dict(bot.reply("settings").fields)
    bot.say(f"settings {kind.setting} {kind.default}")
    assert dict(bot.reply("settings").fields) == fresh


def test_a_new_kind_is_one_row_and_one_builder(db, monkeypatch):
    """A check-in that goes out with the reminder's settings: the scheduler makes its job and
    the delivery posts it once, with no other change."""

    def checkin(env) -> Reply:
        return Reply("Check-in", [Line(f"How is it going, #{env.channel.external_id}?")])

    row = replace(KINDS[0], name="checkin", build=checkin)
    monkeypatch.setattr(schedule, "KINDS", (*KINDS, row))
    monkeypatch.setitem(schedule.BY_NAME, "checkin", row)
    ConsoleBot(db, CONFIG, user="alice", now=NOW).say("add Write copy")

    jobs = Scheduler(delivery(db), clock=lambda: DUE).sync()
    assert set(jobs) == {"remind:1", "digest:1", "checkin:1"}
    out = io.StringIO()
    assert [o.result for o in delivery(db, out).run("checkin", DUE)] == ["sent"]
    assert [o.result for o in delivery(db, out).run("checkin", DUE)] == ["taken"]  # once
    assert "How is it going, #general?" in out.getvalue()
    assert [(r.kind, r.period) for r in rows(db)] == [("checkin", "2026-11-26")]


def test_the_tick_forgets_delivery_keys_past_the_retry_window(db):
    now = DUE
    with db.session() as s:
        assert queries.claim_inbound(s, "slack", "event:old", now - INBOUND_KEPT - timedelta(1))
        assert queries.claim_inbound(s, "slack", "event:recent", now - timedelta(hours=2))
    Scheduler(delivery(db), clock=lambda: now).tick()
    assert count(db, "inbound_seen") == 1
    with db.session() as s:
        assert queries.claim_inbound(s, "slack", "event:old", now)  # claimable again
        assert not queries.claim_inbound(s, "slack", "event:recent", now)
