"""The Slack door end to end: signed HTTP requests into `paceline serve` on port 0, and the real
slack_sdk client talking to a local fake Web API that records every call.

Every Block Kit payload a test makes the bot send (chat.postMessage, chat.postEphemeral, posts to
a response_url, views.open, views.publish) is checked by `assert_block_kit_limits`
(tests/fakes/blockkit.py) when the test ends (the autouse fixture `every_payload_within_limits`),
and so is every error the listeners log: a listener that crashes after its ack fails the test
that made it crash.

The door's clock is pinned at `NOW` (tests/conftest.py), and the fake signs requests at that
moment: "today" is the same day whenever the suite runs.

Listeners run after the ack in Bolt's thread pool. Tests wait for the call they expect
(`fake.wait_for`), and before asserting that something did *not* happen they drain the pool
(`slack.drain()`: every listener started so far has finished)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

import bot.slack.door
from bot.settings import get_settings
from bot.slack import blocks as kit
from handlers import Action, Context, CoreConfig, Line, Reply, dispatch
from handlers.reply import Light
from storage.models import (
    Blocker,
    Channel,
    Member,
    Phase,
    Project,
    Task,
    TaskStatus,
    Workspace,
)
from tests.conftest import NOW, added_days_ago, count, snapshot
from tests.conftest import member as member_row
from tests.conftest import task as task_row
from tests.fakes import slack as fk
from tests.fakes.blockkit import (
    BLOCK_KIT_METHODS,
    RESPONSE_URL_USES,
    TEXT_TYPES,
    assert_block_kit_limits,
)
from tests.fakes.pools import DoorHarness, ErrorLog

SECRET = "test-signing-secret"
ZONE = ZoneInfo("Asia/Shanghai")
TEAM = "T1"


def today() -> date:
    return NOW.astimezone(ZONE).date()


def now_ts(offset: int = 0) -> int:
    """The pinned moment in epoch seconds, `offset` seconds off."""
    return int(NOW.timestamp()) + offset


def task(db, number: int) -> Task:
    return task_row(db, number, workspace=TEAM)


def member(db, external_id: str) -> Member:
    return member_row(db, external_id, workspace=TEAM)


def test_the_modals_keep_block_kit_limits():
    assert_block_kit_limits({"view": kit.new_task_modal("C1")})
    assert_block_kit_limits({"view": kit.block_modal(123456, "C1", "https://x/" + "r" * 500)})


# --- the renderer alone, at its edges -------------------------------------------------------------


def reply_of(**kwargs) -> Reply:
    kwargs.setdefault("title", "Title")
    return Reply(**kwargs)


RENDER_EDGES = {
    "a 400-character title": reply_of(title="T" * 400, lines=[Line("x")]),
    "a line of 10000 characters": reply_of(lines=[Line("y" * 10_000)]),
    "a line with actions of 7000 characters": reply_of(
        lines=[Line("z" * 7000, actions=[Action("Done", "done 1"), Action("Start", "start 1")])]
    ),
    "one action on a line": reply_of(lines=[Line("#1 x", actions=[Action("Reopen", "reopen 1")])]),
    "seven actions on a line": reply_of(
        lines=[Line("#1 x", actions=[Action(f"A{i}", f"v{i} 1") for i in range(7)])]
    ),
    "23 labelled fields": reply_of(fields=[(f"F{i}", str(i % 10) * 1900) for i in range(23)]),
    "12 unlabelled fields": reply_of(fields=[("", f"note {i}") for i in range(12)]),
    "30 buttons": reply_of(actions=[Action("B" * 100, f"start {i}") for i in range(30)]),
    "300 lines with menus": reply_of(
        lines=[
            Line(f"#{i} task", actions=[Action("Done", f"done {i}"), Action("Start", f"start {i}")])
            for i in range(300)
        ]
    ),
    "an error of 9000 characters": reply_of(lines=[Line("e" * 9000)], error=True),
    "an empty line": reply_of(lines=[Line("")]),
}


@pytest.mark.parametrize("reply", RENDER_EDGES.values(), ids=RENDER_EDGES.keys())
def test_the_renderer_keeps_every_limit_and_loses_no_text(reply):
    messages = kit.messages(reply)
    for message in messages:
        assert_block_kit_limits({"text": message.text, "blocks": message.blocks})
    assert len(messages) <= RESPONSE_URL_USES
    shown = "".join(text for m in messages for text in texts_of(m.blocks))
    for line in reply.lines:  # long text may be split, never dropped
        assert line.text in shown
    for label, value in reply.fields:
        assert value in shown and label in shown
    if not reply.error:
        assert reply.title in shown
    home = kit.home_view(reply)
    assert_block_kit_limits({"view": home})


def test_home_view_keeps_within_100_blocks_and_says_how_many_tasks_it_left_out():
    lines = [
        Line(f"#{i} task", Light.RED if i <= 98 else Light.GREEN, [Action("Done", f"done {i}")] * 2)
        for i in range(1, 151)
    ]
    view = kit.home_view(reply_of(lines=lines))
    assert_block_kit_limits({"view": view})
    text = json.dumps(view)
    shown = {int(n) for n in re.findall(r"#(\d+) task", text)}
    [note] = re.findall(r"\+(\d+) more", text)
    assert len(shown) + int(note) == 150


# --- the server, and a harness to talk to it ------------------------------------------------------


class Harness(DoorHarness):
    """`paceline serve` on port 0 with the Slack door, and ways to send it what Slack sends.
    Bolt's listener pool is `self.pool`; `drain()` waits until every listener has finished."""

    def __init__(self, settings, db, fake: fk.FakeSlack, monkeypatch) -> None:
        monkeypatch.setattr(fk, "signing_clock", NOW.timestamp)  # Slack signs at the door's now
        self.open_doors(settings, db, monkeypatch, clock=lambda: NOW, noun="listener")
        self.fake, self.db = fake, db
        self.url = f"http://127.0.0.1:{self.serve(settings, db)}/slack/events"
        self._names = itertools.count(1)

    def send(self, built: tuple[bytes, dict]) -> tuple[int, bytes]:
        status, _, body = fk.post(self.url, *built)
        return status, body

    def response_url(self) -> tuple[str, str]:
        name = f"r{next(self._names)}"
        return name, self.fake.response_url(name)

    def command(self, text: str, **kwargs) -> list[dict]:
        """`/task text`; the (first) answer posted to its response_url."""
        name, url = self.response_url()
        status, body = self.send(fk.slash_command(SECRET, text, response_url=url, **kwargs))
        assert status == 200, body
        return [c.params for c in self.fake.wait_for(f"respond:{name}")]

    def click(self, value: str, **kwargs) -> str:
        """A button in a channel message whose value is `value` (e.g. "done 3"); returns the
        name of its response_url."""
        name, url = self.response_url()
        action_id = kwargs.pop("action_id", "task:{}:{}".format(*value.partition(" ")[::2]))
        status, body = self.send(
            fk.block_action(SECRET, action_id, value, response_url=url, **kwargs)
        )
        assert status == 200, body
        return name

    def answer_to_click(self, value: str, **kwargs) -> dict:
        [answer] = self.fake.wait_for(f"respond:{self.click(value, **kwargs)}")
        return answer.params

    def home_click(self, value: str, **kwargs) -> None:
        """A pick in a task's overflow menu in the App Home tab."""
        status, body = self.send(
            fk.block_action(
                SECRET,
                f"task:menu:{value.partition(' ')[2]}",
                value,
                view={"id": "VHOME", "type": "home"},
                overflow=True,
                **kwargs,
            )
        )
        assert status == 200, body

    def mention(self, text: str, *, event_id: str, retry_num: int | None = None, **kwargs):
        status, body = self.send(
            fk.event(SECRET, fk.app_mention(text, **kwargs), event_id=event_id, retry_num=retry_num)
        )
        assert status == 200, body

    def open_home(self, user: str = "U1", *, event_id: str = "EvHome") -> dict:
        before = len(self.fake.calls_to("views.publish"))
        status, body = self.send(fk.event(SECRET, fk.app_home_opened(user), event_id=event_id))
        assert status == 200, body
        return self.fake.wait_for("views.publish", before + 1)[before].params

    def submit(self, view: dict, values: dict, **kwargs) -> tuple[int, dict]:
        """Submit a modal the bot opened (its callback_id and private_metadata)."""
        status, body = self.send(
            fk.view_submission(
                SECRET,
                view["callback_id"],
                values,
                private_metadata=view.get("private_metadata", ""),
                **kwargs,
            )
        )
        return status, json.loads(body) if body else {}


# Where the server logs its errors: a listener that crashed, a command that failed, a 500.
WATCHED = ("bot", "handlers", "storage", "slack_bolt", "waitress")


@pytest.fixture
def fake():
    with fk.FakeSlack() as server:
        server.add_user("U1", "alice", tz="Asia/Shanghai", display_name="alice")
        server.add_user("U2", "bob", tz="America/New_York", display_name="bob")
        server.add_user("UADMIN", "root", is_admin=True)
        yield server


@pytest.fixture(autouse=True)
def every_payload_within_limits(fake):
    """After each test: every Block Kit payload sent was within Slack's limits, no response_url
    was used more than Slack allows, and no listener logged an error."""
    errors = ErrorLog(WATCHED)
    logging.getLogger().addHandler(errors)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(errors)
    for call in list(fake.calls):
        if call.method in BLOCK_KIT_METHODS or call.method.startswith("respond:"):
            assert_block_kit_limits(call.params)
    uses = Counter(c.method for c in fake.calls if c.method.startswith("respond:"))
    assert max(uses.values(), default=0) <= RESPONSE_URL_USES, uses
    assert not errors.records, [r.getMessage() for r in errors.records]


@pytest.fixture
def overrides() -> dict:
    """Settings a test changes: `@pytest.mark.parametrize("overrides", [{...}])`."""
    return {}


@pytest.fixture
def settings(fake, overrides):
    values = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.base_url,
        "timezone": "Asia/Shanghai",
    }
    return get_settings(**{**values, **overrides})


@pytest.fixture
def slack(settings, db, fake, monkeypatch):
    harness = Harness(settings, db, fake, monkeypatch)
    yield harness
    harness.close()


@pytest.fixture
def slack_url(slack):
    return slack.url


def send(url: str, built: tuple[bytes, dict]) -> tuple[int, bytes]:
    status, _, body = fk.post(url, *built)
    return status, body


def blocks_text(payload: dict) -> str:
    """All the text of a message's or view's blocks, as one string."""
    blocks = payload["view"]["blocks"] if "view" in payload else payload.get("blocks") or []
    return json.dumps(blocks, ensure_ascii=False)


def header_of(payload: dict) -> str:
    blocks = payload["view"]["blocks"] if "view" in payload else payload["blocks"]
    return next(b["text"]["text"] for b in blocks if b["type"] == "header")


def input_value(value: str | None) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def seed_tasks(db, n: int, *, user: str = "U1", channel: str = "C1") -> None:
    """Tasks #1…#n owned by `user` in `channel`, a third overdue, a third due tomorrow, a third
    without a date: written straight into the database (a slash command each would be slow)."""
    ctx = Context(
        db=db,
        platform="slack",
        workspace=TEAM,
        channel=channel,
        user=user,
        user_name="alice",
        config=CoreConfig(default_tz="Asia/Shanghai"),
    )
    assert not dispatch("add Seed task 1", ctx).error
    now = NOW
    with Session(db.engine) as s:
        ws = s.exec(select(Workspace).where(Workspace.external_id == TEAM)).one()
        ch = s.exec(select(Channel).where(Channel.external_id == channel)).one()
        me = s.exec(select(Member).where(Member.external_id == user)).one()
        for number in range(2, n + 1):
            due = [today() - timedelta(days=1), today() + timedelta(days=1), None][number % 3]
            s.add(
                Task(
                    workspace_id=ws.id,
                    number=number,
                    title=f"Seed task {number}",
                    channel_id=ch.id,
                    assignee_id=me.id,
                    creator_id=me.id,
                    due_date=due,
                    created_at=now,
                    updated_at=now,
                )
            )
        ws.next_task_number = n + 1
        s.add(ws)
        s.commit()


def texts_of(blocks: list[dict]) -> list[str]:
    """The text of each block, in order: headers, sections, fields and context elements."""
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(item["text"] for item in block.get("fields", []))
        out.extend(e["text"] for e in block.get("elements", []) if e["type"] in TEXT_TYPES)
    return out


def work(db) -> dict:
    """The rows of the work itself: tasks, their events, blockers, projects."""
    rows = snapshot(db)
    return {name: rows[name] for name in ("task", "task_event", "blocker", "project")}


def numbers_in(payloads: list[dict]) -> set[int]:
    return {int(n) for p in payloads for n in re.findall(r"#(\d+) Seed task", blocks_text(p))}


# --- requests Slack did not sign, or that make no sense -------------------------------------------


def test_forged_request_is_401(slack_url, fake, db):
    body, headers = fk.slash_command("wrong-secret", "add x")
    assert send(slack_url, (body, headers)) == (401, b"invalid signature")
    stale = fk.slash_command(SECRET, "add x", timestamp=now_ts(-6 * 60))
    assert send(slack_url, stale) == (401, b"stale timestamp")  # the log says: check the clock
    assert count(db, "task") == 0


def _without(built: tuple[bytes, dict], *names: str) -> tuple[bytes, dict]:
    body, headers = built
    return body, {k: v for k, v in headers.items() if k not in names}


def _signed_with_timestamp(body: bytes, timestamp: str) -> tuple[bytes, dict]:
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


def _tampered() -> tuple[bytes, dict]:
    body, headers = fk.slash_command(SECRET, "done 1")
    return body.replace(b"done+1", b"done+2"), headers


def _unsigned_header(name: str, value: str) -> tuple[bytes, dict]:
    body, headers = fk.slash_command(SECRET, "done 1")
    return body, {**headers, name: value}


UNVERIFIABLE = {
    "wrong secret": lambda: fk.slash_command("wrong-secret", "done 1"),
    "no signature": lambda: _without(fk.slash_command(SECRET, "done 1"), "X-Slack-Signature"),
    "no timestamp": lambda: _without(
        fk.slash_command(SECRET, "done 1"), "X-Slack-Request-Timestamp"
    ),
    "no Slack headers": lambda: _without(
        fk.slash_command(SECRET, "done 1"), "X-Slack-Signature", "X-Slack-Request-Timestamp"
    ),
    "stale": lambda: fk.slash_command(SECRET, "done 1", timestamp=now_ts(-6 * 60)),
    "from the future": lambda: fk.slash_command(SECRET, "done 1", timestamp=now_ts(6 * 60)),
    "body changed after signing": _tampered,
    "empty signature": lambda: _unsigned_header("X-Slack-Signature", "v0="),
    "signature of another version": lambda: _unsigned_header("X-Slack-Signature", "v1=abc"),
    "timestamp not a number": lambda: _signed_with_timestamp(
        urlencode({"command": "/task", "text": "done 1"}).encode(), "soon"
    ),
    "event, wrong secret": lambda: fk.event(
        "wrong-secret", fk.app_mention("<@UBOT> done 1"), event_id="EvForged"
    ),
    "button, stale": lambda: fk.block_action(
        SECRET, "task:done:1", "done 1", timestamp=now_ts(-3600)
    ),
    "modal, wrong secret": lambda: fk.view_submission(
        "wrong-secret", kit.NEW_TASK_VIEW, {"title": input_value("x")}, private_metadata="{}"
    ),
}


def assert_each_refused(slack: Harness, db, subtests, cases: dict, status: int) -> None:
    """Each request gets `status`, makes no call to Slack, and no row changes."""
    slack.command("add Existing task")
    before = snapshot(db)
    for name, build in cases.items():
        with subtests.test(msg=name):
            calls = len(slack.fake.calls)
            assert slack.send(build())[0] == status
            slack.drain()
            assert slack.fake.calls[calls:] == []
    assert snapshot(db) == before


def test_unverifiable_requests_are_401_and_change_nothing(slack, db, subtests):
    assert_each_refused(slack, db, subtests, UNVERIFIABLE, 401)


def _form(fields: dict) -> tuple[bytes, dict]:
    body = urlencode(fields).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded", **fk.sign(body, SECRET)}


def _raw(body: bytes, content_type: str = "application/json") -> tuple[bytes, dict]:
    return body, {"Content-Type": content_type, **fk.sign(body, SECRET)}


MALFORMED = {
    "payload not JSON": lambda: _form({"payload": "{not json"}),
    "payload a JSON list": lambda: _form({"payload": "[1, 2]"}),
    "payload a JSON string": lambda: _form({"payload": '"block_actions"'}),
    "payload empty": lambda: _form({"payload": ""}),
    "payload an empty object": lambda: _form({"payload": "{}"}),
    "empty body": lambda: _raw(b"", "application/x-www-form-urlencoded"),
    "not UTF-8": lambda: _raw(b"\xff\xfe\x00payload", "application/x-www-form-urlencoded"),
    "JSON body a list": lambda: _raw(b"[1]"),
    "JSON body cut short": lambda: _raw(b'{"type": "event_callback", "event": {'),
    "a form of nothing Slack sends": lambda: _form({"hello": "world"}),
    "unknown action id": lambda: fk.block_action(SECRET, "someone_else:done", "done 1"),
    "block_actions without actions": lambda: _form(
        {"payload": json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": []})}
    ),
    "unknown slash command": lambda: fk.slash_command(SECRET, "done 1", command="/other"),
    "unknown modal": lambda: fk.view_submission(SECRET, "someone_else", {}),
    "unknown payload type": lambda: _form({"payload": json.dumps({"type": "made_up"})}),
}


def test_malformed_requests_are_400_and_change_nothing(slack, db, subtests):
    assert_each_refused(slack, db, subtests, MALFORMED, 400)


# Events API: "Respond to each event with an HTTP 2xx within three seconds"; anything else Slack
# retries, up to three times. An event this app does not handle is acknowledged and dropped.
def envelope(event: object = None, **changes) -> dict:
    """An event_callback as Slack sends it, around `event`; a change to None drops a key."""
    body = {
        "token": "verification-token",
        "team_id": TEAM,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": "EvOther",
        "event_time": now_ts(),
        **changes,
    }
    return {k: v for k, v in body.items() if v is not None}


def _json(body: object) -> tuple[bytes, dict]:
    return _raw(json.dumps(body).encode())


def _interaction(payload: dict) -> tuple[bytes, dict]:
    return _form({"payload": json.dumps(payload)})


UNHANDLED = {
    "a message in a channel": {
        "type": "message",
        "channel": "C1",
        "user": "U2",
        "text": "add Not for the bot <!here>",
        "ts": "1700000500.000100",
        "channel_type": "channel",
    },
    "a reaction": {
        "type": "reaction_added",
        "user": "U2",
        "reaction": "eyes",
        "item": {"type": "message", "channel": "C1", "ts": "1700000500.000100"},
        "event_ts": "1700000501.000100",
    },
    "a member joined": {"type": "member_joined_channel", "user": "U2", "channel": "C1"},
    "tokens revoked": {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
    "another app mentioned this one": {
        "type": "app_mention",
        "bot_id": "B9",
        "text": "<@UBOT> add From a bot",
        "channel": "C1",
        "ts": "1700000502.000100",
    },
}


def test_events_the_app_does_not_handle_are_acknowledged_and_change_nothing(slack, db, subtests):
    slack.command("add Existing task")
    before = snapshot(db)
    cases = {name: envelope(event) for name, event in UNHANDLED.items()}
    cases["app_rate_limited"] = {
        "token": "verification-token",
        "type": "app_rate_limited",
        "team_id": TEAM,
        "minute_rate_limited": now_ts(),
        "api_app_id": "A1",
    }
    for name, body in cases.items():
        with subtests.test(msg=name):
            calls = len(slack.fake.calls)
            assert slack.send(_json(body)) == (200, b"")
            slack.drain()
            assert slack.fake.calls[calls:] == []
    assert snapshot(db) == before


MENTION = fk.app_mention("<@UBOT> add Should not happen")
ACTION = {
    "type": "block_actions",
    "user": {"id": "U1", "team_id": TEAM},
    "team": {"id": TEAM},
    "container": {"type": "message", "message_ts": "1700000200.000100"},
    "channel": {"id": "C1"},
    "trigger_id": "trig.9",
    "response_url": "",
}
BUTTON = {"type": "button", "action_id": "task:done:1", "value": "done 1", "action_ts": "1.5"}


def _command_without(*names: str) -> tuple[bytes, dict]:
    body, _ = fk.slash_command(SECRET, "add Should not happen", response_url="http://127.0.0.1:1/r")
    fields = {k: v for k, v in parse_qsl(body.decode(), keep_blank_values=True) if k not in names}
    return _form(fields)


def _view(view: object, **payload) -> tuple[bytes, dict]:
    body = {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": TEAM}, **payload}
    if view is not None:
        body["view"] = view
    return _interaction(body)


TITLE_VIEW = {"id": "V9", "callback_id": kit.NEW_TASK_VIEW, "private_metadata": '{"channel": "C1"}'}

# Signed, well-formed JSON or form, but not what Slack sends: each gets 400 before any listener
# runs (never a 500, never a traceback in the work pool after the ack).
SIGNED_BUT_MALFORMED = {
    "event_callback without an event": lambda: _json(envelope()),
    "event_callback whose event is a string": lambda: _json(envelope("app_mention")),
    "event_callback whose event is a list": lambda: _json(envelope([MENTION])),
    "event without a type": lambda: _json(envelope({"user": "U1", "channel": "C1"})),
    "event_callback without team_id": lambda: _json(envelope(MENTION, team_id=None)),
    "event_callback without event_id": lambda: _json(envelope(MENTION, event_id=None)),
    "app_mention without channel": lambda: _json(envelope({**MENTION, "channel": None})),
    "app_mention without user": lambda: _json(envelope({**MENTION, "user": None})),
    "app_mention without ts": lambda: _json(envelope({**MENTION, "ts": None})),
    "app_mention whose text is a number": lambda: _json(envelope({**MENTION, "text": 42})),
    "app_mention whose channel is an object": lambda: _json(
        envelope({**MENTION, "channel": {"id": "C1"}})
    ),
    "app_home_opened without user": lambda: _json(envelope({**fk.app_home_opened(), "user": None})),
    "url_verification without challenge": lambda: _json({"type": "url_verification"}),
    "slash command without channel_id": lambda: _command_without("channel_id"),
    "slash command without user_id": lambda: _command_without("user_id"),
    "slash command without team_id": lambda: _command_without("team_id"),
    "slash command without response_url": lambda: _command_without("response_url"),
    "block_actions whose action is a string": lambda: _interaction(
        {**ACTION, "actions": ["done 1"]}
    ),
    "block_actions whose action has no action_id": lambda: _interaction(
        {**ACTION, "actions": [{"value": "done 1"}]}
    ),
    "block_actions whose value is a number": lambda: _interaction(
        {**ACTION, "actions": [{**BUTTON, "value": 1}]}
    ),
    "block_actions whose action_ts is no time": lambda: _interaction(
        {**ACTION, "actions": [{**BUTTON, "action_ts": "soon"}]}
    ),
    "block_actions whose action_ts is NaN": lambda: _interaction(
        {**ACTION, "actions": [{**BUTTON, "action_ts": "nan"}]}
    ),
    "block_actions whose team is a string": lambda: _interaction(
        {**ACTION, "team": TEAM, "actions": [BUTTON]}
    ),
    "block_actions whose channel is a string": lambda: _interaction(
        {**ACTION, "channel": "C1", "actions": [BUTTON]}
    ),
    "block_actions whose container is a list": lambda: _interaction(
        {**ACTION, "container": [], "actions": [BUTTON]}
    ),
    "block_actions whose user is a string": lambda: _interaction(
        {**ACTION, "user": "U1", "actions": [BUTTON]}
    ),
    "view_submission without view": lambda: _view(None),
    "view_submission whose view is a string": lambda: _view(kit.NEW_TASK_VIEW),
    "view_submission whose view has no callback_id": lambda: _view({"id": "V9"}),
    "view_submission without user": lambda: _view(TITLE_VIEW, user=None),
    "view_submission whose state is a list": lambda: _view({**TITLE_VIEW, "state": []}),
    "view_submission whose values are a list": lambda: _view(
        {**TITLE_VIEW, "state": {"values": [1]}}
    ),
    "view_submission whose title is a number": lambda: _view(
        {**TITLE_VIEW, "state": {"values": {"title": {"value": {"value": 7}}}}}
    ),
    "view_submission whose metadata is an object": lambda: _view(
        {**TITLE_VIEW, "private_metadata": {"channel": "C1"}}
    ),
}


def test_signed_but_malformed_requests_are_400_before_any_listener_runs(slack, db, subtests):
    """And the autouse fixture: nothing logged at ERROR, no traceback in the work pool."""
    assert_each_refused(slack, db, subtests, SIGNED_BUT_MALFORMED, 400)


def test_a_block_form_with_a_cause_it_never_offered_is_sent_back(slack, fake, db):
    slack.command("add Book the studio")
    meta = json.dumps({"task": 1, "channel": "C1", "response_url": None})
    view = {"callback_id": kit.BLOCK_VIEW, "private_metadata": meta}
    status, answer = slack.submit(view, block_values("no studio", "made_up"))
    assert (status, answer["response_action"]) == (200, "errors") and "cause" in answer["errors"]
    assert task(db, 1).status == TaskStatus.TO_DO and count(db, "blocker") == 0


def test_wrong_path_wrong_method_too_large_and_the_url_handshake(slack, db):
    status, _, _ = fk.post(slack.url.replace("/slack/events", "/nowhere"), b"", {})
    assert status == 404
    with pytest.raises(urllib.error.HTTPError) as got:
        urllib.request.urlopen(slack.url, timeout=10)
    assert got.value.code == 405
    body = b"x" * (1024 * 1024 + 1)
    try:  # refused unread: 413, or the connection cut while the body is still being sent
        assert slack.send((body, fk.sign(body, SECRET)))[0] == 413
    except (ConnectionResetError, BrokenPipeError):
        pass
    except urllib.error.URLError as cut:
        assert isinstance(cut.reason, (ConnectionResetError, BrokenPipeError)), cut
    status, body = slack.send(fk.url_verification(SECRET, "the-challenge"))
    assert status == 200 and b"the-challenge" in body
    assert count(db, "task") == 0


MALFORMED_MODALS = {
    "metadata not JSON": ("{not json", {"title": input_value("Something")}),
    "metadata a list": ("[]", {"title": input_value("Something")}),
    "no channel in the metadata": ("{}", {"title": input_value("Something")}),
    "a due date that is no date": (
        json.dumps({"channel": "C1"}),
        {
            "title": input_value("Something"),
            "due": {"value": {"type": "datepicker", "selected_date": "31/12"}},
        },
    ),
}


BROKEN_BLOCK_METADATA = ["{not json", "{}", '{"task": "seven"}', '{"task": null}', "[1]"]


def test_modals_with_broken_fields_are_refused_not_a_500(slack, fake, db, subtests):
    """Signed, but not what the door's own modals send back: the modal says so, or a 400."""
    slack.command("add Existing task")
    before = snapshot(db)
    cases = [
        (name, {"callback_id": kit.NEW_TASK_VIEW, "private_metadata": meta}, values)
        for name, (meta, values) in MALFORMED_MODALS.items()
    ] + [
        (f"block modal {meta}", {"callback_id": kit.BLOCK_VIEW, "private_metadata": meta}, {})
        for meta in BROKEN_BLOCK_METADATA
    ]
    for name, view, values in cases:
        with subtests.test(msg=name):
            calls = len(fake.calls)
            status, answer = slack.submit(view, {"reason": input_value("why"), **values})
            assert status == 400 or (status, answer["response_action"]) == (200, "errors")
            slack.drain()
            assert fake.calls[calls:] == []
    assert snapshot(db) == before


# --- slash commands -------------------------------------------------------------------------------


def test_slash_command_adds_a_task_and_answers_in_channel(slack_url, fake, db):
    r = fake.response_url("r")
    status, _ = send(
        slack_url,
        fk.slash_command(
            SECRET, "add Write warm-up copy <@U2|bob> due:2026-12-01 +double11", response_url=r
        ),
    )
    assert status == 200
    [answer] = [c.params for c in fake.wait_for("respond:r")]
    assert answer["response_type"] == "in_channel"
    text = str(answer["blocks"])
    assert "Added #1" in text and "<@U2>" in text
    assert count(db, "task") == 1


def test_errors_are_ephemeral_and_change_nothing(slack_url, fake, db):
    before = snapshot(db)
    r = fake.response_url("e")
    status, _ = send(slack_url, fk.slash_command(SECRET, "done 99", response_url=r))
    assert status == 200
    [answer] = [c.params for c in fake.wait_for("respond:e")]
    assert answer["response_type"] == "ephemeral"
    assert "#99" in str(answer["blocks"])
    assert snapshot(db) == before


def test_a_change_is_shown_to_the_channel_with_its_light_and_real_mentions(slack, db):
    due = today() + timedelta(days=1)
    [answer] = slack.command(f"add Write warm-up copy <@U2|bob> due:{due} +double11")
    assert answer["response_type"] == "in_channel"
    assert answer["replace_original"] is False
    # added today, due tomorrow: a short task, judged by its date
    assert header_of(answer).startswith("🟢") and "Added #1" in header_of(answer)
    text = blocks_text(answer)
    assert "<@U2>" in text and "@bob" not in text
    assert "🟢" in answer["text"]  # the notification says it too
    row = task(db, 1)
    assert (row.title, row.due_date) == ("Write warm-up copy", due)
    assert row.assignee_id == member(db, "U2").id
    [action_block] = [b for b in answer["blocks"] if b["type"] == "actions"]
    assert [e["value"] for e in action_block["elements"]] == [
        "start 1",
        "done 1",
        "block 1",
        "snooze 1",
    ]


def test_red_light_for_a_past_due_task(slack):
    [answer] = slack.command(f"add Late thing due:{today() - timedelta(days=3)}")
    assert header_of(answer).startswith("🔴")
    assert "already past" in blocks_text(answer)


def test_an_error_says_what_was_expected_and_only_to_the_asker(slack, db):
    slack.command("add Existing task")
    before = snapshot(db)
    for text, expected in [
        ("add", "`add Write warm-up copy"),
        ("progress 1 lots", "progress"),
        ("frobnicate 1", "help"),
        ("block 1", "Give a reason"),
    ]:
        [answer] = slack.command(text)
        assert answer["response_type"] == "ephemeral", text
        assert "⚠️" in answer["text"] and expected in blocks_text(answer), text
    assert snapshot(db) == before


def test_help_and_reads_answer_only_the_asker(slack):
    [answer] = slack.command("help")
    assert answer["response_type"] == "ephemeral"
    text = blocks_text(answer)
    assert "`add" in text and "`list" in text and "`block" in text
    slack.command("add Read me")
    for read in ("list", "show 1", "list mine", "help block"):
        [answer] = slack.command(read)
        assert answer["response_type"] == "ephemeral", read
    [shown] = slack.command("show 1")
    assert "<@U1>" in blocks_text(shown)


def test_empty_command_opens_the_new_task_modal(slack, fake, db):
    assert slack.send(fk.slash_command(SECRET, "   ", trigger_id="trig.new"))[0] == 200
    [opened] = fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "trig.new"
    view = opened.params["view"]
    assert view["type"] == "modal" and view["callback_id"] == kit.NEW_TASK_VIEW
    assert view["title"]["text"].startswith("New task")
    assert json.loads(view["private_metadata"]) == {"channel": "C1", "response_url": None}
    assert [b["block_id"] for b in view["blocks"]] == ["title", "assignee", "due", "project"]
    slack.drain()
    assert count(db, "task") == 0
    assert [c for c in fake.calls if c.method.startswith("respond:")] == []


def test_when_slack_will_not_open_the_form_the_answer_says_how_to_add_in_words(slack, fake, db):
    fake.fail_next("views.open", body={"ok": False, "error": "expired_trigger_id"})
    [answer] = slack.command("")
    assert answer["response_type"] == "ephemeral" and "`add" in blocks_text(answer)
    assert count(db, "task") == 0


@pytest.mark.parametrize(
    "text, title",
    [
        ("add payload docs", "payload docs"),
        ("add Fix the payload", "Fix the payload"),
        ('add payload={"type": "block_actions"}', 'payload={"type": "block_actions"}'),
        ("add a&payload=b", "a&payload=b"),
    ],
)
def test_a_command_that_says_payload_is_still_a_command(slack, db, text, title):
    [answer] = slack.command(text)
    assert "Added #1" in header_of(answer)
    assert task(db, 1).title == title


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_list_of_200_tasks_is_paged_and_every_task_is_in_some_page(slack, fake, db):
    seed_tasks(db, 200)
    name, url = slack.response_url()
    assert slack.send(fk.slash_command(SECRET, "list", response_url=url))[0] == 200
    fake.wait_for(f"respond:{name}")
    slack.drain()
    pages = fake.responses(name)
    assert 2 <= len(pages) <= RESPONSE_URL_USES
    assert all(p["response_type"] == "ephemeral" for p in pages)
    assert numbers_in(pages) == set(range(1, 201))
    for n, page in enumerate(pages, start=1):
        assert f"{n}/{len(pages)}" in page["text"]
    assert "Total 200" in blocks_text(pages[0])


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_list_of_500_tasks_fits_the_five_posts_a_response_url_takes(slack, fake, db):
    seed_tasks(db, 500)
    name, url = slack.response_url()
    assert slack.send(fk.slash_command(SECRET, "list", response_url=url))[0] == 200
    fake.wait_for(f"respond:{name}")
    slack.drain()
    pages = fake.responses(name)
    assert len(pages) <= RESPONSE_URL_USES
    assert numbers_in(pages) == set(range(1, 501))


def test_a_long_title_is_cut_in_the_header_but_shown_whole(slack, db):
    title = "Long " + "x" * 190
    slack.command(f"add {title}")
    [answer] = slack.command("show 1")
    assert len(header_of(answer)) <= 150
    assert title in blocks_text(answer)


# --- modals ---------------------------------------------------------------------------------------


def open_new_task_modal(slack: Harness) -> dict:
    before = len(slack.fake.calls_to("views.open"))
    assert slack.send(fk.slash_command(SECRET, ""))[0] == 200
    return slack.fake.wait_for("views.open", before + 1)[before].params["view"]


def new_task_values(title: str, *, assignee=None, due=None, project=None) -> dict:
    return {
        "title": input_value(title),
        "assignee": {"value": {"type": "users_select", "selected_user": assignee}},
        "due": {"value": {"type": "datepicker", "selected_date": due}},
        "project": input_value(project),
    }


def test_the_new_task_modal_creates_the_task_and_tells_the_channel(slack, fake, db):
    view = open_new_task_modal(slack)
    due = today() + timedelta(days=7)
    values = new_task_values("Shoot the teaser", assignee="U2", due=due.isoformat(), project="+d11")
    status, answer = slack.submit(view, values)
    assert (status, answer) == (200, {})
    [posted] = fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C1"
    text = blocks_text(posted.params)
    assert "Added #1" in text and "<@U2>" in text
    row = task(db, 1)
    assert (row.title, row.due_date) == ("Shoot the teaser", due)
    assert row.assignee_id == member(db, "U2").id
    assert member(db, "U2").display_name == "bob"
    with Session(db.engine) as s:
        assert s.get(Project, row.project_id).name == "d11"


def test_a_forms_result_acknowledged_then_killed_is_posted_by_the_next_start(
    slack, fake, db, settings, monkeypatch
):
    """A form's command runs before its ack; its post to the channel follows. Killed in
    between, the next start posts it (once), from the inbox."""
    view = open_new_task_modal(slack)
    monkeypatch.setattr(slack.door.intake, "run", lambda *args, **kwargs: None)  # killed
    assert slack.submit(view, new_task_values("Shoot the teaser")) == (200, {})
    assert count(db, "task") == 1 and not fake.calls_to("chat.postMessage")
    monkeypatch.undo()

    later = NOW + timedelta(minutes=5)
    restarted = bot.slack.door.SlackDoor(settings, db, clock=lambda: later)
    restarted.start()
    [posted] = fake.wait_for("chat.postMessage")
    assert restarted.intake.drain(10) == 0
    assert posted.params["channel"] == "C1" and "Added #1" in blocks_text(posted.params)
    again = bot.slack.door.SlackDoor(settings, db, clock=lambda: later + timedelta(minutes=5))
    again.start()
    assert again.intake.drain(10) == 0
    assert len(fake.calls_to("chat.postMessage")) == 1 and count(db, "task") == 1


def test_the_new_task_modal_with_only_a_title(slack, fake, db):
    view = open_new_task_modal(slack)
    assert slack.submit(view, new_task_values("Just a title")) == (200, {})
    fake.wait_for("chat.postMessage")
    row = task(db, 1)
    assert (row.title, row.due_date, row.project_id) == ("Just a title", None, None)
    assert row.assignee_id == member(db, "U1").id


def test_a_bad_submission_answers_errors_and_a_corrected_one_then_works(slack, fake, db):
    view = open_new_task_modal(slack)
    status, answer = slack.submit(view, new_task_values("x" * 201))
    assert status == 200
    assert answer["response_action"] == "errors"
    assert "201" in answer["errors"]["title"] and "200" in answer["errors"]["title"]
    status, answer = slack.submit(view, new_task_values("   "))
    assert answer["response_action"] == "errors" and "title" in answer["errors"]
    assert count(db, "task") == 0
    assert slack.submit(view, new_task_values("x" * 200)) == (200, {})  # the same modal, fixed
    fake.wait_for("chat.postMessage")
    assert task(db, 1).title == "x" * 200


def test_a_modal_submitted_twice_adds_one_task(slack, fake, db):
    view = open_new_task_modal(slack)
    values = new_task_values("Only once")
    assert slack.submit(view, values) == (200, {})
    fake.wait_for("chat.postMessage")
    assert slack.submit(view, values)[0] == 200
    slack.drain()
    assert count(db, "task") == 1 and len(fake.calls_to("chat.postMessage")) == 1


def block_values(reason: str | None, cause: str | None = None) -> dict:
    option = {"text": {"type": "plain_text", "text": cause}, "value": cause} if cause else None
    return {
        "reason": input_value(reason),
        "cause": {"value": {"type": "static_select", "selected_option": option}},
    }


def test_the_blocked_button_opens_a_modal_whose_submission_records_the_blocker(slack, fake, db):
    slack.command(f"add Book the studio due:{today() + timedelta(days=5)}")
    slack.click("block 1", trigger_id="trig.block")
    [opened] = fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "trig.block"
    view = opened.params["view"]
    assert view["callback_id"] == kit.BLOCK_VIEW
    assert json.loads(view["private_metadata"])["task"] == 1
    causes = view["blocks"][1]["element"]["options"]
    assert "resources" in [o["value"] for o in causes]

    _, answer = slack.submit(view, block_values(""))
    assert answer["response_action"] == "errors" and "reason" in answer["errors"]
    assert count(db, "blocker") == 0

    assert slack.submit(view, block_values("Design resources short", "resources")) == (200, {})
    [posted] = fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C1"
    assert header_of(posted.params).startswith("🔴") and "#1 is blocked" in posted.params["text"]
    with Session(db.engine) as s:
        [blocker] = s.exec(select(Blocker)).all()
    assert (blocker.reason, blocker.cause) == ("Design resources short", "resources")
    assert task(db, 1).status == TaskStatus.BLOCKED


def test_when_slack_will_not_open_the_block_form_the_answer_says_how_to_block(slack, fake, db):
    slack.command("add Book the studio")
    fake.fail_next("views.open", body={"ok": False, "error": "expired_trigger_id"}, times=2)
    answer = slack.answer_to_click("block 1")
    assert answer["response_type"] == "ephemeral" and "`block" in blocks_text(answer)
    slack.home_click("block 1")
    [published] = fake.wait_for("views.publish")
    assert "`block" in blocks_text(published.params)
    assert task(db, 1).status == TaskStatus.TO_DO and count(db, "blocker") == 0


def test_a_blocked_task_cannot_be_blocked_again_from_a_second_modal(slack, fake, db):
    slack.command("add Book the studio")
    slack.click("block 1", message_ts="1.1")
    slack.click("block 1", message_ts="2.2")
    first, second = (c.params["view"] for c in fake.wait_for("views.open", 2))
    assert slack.submit(first, block_values("No studio", "external")) == (200, {})
    _, answer = slack.submit(second, block_values("Still no studio"), view_id="V2")
    assert answer["response_action"] == "errors" and "already" in answer["errors"]["reason"]
    slack.drain()
    assert count(db, "blocker") == 1


# --- buttons --------------------------------------------------------------------------------------


def test_start_snooze_and_done_buttons_change_the_task(slack, db):
    due = today() + timedelta(days=1)
    slack.command(f"add Write copy due:{due}")

    started = slack.answer_to_click("start 1")
    assert started["response_type"] == "in_channel" and "Started #1" in header_of(started)
    assert task(db, 1).status == TaskStatus.DOING

    snoozed = slack.answer_to_click("snooze 1")
    assert snoozed["response_type"] == "in_channel" and "pushed back" in header_of(snoozed)
    assert task(db, 1).due_date == due + timedelta(days=1)

    done = slack.answer_to_click("done 1")
    assert done["response_type"] == "in_channel" and "Done: #1" in header_of(done)
    row = task(db, 1)
    assert (row.status, row.progress) == (TaskStatus.DONE, 100)
    assert [e["value"] for e in done["blocks"][-1]["elements"]] == ["reopen 1"]


def test_a_pick_from_a_lines_overflow_menu_works_like_a_button(slack, db):
    slack.command("add Write copy")
    [listed] = slack.command("list")
    [menu_block] = [b for b in listed["blocks"] if "accessory" in b]
    options = [o["value"] for o in menu_block["accessory"]["options"]]
    assert options == ["start 1", "done 1", "block 1"]
    answer = slack.answer_to_click("start 1", action_id="task:menu:1", overflow=True)
    assert "Started #1" in header_of(answer)
    assert task(db, 1).status == TaskStatus.DOING


def test_a_button_someone_may_not_press_answers_only_them(slack, db):
    slack.command("add Mine alone")
    before = work(db)
    answer = slack.answer_to_click("done 1", user_id="U2")
    assert answer["response_type"] == "ephemeral" and "Only the owner" in blocks_text(answer)
    assert work(db) == before


@pytest.mark.parametrize(
    "first, second",
    [("1700000001.100000", "1700000001.600000"), ("1700000009.800000", "1700000010.300000")],
    ids=["same second", "across a ten-second boundary"],
)
def test_a_double_clicked_button_changes_once(slack, fake, db, first, second):
    due = today() + timedelta(days=1)
    slack.command(f"add Write copy due:{due}")
    name = slack.click("snooze 1", action_ts=first)
    fake.wait_for(f"respond:{name}")
    again = slack.click("snooze 1", action_ts=second)
    slack.drain()
    assert task(db, 1).due_date == due + timedelta(days=1)
    assert fake.responses(again) == []
    assert count(db, "task_event") == 2  # created, due moved once


def test_a_double_clicked_blocked_button_opens_one_modal(slack, fake):
    slack.command("add Write copy")
    slack.click("block 1", action_ts="1700000005.000000")
    fake.wait_for("views.open")
    slack.click("block 1", action_ts="1700000005.400000")
    slack.drain()
    assert len(fake.calls_to("views.open")) == 1


def test_the_same_button_pressed_again_later_or_by_someone_else_counts(slack, fake, db):
    due = today() + timedelta(days=1)
    slack.command(f"add Write copy due:{due}")
    slack.answer_to_click("snooze 1", action_ts="1700000001.000000")
    slack.answer_to_click("snooze 1", action_ts="1700000031.000000")
    assert task(db, 1).due_date == due + timedelta(days=2)
    other = slack.answer_to_click("snooze 1", action_ts="1700000031.100000", user_id="UADMIN")
    assert "pushed back" in header_of(other)
    assert task(db, 1).due_date == due + timedelta(days=3)


# --- events: @mentions, retries, the App Home tab -------------------------------------------------


def test_a_mention_is_answered_in_a_thread(slack, fake, db):
    due = today() + timedelta(days=2)
    slack.mention(
        f"<@UBOT> add Write copy <@U2> due:{due}", event_id="EvM1", ts="1700000100.000100"
    )
    [posted] = fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C1"
    assert posted.params["thread_ts"] == "1700000100.000100"
    assert "Added #1" in blocks_text(posted.params) and "<@U2>" in blocks_text(posted.params)
    assert task(db, 1).title == "Write copy"

    slack.mention(
        "<@UBOT|paceline> show 1",
        event_id="EvM2",
        ts="1700000200.000100",
        thread_ts="1700000150.000100",
    )
    [_, in_thread] = fake.wait_for("chat.postMessage", 2)
    assert in_thread.params["thread_ts"] == "1700000150.000100"


def test_a_mention_that_fails_answers_ephemerally_in_the_thread(slack, fake, db):
    slack.mention("<@UBOT> done 42", event_id="EvE", ts="1700000300.000100")
    [posted] = fake.wait_for("chat.postEphemeral")
    assert posted.params["user"] == "U1" and posted.params["channel"] == "C1"
    assert posted.params["thread_ts"] == "1700000300.000100"
    assert "#42" in blocks_text(posted.params)
    slack.drain()
    assert fake.calls_to("chat.postMessage") == [] and count(db, "task") == 0


def test_a_bare_mention_answers_with_help(slack, fake):
    slack.mention("<@UBOT>", event_id="EvH")
    [posted] = fake.wait_for("chat.postMessage")
    assert "`add" in blocks_text(posted.params)


def test_a_retried_event_changes_nothing_twice(slack, fake, db):
    slack.mention("<@UBOT> add Retry me", event_id="EvR")
    fake.wait_for("chat.postMessage")
    slack.mention("<@UBOT> add Retry me", event_id="EvR", retry_num=1)
    slack.mention("<@UBOT> add Retry me", event_id="EvR", retry_num=2)
    slack.mention("<@UBOT> list", event_id="EvLater")
    fake.wait_for("chat.postMessage", 2)
    slack.drain()
    assert count(db, "task") == 1
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_a_slash_command_sent_twice_is_one_task(slack, fake, db):
    """The same signed request again within Slack's five minutes (a replay, or a proxy's retry)
    carries the same trigger_id: acknowledged, and worked once."""
    name, url = slack.response_url()
    built = fk.slash_command(SECRET, "add Ship the banner", response_url=url)
    assert slack.send(built)[0] == 200
    assert slack.send(built)[0] == 200
    fake.wait_for(f"respond:{name}")
    slack.drain()
    assert count(db, "task") == 1 and len(fake.calls_to(f"respond:{name}")) == 1


def test_what_was_acknowledged_before_a_kill_is_worked_by_the_next_start(
    slack, fake, db, settings, monkeypatch
):
    """The process dies right after its acks (its work never ran): the next `paceline serve`
    finds the requests in the inbox and works each once — a command, a mention, a click."""
    slack.command("add Existing task")
    monkeypatch.setattr(slack.door.intake, "run", lambda *args, **kwargs: None)  # killed
    name, url = slack.response_url()
    assert slack.send(fk.slash_command(SECRET, "add Acked then lost", response_url=url))[0] == 200
    slack.mention("<@UBOT> add From a mention", event_id="EvKilled")
    clicked = slack.click("done 1")
    assert count(db, "task") == 1 and not fake.calls_to(f"respond:{name}")

    later = NOW + timedelta(minutes=5)  # past the dead worker's lease, on a shared database too
    restarted = bot.slack.door.SlackDoor(settings, db, clock=lambda: later)
    restarted.start()
    fake.wait_for(f"respond:{name}")
    fake.wait_for(f"respond:{clicked}")
    fake.wait_for("chat.postMessage")
    assert restarted.intake.drain(10) == 0
    assert count(db, "task") == 3
    assert task_row(db, 1, "T1").status == TaskStatus.DONE
    assert len(fake.calls_to(f"respond:{name}")) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1
    again = bot.slack.door.SlackDoor(settings, db, clock=lambda: later + timedelta(minutes=5))
    again.start()  # nothing left: nothing twice
    assert again.intake.drain(10) == 0 and count(db, "task") == 3


def test_a_click_killed_after_its_double_click_check_is_still_worked_by_the_next_start(
    slack, fake, db, settings, monkeypatch
):
    """The worker claimed the click's double-click keys, then the process died before the
    command ran: the replay is the same click, not a second one, and is worked."""
    slack.command("add Existing task")
    monkeypatch.setattr(slack.door.intake, "_done", lambda item: None)  # killed before noted
    monkeypatch.setattr(slack.door, "answer", lambda reply, respond: None)
    monkeypatch.setattr(bot.slack.door, "dispatch", lambda text, ctx: Reply("killed"))
    clicked = slack.click("done 1")
    slack.drain()
    assert task_row(db, 1, "T1").status != TaskStatus.DONE
    monkeypatch.undo()

    later = NOW + timedelta(minutes=5)
    restarted = bot.slack.door.SlackDoor(settings, db, clock=lambda: later)
    restarted.start()
    fake.wait_for(f"respond:{clicked}")
    assert restarted.intake.drain(10) == 0
    assert task_row(db, 1, "T1").status == TaskStatus.DONE


def test_an_event_delivered_twice_at_once_changes_nothing_twice(slack, fake, db):
    built = [
        fk.event(SECRET, fk.app_mention("<@UBOT> add At once"), event_id="EvC", retry_num=n)
        for n in (None, 1, 2, 3)
    ]
    threads = [threading.Thread(target=slack.send, args=(b,)) for b in built]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fake.wait_for("chat.postMessage")
    slack.drain()
    assert count(db, "task") == 1 and len(fake.calls_to("chat.postMessage")) == 1


def test_a_rate_limited_answer_is_sent_again_after_retry_after(slack, fake, db):
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "0"})
    slack.mention("<@UBOT> add Despite the limit", event_id="Ev429")
    [limited, sent] = fake.wait_for("chat.postMessage", 2)
    assert limited.params == sent.params
    assert count(db, "task") == 1


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_long_answer_to_a_mention_goes_in_several_thread_replies(slack, fake, db):
    seed_tasks(db, 200)
    slack.mention("<@UBOT> list", event_id="EvLong", ts="1700000400.000100")
    fake.wait_for("chat.postMessage")
    slack.drain()
    posts = [c.params for c in fake.calls_to("chat.postMessage")]
    assert len(posts) >= 2
    assert {p["thread_ts"] for p in posts} == {"1700000400.000100"}
    assert numbers_in(posts) == set(range(1, 201))


def home_sections(view: dict) -> list[dict]:
    return [b for b in view["blocks"] if b["type"] == "section" and "accessory" in b]


def test_the_home_tab_lists_my_tasks_grouped_by_light_with_their_actions(slack, fake, db):
    slack.command(f"add Late one due:{today() - timedelta(days=2)}")
    slack.command(f"add Soon one due:{today() + timedelta(days=1)}")
    slack.command("add Calm one")
    slack.command("add Not mine <@U2>")
    added_days_ago(db, 2, 5)  # planned over six days, at 0% the day before: yellow
    published = slack.open_home("U1")
    assert published["user_id"] == "U1"
    view = published["view"]
    assert view["type"] == "home" and "My tasks" in header_of(published)
    kinds = [b["type"] for b in view["blocks"]]
    assert kinds == ["header", "divider", "section", "divider", "section", "divider", "section"]
    lines = [b["text"]["text"] for b in home_sections(view)]
    assert [line[:1] for line in lines] == ["🔴", "🟡", "🟢"]
    assert "#1 Late one" in lines[0] and "#2 Soon one" in lines[1] and "#3 Calm one" in lines[2]
    assert "Not mine" not in blocks_text(published)
    menus = [[o["value"] for o in b["accessory"]["options"]] for b in home_sections(view)]
    assert menus[0] == ["start 1", "done 1", "block 1", "snooze 1"]
    assert menus[2] == ["start 3", "done 3", "block 3"]


def test_opening_the_messages_tab_publishes_nothing(slack, fake):
    event = {**fk.app_home_opened("U1"), "tab": "messages"}
    assert slack.send(fk.event(SECRET, event, event_id="EvMsgTab"))[0] == 200
    slack.drain()
    assert fake.calls_to("views.publish") == []


def test_a_home_tab_button_changes_the_task_and_republishes_home(slack, fake, db):
    slack.command("add First")
    slack.command("add Second")
    slack.open_home("U1")
    slack.home_click("done 1")
    [_, republished] = fake.wait_for("views.publish", 2)
    assert republished.params["user_id"] == "U1"
    assert task(db, 1).status == TaskStatus.DONE
    text = blocks_text(republished.params)
    assert "#1 First" not in text and "#2 Second" in text
    responses = [c for c in fake.calls if c.method.startswith("respond:")]
    assert len(responses) == 2 and fake.calls_to("chat.postMessage") == []


def test_a_home_tab_button_that_fails_shows_why_in_home(slack, fake, db):
    slack.command("add First")
    slack.command("done 1")
    before = work(db)
    slack.home_click("done 1")
    [published] = fake.wait_for("views.publish")
    assert "already done" in blocks_text(published.params)
    assert work(db) == before


def test_the_blocked_pick_in_home_opens_the_modal_and_republishes_home(slack, fake, db):
    slack.command("add First")
    slack.home_click("block 1")
    [opened] = fake.wait_for("views.open")
    view = opened.params["view"]
    assert json.loads(view["private_metadata"])["channel"] is None
    assert slack.submit(view, block_values("Waiting on legal", "approval")) == (200, {})
    [published] = fake.wait_for("views.publish")
    assert "🔴" in blocks_text(published.params) and "Waiting on legal" in blocks_text(
        published.params
    )
    assert fake.calls_to("chat.postMessage") == []
    assert task(db, 1).status == TaskStatus.BLOCKED


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_home_tab_of_200_tasks_stays_within_100_blocks_and_says_what_it_left_out(slack, db):
    seed_tasks(db, 200)
    published = slack.open_home("U1")
    shown = numbers_in([published])
    [more] = re.findall(r"\+(\d+) more", blocks_text(published))
    assert len(shown) + int(more) == 200
    assert "list mine" in blocks_text(published)


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_failed_home_button_over_a_full_home_still_says_what_it_left_out(slack, fake, db):
    seed_tasks(db, 200)
    slack.home_click("done 999")
    [published] = fake.wait_for("views.publish")
    text = blocks_text(published.params)
    assert "#999" in text
    [more] = re.findall(r"\+(\d+) more", text)
    assert len(numbers_in([published.params])) + int(more) == 200


# --- people: learned from Slack's users.info ------------------------------------------------------


def test_members_are_learned_from_users_info(slack, fake, db):
    slack.command("add Brief the agency <@U2|bobby>", user_id="UADMIN", user_name="root")
    me, bob = member(db, "UADMIN"), member(db, "U2")
    assert (me.display_name, me.tz, me.role) == ("root", None, "admin")
    assert (bob.display_name, bob.tz, bob.role) == ("bob", "America/New_York", "member")
    asked = {c.params["user"] for c in fake.calls_to("users.info")}
    assert asked == {"UADMIN", "U2"}


def test_profiles_are_cached(slack, fake):
    slack.command("add One")
    slack.command("add Two <@U2>")
    slack.command("add Three <@U2>")
    slack.mention("<@UBOT> list", event_id="EvCache")
    fake.wait_for("chat.postMessage")
    asked = Counter(c.params["user"] for c in fake.calls_to("users.info"))
    assert asked == {"U1": 1, "U2": 1}


@pytest.mark.parametrize("overrides", [{"slack_profile_ttl_seconds": 0}], ids=["ttl=0"])
def test_stale_profiles_are_fetched_again(slack, fake, db):
    slack.command("add One")
    assert member(db, "U1").display_name == "alice"
    fake.add_user("U1", "alice", tz="Europe/Berlin", display_name="Alice W")
    slack.command("add Two")
    assert len(fake.calls_to("users.info")) == 2
    me = member(db, "U1")
    assert (me.display_name, me.tz) == ("Alice W", "Europe/Berlin")


@pytest.mark.parametrize(
    "failure, first_name",
    [
        ({"body": {"ok": False, "error": "user_not_found"}}, "alice-legacy"),
        ({"status": 500, "body": "<html>oops</html>"}, "alice-legacy"),
        ({"status": 429, "headers": {"Retry-After": "0"}}, "alice"),  # asked again after 0 s
    ],
    ids=["not found", "server error", "rate limited"],
)
def test_a_users_info_failure_does_not_break_the_command(slack, fake, db, failure, first_name):
    fake.fail_next("users.info", **failure)
    [answer] = slack.command("add Still works", user_name="alice-legacy")
    assert "Added #1" in header_of(answer)
    assert member(db, "U1").display_name == first_name
    slack.command("add Learned next time")  # not cached: asked again, and now it answers
    assert member(db, "U1").display_name == "alice"


def test_slack_out_of_reach_for_users_info_does_not_break_the_command(slack, db, monkeypatch):
    def unreachable(**kwargs):
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(slack.door.client, "users_info", unreachable)
    [answer] = slack.command("add Offline profile <@U2>", user_name="alice-legacy")
    assert "Added #1" in header_of(answer) and "<@U2>" in blocks_text(answer)
    assert member(db, "U1").display_name == "alice-legacy"


def test_a_mentioned_person_slack_cannot_describe_is_still_a_real_mention(slack, fake, db):
    [answer] = slack.command("add For a stranger <@UNKNOWN1>")
    assert "<@UNKNOWN1>" in blocks_text(answer)
    assert task(db, 1).assignee_id == member(db, "UNKNOWN1").id


@pytest.mark.parametrize("overrides", [{"timezone": "Pacific/Pago_Pago"}], ids=["UTC-11"])
def test_home_reads_today_in_my_zone_or_else_the_channels(slack, fake, db):
    """Kiritimati (UTC+14) is always at least a day ahead of Pago Pago (UTC-11), the channels'
    zone: a task due today in the channel is overdue for someone in Kiritimati."""
    fake.add_user("UKIRI", "kiri", tz="Pacific/Kiritimati")
    fake.add_user("UNOTZ", "notz")
    channel_today = NOW.astimezone(ZoneInfo("Pacific/Pago_Pago")).date()
    slack.command(f"add Kiri's task due:{channel_today}", user_id="UKIRI")
    slack.command(f"add Notz's task due:{channel_today}", user_id="UNOTZ")
    added_days_ago(db, 2, 5)  # due today at 0% after five days: yellow
    assert member(db, "UNOTZ").tz is None
    kiri = blocks_text(slack.open_home("UKIRI", event_id="EvK"))
    assert "🔴" in kiri and "overdue" in kiri
    notz = blocks_text(slack.open_home("UNOTZ", event_id="EvN"))
    assert "🟡" in notz and "overdue" not in notz


def test_a_form_in_a_channel_without_the_bot_is_answered_through_the_command(slack, fake, db):
    """The bot can be used in a channel it is not a member of (a slash command), but not post
    there: the new task is told through the command's response_url instead."""
    assert slack.send(fk.slash_command(SECRET, "", response_url=fake.response_url("m")))[0] == 200
    view = fake.wait_for("views.open")[0].params["view"]
    fake.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    assert slack.submit(view, new_task_values("Shoot the teaser")) == (200, {})
    [told] = fake.wait_for("respond:m")
    assert told.params["response_type"] == "in_channel" and "Added #1" in blocks_text(told.params)
    assert task(db, 1).title == "Shoot the teaser"


def test_a_form_without_a_response_url_tells_the_person_directly(slack, fake, db):
    view = open_new_task_modal(slack)  # a command without a response_url
    fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    assert slack.submit(view, new_task_values("Shoot the teaser")) == (200, {})
    posts = fake.wait_for("chat.postMessage", 2)
    assert [p.params["channel"] for p in posts] == ["C1", "U1"]
    assert "Added #1" in blocks_text(posts[-1].params)
    assert task(db, 1).title == "Shoot the teaser"


# --- a plan's phases (issue 12) -------------------------------------------------------------------


def test_phases_are_planned_and_joined_through_slash_commands(slack, db):
    """An admin plans a phase (its owner a real mention), a member's task joins it and leaves
    it again, a member may not plan one: each answer as Slack shows it, and the rows."""
    admin = {"user_id": "UADMIN", "user_name": "root"}
    [answer] = slack.command(
        'project new 双11大促 2026-11-01..2026-12-10 goal:"GMV 500万"', **admin
    )
    assert answer["response_type"] == "in_channel"
    [answer] = slack.command(
        'phase add +双11大促 预热期 11-01..11-30 <@U2|bob> deliverable:"预热素材全部上线"', **admin
    )
    assert answer["response_type"] == "in_channel"
    assert "Phase 预热期 added to +双11大促" in header_of(answer)
    text = blocks_text(answer)
    assert "预热期 ▶ now" in text and "<@U2>" in text and "预热素材全部上线" in text
    with Session(db.engine) as s:
        [phase] = s.exec(select(Phase)).all()
    assert (phase.start_date, phase.end_date) == (date(2026, 11, 1), date(2026, 11, 30))
    assert phase.owner_id == member(db, "U2").id

    [answer] = slack.command("add Poster +双11大促 phase:预热期")  # alice, a member
    assert "#1 is in phase 预热期." in blocks_text(answer)
    assert task(db, 1).phase_id == phase.id
    [answer] = slack.command("task 1 phase:none")
    assert answer["response_type"] == "in_channel" and "Updated #1" in header_of(answer)
    assert task(db, 1).phase_id is None

    before = snapshot(db)
    [answer] = slack.command("phase remove +双11大促 预热期")
    assert answer["response_type"] == "ephemeral"
    assert "Only managers and admins make or change plans (`phase`)" in blocks_text(answer)
    assert snapshot(db) == before
    [answer] = slack.command("project show +双11大促")
    assert "Phases (1):" in blocks_text(answer) and "预热期 ▶ now" in blocks_text(answer)


def test_board_and_portfolio_through_slack(slack, db):
    """`/task board +double11` and `/task portfolio`: Block Kit within its limits, real
    mentions, answered only to the asker."""
    slack.command(f"add Write copy <@U2|bob> +double11 due:{today() - timedelta(days=2)}")
    slack.command("add Poster +double11")
    [board] = slack.command("board +double11")
    assert board["response_type"] == "ephemeral"
    assert_block_kit_limits(board)
    assert header_of(board) == "Board +double11"
    text = blocks_text(board)
    assert "▍To do · 2" in text and "🔴 #1 Write copy · <@U2>" in text and "#2 Poster" in text
    [portfolio] = slack.command("portfolio")
    assert portfolio["response_type"] == "ephemeral"
    assert_block_kit_limits(portfolio)
    text = blocks_text(portfolio)  # U1 is a member: their own open tasks, and why
    assert header_of(portfolio) == "🟢 Your open tasks across channels"
    assert "managers and admins" in text and "#2 Poster" in text and "Write copy" not in text
