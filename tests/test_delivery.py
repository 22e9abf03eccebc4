"""Scheduled posts: when they are due (zones, DST, holidays), and that each goes out exactly
once — across reruns, restarts, a second process, errors and a crash halfway. Jobs are plain
functions of `now`; nothing here sleeps."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.console import ConsoleBot, ConsolePoster
from bot.delivery import Delivery, Permanent, Progress, Transient, run_all
from bot.pacing import Pacer
from bot.scheduler import Scheduler, trigger_for
from handlers import Context, CoreConfig
from handlers.dispatch import dispatch
from handlers.schedule import is_due_on, last_due
from storage.models import Channel, Outbox, Workspace
from tests.conftest import NOW

CONFIG = CoreConfig(default_tz="Asia/Shanghai")


def channel(**settings) -> Channel:
    base = dict(
        workspace_id=1,
        external_id="c",
        tz="Asia/Shanghai",
        lang="en",
        remind_time="09:30",
        remind_days="mon,tue,wed,thu,fri",
        digest_day="mon",
        digest_time="10:00",
        created_at=NOW,
    )
    return Channel(**{**base, **settings})


def on_platform(
    db,
    platform: str,
    *,
    workspace: str | None = None,
    channel: str | None = None,
    webhook: str | None = None,
) -> None:
    """Make the one console workspace and channel a given platform's (seeded through the
    console, posted to as Slack or WeCom)."""
    with Session(db.engine) as s:
        ws = s.exec(select(Workspace)).one()
        ch = s.exec(select(Channel).where(Channel.workspace_id == ws.id)).one()
        ws.platform = platform
        if workspace:
            ws.external_id = workspace
        if channel:
            ch.external_id = channel
        if webhook:
            ch.post_target = webhook
        s.add_all([ws, ch])
        s.commit()


# --- when -------------------------------------------------------------------------------------


def test_reminder_days_and_time():
    ch = channel()
    assert is_due_on(ch, "remind", date(2026, 11, 27))  # Friday
    assert not is_due_on(ch, "remind", date(2026, 11, 28))  # Saturday
    assert last_due(ch, "remind", datetime(2026, 11, 27, 1, 29, tzinfo=UTC)) == datetime(
        2026, 11, 26, 1, 30, tzinfo=UTC
    )  # before 09:30 Friday: Thursday's
    assert last_due(ch, "remind", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)) == datetime(
        2026, 11, 27, 1, 30, tzinfo=UTC
    )  # on Sunday: Friday's


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # New York springs forward on 2026-03-08: 09:30 local is 14:30 UTC before, 13:30 after
        (
            "America/New_York",
            datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
            datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
        ),
        (
            "America/New_York",
            datetime(2026, 3, 9, 13, 30, tzinfo=UTC),
            datetime(2026, 3, 9, 13, 30, tzinfo=UTC),
        ),
        (
            "America/New_York",
            datetime(2026, 3, 9, 13, 29, tzinfo=UTC),
            datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
        ),
        # London falls back on 2026-10-25: 09:30 local is 08:30 UTC before, 09:30 after
        (
            "Europe/London",
            datetime(2026, 10, 23, 8, 30, tzinfo=UTC),
            datetime(2026, 10, 23, 8, 30, tzinfo=UTC),
        ),
        (
            "Europe/London",
            datetime(2026, 10, 26, 9, 30, tzinfo=UTC),
            datetime(2026, 10, 26, 9, 30, tzinfo=UTC),
        ),
        (
            "Europe/London",
            datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
            datetime(2026, 10, 23, 8, 30, tzinfo=UTC),
        ),
    ],
)
def test_wall_clock_time_across_dst(zone, now, expected):
    assert last_due(channel(tz=zone), "remind", now) == expected


def test_chinese_holidays_and_swapped_workdays():
    ch = channel(holidays="CN")
    assert not is_due_on(ch, "remind", date(2026, 10, 1))  # National Day, a Thursday
    assert not is_due_on(ch, "remind", date(2026, 10, 5))  # still the Golden Week
    assert is_due_on(ch, "remind", date(2026, 10, 10))  # a Saturday worked instead (调休)
    assert is_due_on(ch, "remind", date(2026, 2, 14))  # a Saturday worked for Spring Festival
    assert not is_due_on(channel(), "remind", date(2026, 10, 10))  # without the calendar


def test_digest_on_its_day_and_off():
    assert is_due_on(channel(digest_day="fri"), "digest", date(2026, 11, 27))
    assert not is_due_on(channel(digest_day="fri"), "digest", date(2026, 11, 26))
    assert last_due(channel(digest_day=None), "digest", NOW) is None
    assert last_due(channel(remind_time=None), "remind", NOW) is None


def test_cron_triggers_follow_the_channel_zone():
    trigger = trigger_for(channel(tz="America/New_York"), "remind")
    after = trigger.get_next_fire_time(None, datetime(2026, 3, 7, 0, 0, tzinfo=UTC))
    assert after == datetime(2026, 3, 9, 9, 30, tzinfo=after.tzinfo)  # Monday, EDT
    assert after.astimezone(UTC) == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)
    assert "sat" in str(trigger_for(channel(holidays="CN"), "remind"))  # the job decides


# --- exactly once -------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    """#general with two overdue tasks, reminder at 09:30 Shanghai time on weekdays."""
    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW - timedelta(days=3))
    bot.say("add Write copy @bob due:2026-11-24")
    bot.say("add Book studio due:2026-11-25 +launch")
    return bot


DUE = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # Thursday 09:30 in Shanghai


def delivery(db, out=None, **kw):
    return Delivery(db, CONFIG, {"console": ConsolePoster(out or io.StringIO())}, **kw)


def rows(db) -> list[Outbox]:
    with Session(db.engine) as s:
        return list(s.exec(select(Outbox).order_by(Outbox.id)))


def test_a_reminder_goes_out_once_however_often_the_job_runs(team, db):
    out = io.StringIO()
    d = delivery(db, out)
    assert [o.result for o in d.run("remind", DUE)] == ["sent"]
    assert [o.result for o in d.run("remind", DUE + timedelta(minutes=5))] == ["taken"]
    assert [o.result for o in delivery(db, out).run("remind", DUE)] == ["taken"]  # a restart
    assert out.getvalue().count("Morning check") == 1
    [row] = rows(db)
    assert (row.kind, row.period, row.status, row.parts_sent) == ("remind", "2026-11-26", "sent", 1)


def test_two_processes_at_the_same_moment_post_once(team, db):
    outs = [io.StringIO(), io.StringIO()]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def process(out):
        d = delivery(db, out)
        barrier.wait()
        results.extend(o.result for o in d.run("remind", DUE))

    threads = [threading.Thread(target=process, args=(o,)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["sent", "taken"]
    assert sum(o.getvalue().count("Morning check") for o in outs) == 1


def test_start_up_within_the_grace_window_posts_what_was_missed(team, db):
    out = io.StringIO()
    outcomes = run_all(delivery(db, out), DUE + timedelta(hours=2, minutes=59))
    assert ("remind", "sent") in [(o.kind, o.result) for o in outcomes]
    assert "Morning check" in out.getvalue()


def test_past_the_grace_window_the_period_is_skipped_and_logged(team, db, caplog):
    out = io.StringIO()
    outcomes = delivery(db, out).run("remind", DUE + timedelta(hours=3, minutes=1))
    assert [o.result for o in outcomes] == ["skipped"]
    assert out.getvalue() == ""
    assert rows(db)[0].status == "skipped"
    assert "down past the grace window" in caplog.text
    assert [o.result for o in delivery(db, out).run("remind", DUE + timedelta(hours=4))] == [
        "taken"
    ]


def test_nothing_due_posts_nothing(db):
    ConsoleBot(db, CONFIG, user="alice", now=NOW).say("add Later due:2026-12-20")
    out = io.StringIO()
    assert [o.result for o in delivery(db, out).run("remind", DUE)] == ["nothing"]
    assert out.getvalue() == ""


def test_a_dry_run_prints_and_claims_nothing(team, db):
    out = io.StringIO()
    assert [o.result for o in delivery(db).run("remind", DUE, dry_run=True, out=out)] == ["dry-run"]
    assert "Morning check" in out.getvalue()
    assert rows(db) == []


def dry(db, kind: str, now: datetime, **kw):
    """A dry run: its one outcome and what it printed, with nothing written (checked here)."""
    from tests.conftest import snapshot

    before = snapshot(db)
    out = io.StringIO()
    [outcome] = delivery(db).run(kind, now, dry_run=True, out=out, **kw)
    assert snapshot(db) == before
    return outcome, out.getvalue()


def test_a_dry_run_says_it_would_post_and_writes_nothing(team, db):
    outcome, printed = dry(db, "remind", DUE)
    assert (outcome.result, outcome.why) == ("dry-run", "would post the message above")
    assert "Morning check" in printed


def test_a_dry_run_on_a_fresh_database_does_not_even_note_the_bot(db):
    ConsoleBot(db, CONFIG, user="alice", now=NOW).say("help")
    _, printed = dry(db, "digest", datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    assert "Weekly stand-up" in printed  # the bot's member row was made, then rolled back


def test_a_dry_run_past_the_grace_window_writes_no_skip_and_logs_nothing(team, db, caplog):
    outcome, printed = dry(db, "remind", DUE + timedelta(hours=4))
    assert printed == "" and rows(db) == [] and "skipped" not in caplog.text
    assert outcome.why == (
        "nothing would be posted: it was due at 2026-11-26 09:30 CST, more than 3 h ago "
        "(a real run marks it skipped)"
    )


def test_a_dry_run_says_when_today_is_not_a_working_day(team, db):
    saturday = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)
    outcome, printed = dry(db, "remind", saturday)
    assert printed == ""
    assert outcome.period == "2026-11-27"
    assert outcome.why == (
        "nothing would be posted: today (Sat Nov 28) is not a remind day here (mon,tue,wed,thu,fri)"
    )
    with Session(db.engine) as s:
        ch = s.exec(select(Channel)).one()
        ch.holidays = "CN"
        s.add(ch)
        s.commit()
    national_day = datetime(2026, 10, 1, 1, 30, tzinfo=UTC)  # a Thursday, a public holiday
    outcome, _ = dry(db, "remind", national_day)
    assert outcome.why == (
        "nothing would be posted: today (Thu Oct 1) is not a remind day here "
        "(mon,tue,wed,thu,fri, less the public holidays of CN)"
    )


def test_a_dry_run_before_the_time_says_when_it_goes_out(team, db):
    outcome, printed = dry(db, "remind", DUE - timedelta(hours=1))
    assert printed == ""
    assert outcome.why == "nothing would be posted yet: it goes out at 09:30 (Asia/Shanghai)"


def test_a_dry_run_after_the_post_went_out_says_already_sent(team, db):
    delivery(db).run("remind", DUE)
    outcome, printed = dry(db, "remind", DUE + timedelta(minutes=10))
    assert printed == ""
    assert outcome.why == "nothing would be posted: already sent at 2026-11-26 01:30Z"


def test_a_dry_run_with_nothing_due_says_so(db):
    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW)
    bot.say("add Later thing due:2027-01-31")
    outcome, printed = dry(db, "remind", DUE)
    assert printed == ""
    assert outcome.why == "nothing would be posted: nothing is overdue or due today"


def test_a_dry_run_of_a_post_that_is_off(team, db):
    team.say("settings digest off")
    outcome, _ = dry(db, "digest", datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    assert outcome.why == "nothing would be posted: the digest is off here"


def test_force_posts_again_under_its_own_key(team, db):
    out = io.StringIO()
    d = delivery(db, out)
    d.run("remind", DUE)
    assert [o.result for o in d.run("remind", DUE, channel="general", force=True)] == ["sent"]
    assert out.getvalue().count("Morning check") == 2
    assert len(rows(db)) == 2


class Waiting:
    """A poster whose every post waits, as a paced post waits for its channel's next turn,
    until `n` posts are in flight at once."""

    def __init__(self, n: int) -> None:
        self.barrier = threading.Barrier(n, timeout=10)
        self.channels: list[str] = []

    def post(self, channel, workspace, reply, progress: Progress) -> None:
        self.barrier.wait()
        self.channels.append(channel.external_id)
        progress.sent()


def test_channels_waiting_for_their_pace_do_not_hold_up_the_others(db):
    for n in range(12):
        bot = ConsoleBot(db, CONFIG, channel=f"room{n}", user="alice", now=NOW)
        bot.say("add Write copy @bob due:2026-11-24")
    poster = Waiting(12)  # every channel's post waits until all twelve are under way
    outcomes = Delivery(db, CONFIG, {"console": poster}).run("remind", DUE)
    assert [o.result for o in outcomes] == ["sent"] * 12
    assert sorted(poster.channels) == sorted(f"room{n}" for n in range(12))


class Flaky:
    """A poster that raises the given errors, one per call, then posts; it records what it
    delivered."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.delivered: list[str] = []

    def post(self, channel, workspace, reply, progress: Progress) -> None:
        if self.failures:
            raise self.failures.pop(0)
        for n, part in enumerate([reply.title, *(t.title for t in reply.thread)]):
            if n >= progress.parts_sent:
                self.delivered.append(part)
                progress.sent()


def test_transient_errors_back_off_then_succeed(team, db):
    poster = Flaky(Transient("429", retry_after=90), Transient("500"))
    d = Delivery(db, CONFIG, {"console": poster})
    assert [o.result for o in d.run("remind", DUE)] == ["retry"]
    [row] = rows(db)
    assert row.next_attempt_at == DUE + timedelta(seconds=90)  # Retry-After beats 30 s
    assert d.retry_due(DUE + timedelta(seconds=60)) == []  # not yet
    assert [o.result for o in d.retry_due(DUE + timedelta(seconds=90))] == ["retry"]
    assert [o.result for o in d.retry_due(DUE + timedelta(minutes=5))] == ["sent"]
    assert len(poster.delivered) == 1 and "Morning check" in poster.delivered[0]
    assert rows(db)[0].attempts == 3


def test_a_permanent_error_stops_that_channel_and_is_logged_once(team, db, caplog):
    d = Delivery(db, CONFIG, {"console": Flaky(Permanent("channel_not_found"))})
    assert [o.result for o in d.run("remind", DUE)] == ["failed"]
    assert rows(db)[0].status == "failed"
    assert d.retry_due(DUE + timedelta(hours=1)) == []
    assert caplog.text.count("channel_not_found") == 1


def test_a_crash_halfway_resumes_without_posting_twice(db):
    """A digest of three messages: the process dies after the first; the retry posts two."""
    bot = ConsoleBot(db, CONFIG, user="alice", now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    bot.say("add Landing page due:2026-11-25 +launch")
    monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

    class Dies(Exception):
        pass

    delivered: list[str] = []

    class Poster:
        def __init__(self, dies: bool) -> None:
            self.dies = dies

        def post(self, channel, workspace, reply, progress):
            parts = [reply.title, *(t.title for t in reply.thread)]
            for n, part in enumerate(parts):
                if n < progress.parts_sent:
                    continue
                if n == 1 and self.dies:
                    raise Dies  # the process is killed between two messages
                delivered.append(part)
                progress.sent("ts-1" if n == 0 else None)

    with pytest.raises(Dies):
        Delivery(db, CONFIG, {"console": Poster(dies=True)}).run("digest", monday)
    [row] = rows(db)
    assert (row.status, row.parts_sent, row.thread_ref) == ("pending", 1, "ts-1")
    restarted = Delivery(db, CONFIG, {"console": Poster(dies=False)})
    assert restarted.retry_due(monday + timedelta(minutes=1)) == []  # its lease still holds
    assert [o.result for o in restarted.retry_due(monday + timedelta(minutes=6))] == ["sent"]
    assert len(delivered) == len(set(delivered)) == 3  # parent, +launch, the question


def test_the_scheduler_builds_one_job_per_channel_and_kind_and_follows_changes(team, db):
    scheduler = Scheduler(delivery(db), clock=lambda: DUE)
    jobs = scheduler.sync()
    assert set(jobs) == {"remind:1", "digest:1"}
    assert "Asia/Shanghai" in jobs["remind:1"] and "hour='9', minute='30'" in jobs["remind:1"]
    team.say("settings remind 08:00")
    team.say("settings digest off")
    jobs = scheduler.sync()
    assert set(jobs) == {"remind:1"} and "hour='8', minute='0'" in jobs["remind:1"]
    scheduler.fire("remind", 1)  # what APScheduler calls at 08:00
    assert rows(db)[0].kind == "remind"


# --- the platforms: a digest as a Slack thread ----------------------------------------------------


def test_a_slack_digest_is_a_parent_and_thread_replies_once_despite_a_429(db):
    from slack_sdk import WebClient

    from bot.slack import SlackPoster
    from tests.fakes import slack as fk

    slack = ConsoleBot(db, CONFIG, user="alice", now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    slack.workspace = "T1"
    slack.say("add Landing page due:2026-11-25 +launch")
    slack.say("add Press kit due:2026-12-20 +press")
    on_platform(db, "slack", channel="C1")
    monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    with fk.FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        waits: list[float] = []
        pacer = Pacer(limit=1, per=1.0, clock=lambda: 0.0 + sum(waits), sleep=waits.append)
        d = Delivery(db, CONFIG, {"slack": SlackPoster(client, pacer)})
        fake.fail_next(
            "chat.postMessage",
            status=429,
            headers={"Retry-After": "30"},
            body={"ok": False, "error": "ratelimited"},
        )
        assert [o.result for o in d.run("digest", monday)] == ["retry"]
        fake.fail_next("chat.postMessage", status=500, times=1)  # the second try: a 500
        assert [o.result for o in d.retry_due(monday + timedelta(seconds=30))] == ["retry"]
        assert [o.result for o in d.retry_due(monday + timedelta(minutes=3))] == ["sent"]
        posts = fake.calls_to("chat.postMessage")[2:]  # the first two were refused
        parent, *replies = posts
        assert "Weekly stand-up" in str(parent.params["blocks"])
        assert not parent.params.get("thread_ts")
        [row] = rows(db)
        assert row.thread_ref  # the parent's ts, kept for the replies and for a resume
        assert [r.params["thread_ts"] for r in replies] == [row.thread_ref] * len(replies)
        assert len(replies) == 3  # +launch, +press, the question for the owners
        texts = [str(p.params["blocks"]) for p in posts]
        assert len(texts) == len(set(texts))  # each message once
        assert [o.result for o in d.run("digest", monday + timedelta(minutes=10))] == ["taken"]
        assert len(waits) >= 3  # a message a second in that channel: paced, not refused


def test_a_slack_channel_that_is_gone_stops_until_someone_speaks_there(db, caplog):
    from slack_sdk import WebClient

    from bot.slack import SlackPoster
    from tests.fakes import slack as fk

    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW - timedelta(days=2))
    bot.say("add Overdue thing due:2026-11-24")
    on_platform(db, "slack")
    with fk.FakeSlack() as fake:
        poster = SlackPoster(WebClient(token="x", base_url=fake.base_url), Pacer(limit=5))
        d = Delivery(db, CONFIG, {"slack": poster})
        fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
        assert [o.result for o in d.run("remind", DUE)] == ["failed"]
        assert d.retry_due(DUE + timedelta(hours=2)) == []
        friday = DUE + timedelta(days=1)
        assert [o.result for o in d.run("remind", friday)] == ["stopped"]  # not tried again
        assert {o.result for o in run_all(d, friday + timedelta(minutes=1))} == {"stopped"}
        assert len(fake.calls_to("chat.postMessage")) == 1
        assert caplog.text.count("stopped scheduled posts to general") == 1  # logged once

        # Someone uses the bot there again: they hear what happened, and posts start again.
        ctx = Context(
            db=db,
            platform="slack",
            workspace="console",
            channel="general",
            user="U9",
            user_name="dana",
            now=friday + timedelta(hours=2),
            config=CONFIG,
        )
        notice = [line.text for line in dispatch("list", ctx).lines if "⚠️" in line.text]
        assert notice == [
            "⚠️ Scheduled posts here stopped on Thu Nov 26 (Slack: channel_not_found). They "
            "will be tried again from the next one; if the bot is not a member of this "
            "channel, add it first."
        ]
        assert not [line for line in dispatch("list", ctx).lines if "⚠️" in line.text]  # once
        monday = DUE + timedelta(days=4)
        assert [o.result for o in d.run("remind", monday)] == ["sent"]
        assert len(fake.calls_to("chat.postMessage")) == 2


# --- two real processes on PostgreSQL, and a big channel -----------------------------------------


def test_two_paceline_processes_on_postgresql_post_once(team, db, request):
    """`paceline remind` started twice at the same moment against one PostgreSQL database."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the multi-process claim is PostgreSQL's (SQLite runs one process)")
    _, schema = request.getfixturevalue("pg_engine_url")
    url = db.engine.url.set(query={"options": f"-csearch_path={schema}"})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACELINE_", "DATABASE_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    command = [
        sys.executable,
        "-m",
        "bot",
        "remind",
        "--now",
        DUE.isoformat(),
        "--db",
        url.render_as_string(hide_password=False),
    ]
    procs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    printed = "".join(out for out, _err in outputs)
    assert printed.count("Morning check") == 1
    assert sorted(
        line.rsplit(": ", 1)[1]
        for line in printed.splitlines()
        if line.startswith("remind general")
    ) == ["sent", "taken"]


def test_a_channel_of_500_tasks_gets_its_reminder_within_slack_limits(db):
    from bot.slack import blocks as kit
    from handlers.dispatch import report

    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW - timedelta(days=10))
    for n in range(500):
        bot.say(f"add Task {n} @owner{n % 7} due:2026-11-{20 + n % 7:02d}")
    d = delivery(db)
    with Session(db.engine) as s:
        ch = s.exec(select(Channel)).one()

        ws = s.exec(select(Workspace)).one()
    reply = report("remind", d.context(ch, ws, DUE))
    task_lines = [line for line in reply.lines if line.text.startswith("#")]
    assert len(task_lines) == 500  # every due task, none dropped
    messages = kit.messages(reply)
    assert all(len(m.blocks) <= kit.MAX_BLOCKS for m in messages)
    sections = [
        b["text"]["text"]
        for m in messages
        for b in m.blocks
        if b["type"] == "section" and "text" in b
    ]
    assert all(len(text) <= kit.MAX_SECTION for text in sections)
    shown = " ".join(str(m.blocks) for m in messages)
    assert all(f"#{n} " in shown for n in range(1, 501))


# --- the platforms: a WeCom group, through its robot webhook ------------------------------------


def _wecom_team(db, webhook: str | None):
    bot = ConsoleBot(db, CONFIG, user="alice", now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    bot.say("add Landing page due:2026-11-25 +launch")
    bot.say("add Press kit due:2026-12-20 +press")
    on_platform(db, "wecom", workspace="wwcorp", channel="wrk-chat-1", webhook=webhook)


def _wecom_door(db, fake):
    from bot.pacing import Pacer
    from bot.settings import get_settings
    from bot.wecom import WeComDoor
    from tests.fakes import wecom as fw

    settings = get_settings(
        wecom_corp_id="wwcorp",
        wecom_secret="app-secret",
        wecom_agent_id=1000002,
        wecom_aibot_token="t",
        wecom_aibot_encoding_aes_key=fw.new_aes_key(),
        wecom_api_url=fake.base_url,
    )
    door = WeComDoor(settings, db, sleep=lambda _s: None)
    door.sender.pacer = Pacer(clock=lambda: 0.0, sleep=lambda _s: None)
    return Delivery(db, CONFIG, {"wecom": door.poster()})


def test_a_wecom_digest_is_a_series_of_markdown_posts_to_the_group_robot(db):
    from tests.fakes import wecom as fw

    monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    with fw.FakeWeCom(corp_id="wwcorp", secret="app-secret") as fake:
        _wecom_team(db, fake.webhook_url("k1"))
        d = _wecom_door(db, fake)
        fake.fail_next("webhook/send", errcode=45009)  # a busy robot: backed off, then posted
        assert [o.result for o in d.run("digest", monday)] == ["sent"]
        sent = fake.webhook_posts("k1")
        posts = [p["markdown"]["content"] for p in sent if p["msgtype"] == "markdown"]
        assert "每周站会" in posts[0] or "Weekly stand-up" in posts[0]  # the summary first
        assert any("+launch" in p for p in posts[1:]) and any("+press" in p for p in posts[1:])
        assert len(posts) == len(set(posts)) == 4  # summary, two projects, the question
        assert all(len(p.encode()) <= 4096 for p in posts)
        kinds = [p["msgtype"] for p in sent]  # a red or yellow project's Gantt after its post
        assert kinds.count("image") == len(fake.robot_images("k1")) >= 1
        assert kinds[0] == "markdown" and kinds[-1] == "markdown"
        assert [o.result for o in d.run("digest", monday)] == ["taken"]


def test_a_refused_wecom_webhook_pauses_the_group(db, caplog):
    from tests.fakes import wecom as fw

    with fw.FakeWeCom(corp_id="wwcorp", secret="app-secret") as fake:
        url = fake.webhook_url("k1")
        _wecom_team(db, url)
        fake.revoke_webhook("k1")
        d = _wecom_door(db, fake)
        monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        assert [o.result for o in d.run("digest", monday)] == ["failed"]
        with Session(db.engine) as s:
            assert s.exec(select(Channel)).one().post_target_refused_at is not None
        assert caplog.text.count("refused the webhook") == 1
        assert d.retry_due(monday + timedelta(hours=1)) == []


def test_a_wecom_group_without_a_webhook_is_told_in_the_outbox(db):
    from bot.wecom import group_robot
    from tests.fakes import wecom as fw

    with fw.FakeWeCom(corp_id="wwcorp", secret="app-secret") as fake:
        _wecom_team(db, None)
        d = _wecom_door(db, fake)
        assert [o.result for o in d.run("digest", datetime(2026, 11, 30, 2, 0, tzinfo=UTC))] == [
            "failed"
        ]
        assert "设置 webhook" in rows(db)[0].last_error
        assert fake.calls_to("webhook/send") == []
        tuesday = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
        assert [o.result for o in d.run("remind", tuesday)] == ["stopped"]  # once is enough

        # In the group, the first to speak hears why; an admin's webhook starts posts again.
        def ask(text: str, admin: bool = False):
            ctx = Context(
                db=db,
                platform="wecom",
                workspace="wwcorp",
                channel="wrk-chat-1",
                user="lisi" if admin else "wangwu",
                is_admin=admin,
                now=tuesday + timedelta(hours=1),
                config=CONFIG,
                post_target=group_robot(fake.base_url + "webhook/send"),
            )
            return dispatch(text, ctx)

        def say(text: str, admin: bool = False) -> str:
            return " ".join(line.text for line in ask(text, admin).lines)

        assert "⚠️ Scheduled posts to this group stopped on Mon Nov 30" in say("list")
        assert "⚠️" not in say("list")  # told once
        fields = dict(ask("settings").fields)
        assert fields["Scheduled posts"].startswith("stopped since Mon Nov 30 (no group robot")
        say(f"设置 webhook {fake.webhook_url('k2')}", admin=True)
        wednesday = tuesday + timedelta(days=1)
        assert [o.result for o in d.run("remind", wednesday)] == ["sent"]
        assert len(fake.webhook_posts("k2")) == 1


def test_a_slack_timeout_is_retried_later(db):
    """A Web API that accepts the connection and never answers: a timeout, tried again later."""
    import socket

    from slack_sdk import WebClient

    from bot.slack import SlackPoster

    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW - timedelta(days=2))
    bot.say("add Overdue thing due:2026-11-24")
    on_platform(db, "slack")
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/api/"
        poster = SlackPoster(WebClient(token="x", base_url=url, timeout=0.3), Pacer(limit=5))
        d = Delivery(db, CONFIG, {"slack": poster})
        assert [o.result for o in d.run("remind", DUE)] == ["retry"]
    [row] = rows(db)
    assert row.status == "pending" and "unreachable" in row.last_error
    assert row.next_attempt_at == DUE + timedelta(seconds=30)


def test_the_all_clear_is_posted_when_the_channel_asked_for_it(db):
    bot = ConsoleBot(db, CONFIG, user="alice", now=NOW)
    bot.say("settings allclear on")
    out = io.StringIO()
    assert [o.result for o in delivery(db, out).run("remind", DUE)] == ["sent"]
    assert "nothing overdue, nothing due today" in out.getvalue()


def test_a_paceline_process_killed_halfway_through_a_digest_resumes_without_repeats(tmp_path):
    """`paceline digest` is killed (SIGKILL) while Slack holds its second message; run again
    after the lease, it posts the rest into the same thread, and nothing twice."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from storage.db import Database
    from tests.fakes import slack as fk

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    db = Database.open(url)
    bot = ConsoleBot(db, CONFIG, user="alice", now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    bot.say("add Landing page due:2026-11-25 +launch")
    bot.say("add Press kit due:2026-12-20 +press")
    bot.say("settings charts off")  # messages only: a chart's parts are tests/test_pictures_slack
    on_platform(db, "slack")
    monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    with fk.FakeSlack() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PACELINE_", "SLACK_"))}
        env.update(
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=fake.base_url,
        )

        def digest(at: datetime) -> subprocess.Popen:
            return subprocess.Popen(
                [sys.executable, "-m", "bot", "digest", "--now", at.isoformat(), "--db", url],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

        fake.hang_after("chat.postMessage", answered=1)
        first = digest(monday)
        fake.wait_for("chat.postMessage", count=2, timeout=60)  # the second one hangs
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        fake.release()
        [row] = rows(db)
        assert (row.status, row.parts_sent) == ("pending", 1) and row.thread_ref
        fake.hang_after("chat.postMessage", answered=1000)
        again = digest(monday + timedelta(minutes=6))  # after the dead process's lease
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert "digest general 2026-11-30: sent" in out and "taken" in out
        posts = fake.calls_to("chat.postMessage")
        delivered = [posts[0], *posts[2:]]  # the held one never arrived
        texts = [str(p.params["blocks"]) for p in delivered]
        assert len(texts) == len(set(texts)) == 4  # summary, +launch, +press, the question
        assert [p.params.get("thread_ts") for p in delivered[1:]] == [row.thread_ref] * 3
    db.dispose()
