"""A one-shot `paceline remind` / `paceline digest` (from cron) runs to the end: it waits out short
Retry-After values and retries server errors itself, within its patience (two minutes in all),
so a post goes out exactly once in that run; a run that still could not post exits non-zero and
says what is pending.

The command runs in-process (`bot.cli.main`, test_cli's `paceline` fixture) against the local
fake Slack. Every wait — the run's own, the Slack SDK's Retry-After, the poster's pacing — is on
a pinned clock that moves only when something sleeps on it: nothing really waits."""

from __future__ import annotations

import sqlite3
import types
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.http_retry import builtin_handlers

from bot import delivery, pacing
from bot.console import ConsoleBot
from bot.delivery import JOB_PATIENCE, Delivery, Patience, Transient
from handlers import CoreConfig
from tests.fakes import slack as fk
from tests.fakes.clock import SleepClock as Clock
from tests.test_cli import _rebind_streams, paceline  # noqa: F401  (paceline: a fixture)

THURSDAY = ("--now", "2026-11-26T09:45+00:00")  # the console channel keeps UTC: 09:30 is past


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The run's patience, the poster's pacing and slack_sdk's Retry-After wait, all pinned."""
    pinned = Clock()
    _rebind_streams(monkeypatch, Patience.__init__, clock=pinned.now, sleep=pinned.sleep)
    _rebind_streams(monkeypatch, pacing.Pacer.__init__, clock=pinned.now, sleep=pinned.sleep)
    monkeypatch.setattr(builtin_handlers, "time", types.SimpleNamespace(sleep=pinned.sleep))
    return pinned


@pytest.fixture
def slack(paceline, tmp_path, monkeypatch):  # noqa: F811
    """A fake Slack, and a database (tmp_path/paceline.db) whose one channel, C1, is a Slack
    channel with two overdue tasks; the Slack settings point `paceline` at the fake."""
    made = paceline(
        "console",
        "--now",
        "2026-11-23T10:00+00:00",
        stdin="add Write copy @bob due:2026-11-24\nadd Book studio due:2026-11-25\n",
    )
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(tmp_path / "paceline.db") as conn:
        conn.execute("UPDATE workspace SET platform = 'slack', external_id = 'T1'")
        conn.execute("UPDATE channel SET external_id = 'C1'")
    with fk.FakeSlack() as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "test-signing-secret")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
        yield fake


def tries(fake: fk.FakeSlack) -> list[str]:
    """The text of every chat.postMessage the fake received, refused or accepted."""
    return [str(c.params.get("text")) for c in fake.calls_to("chat.postMessage")]


def test_a_429_then_a_500_are_waited_out_and_the_reminder_posts_once(paceline, slack, clock):  # noqa: F811
    slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    slack.fail_next("chat.postMessage", status=500)
    run = paceline("remind", "--channel", "C1", *THURSDAY)
    assert run.returncode == 0, run.stderr
    assert "remind C1 2026-11-26: sent" in run.stdout
    refused_429, refused_500, accepted = tries(slack)
    assert refused_429 == refused_500 == accepted and "Morning check" in accepted
    assert sum(clock.sleeps) < 10  # Retry-After 1 s (the SDK's wait), then 1 s (the run's)
    assert "sent     remind 2026-11-26" in paceline("outbox", "--all").stdout
    again = paceline("remind", "--channel", "C1", *THURSDAY)
    assert again.returncode == 0 and "taken" in again.stdout
    assert len(tries(slack)) == 3  # posted exactly once


def test_a_platform_failing_past_the_patience_exits_non_zero_and_says_what_is_pending(
    paceline,  # noqa: F811
    slack,
    clock,
):
    slack.fail_next("chat.postMessage", status=500, times=1000)
    run = paceline("remind", "--channel", "C1", *THURSDAY)
    assert run.returncode == 1
    assert "remind for C1 (2026-11-26) is still pending: Slack: internal_error" in run.stderr
    assert "remind C1 2026-11-26: retry (Slack: internal_error)" in run.stdout
    assert sum(clock.sleeps) <= JOB_PATIENCE  # bounded: it gave up within its patience
    assert 3 <= len(tries(slack)) <= 10
    outbox = paceline("outbox").stdout
    assert "pending" in outbox and "Slack: internal_error" in outbox

    # The next run (cron's, the next day) finds it first, and Slack answers again.
    slack.reset()
    later = paceline("remind", "--channel", "C1", "--now", "2026-11-26T10:45+00:00")
    assert later.returncode == 0, later.stderr
    assert "remind C1 2026-11-26: sent" in later.stdout
    assert len(tries(slack)) == 1


def test_a_retry_after_longer_than_the_patience_is_not_waited(paceline, slack, clock):  # noqa: F811
    slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "600"}, times=2)
    run = paceline("remind", "--channel", "C1", *THURSDAY)
    assert run.returncode == 1
    assert "still pending: Slack: ratelimited" in run.stderr
    assert [s for s in clock.sleeps if s >= 600] == [pytest.approx(600, abs=1)]  # the SDK's own
    assert len(tries(slack)) == 2


# --- the patience alone, and the scheduler without it ---------------------------------------------


class Flaky:
    """A poster that raises the given errors, one a call, then delivers."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.delivered = list(errors), []

    def post(self, channel, workspace, reply, progress) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.delivered.append(reply.title)
        progress.sent()


CONFIG = CoreConfig(default_tz="Asia/Shanghai")
DUE = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # Thursday 09:30 in Shanghai


@pytest.fixture
def team(db):
    bot = ConsoleBot(db, CONFIG, user="alice", now=DUE - timedelta(days=3))
    bot.say("add Write copy @bob due:2026-11-24")
    return bot


def test_the_patience_backs_off_then_stops_at_its_deadline():
    pinned = Clock()
    patience = Patience(20, clock=pinned.now, sleep=pinned.sleep)
    err = Transient("Slack: internal_error")
    waits = []
    while (slept := patience.wait(err, len(waits))) is not None:
        waits.append(slept)
    assert waits == [1, 2, 4, 8]  # the next, 15 s, would end past 20 s
    assert patience.wait(Transient("429", retry_after=5), 0) == 5  # 15 + 5 still fits
    assert patience.wait(Transient("429", retry_after=1), 0) is None


def test_one_run_with_patience_posts_through_transient_errors(team, db):
    pinned = Clock()
    poster = Flaky(Transient("429", retry_after=3), Transient("500"), Transient("busy"))
    patience = Patience(clock=pinned.now, sleep=pinned.sleep)
    d = Delivery(db, CONFIG, {"console": poster}, patience=patience)
    [outcome] = d.run("remind", DUE)
    assert (outcome.result, outcome.error) == ("sent", None)
    assert pinned.sleeps == [3, 1, 2] and len(poster.delivered) == 1


def test_without_patience_the_scheduler_leaves_it_for_a_later_tick(team, db):
    poster = Flaky(Transient("Slack: internal_error"))
    d = Delivery(db, CONFIG, {"console": poster})  # as `paceline serve`'s scheduler makes it
    [outcome] = d.run("remind", DUE)
    assert (outcome.result, outcome.error) == ("retry", "Slack: internal_error")
    assert poster.delivered == []
    assert [o.result for o in d.retry_due(DUE + delivery.BACKOFF[0])] == ["sent"]
