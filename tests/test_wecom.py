"""The WeCom door end to end: callbacks built with the real crypto, sent over HTTP to
`paceline serve` on port 0; the real wechatpy client and the robot webhook talk to a local fake
WeCom API that records every call.

Every message the bot sends WeCom (robot webhook, response_url, message/send) is checked
against WeCom's byte limits by `assert_wecom_limits` when the test ends (the autouse fixture
`every_payload_within_limits`), and so is every error the server logs and every answer the
door's work pool ran: a worker that crashes after the ack fails the test that made it crash.

The door acks at once and answers from its work pool. Tests wait for the call they expect, or
drain the pool (`wecom.drain()`: everything submitted so far has finished) before asserting that
something did *not* happen. Nothing sleeps: backoffs and the robot's pacing run on a pinned
`Clock` whose `sleep` only records and moves the clock. Nothing reads the wall clock either: the
door's clock is pinned at `NOW` (tests/conftest.py) and callbacks are signed at that moment."""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

import bot.wecom.door
from bot.delivery import Delivery, Outcome, Permanent, Progress
from bot.settings import get_settings
from bot.wecom import render
from bot.wecom.api import Pacer, Sender, WeComError
from handlers import Line, Reply, dispatch
from handlers.messages import t
from handlers.reply import Light
from storage.models import (
    Blocker,
    Channel,
    Member,
    Phase,
    Project,
    Task,
    TaskEvent,
    TaskStatus,
    Workspace,
)
from tests.conftest import NOW, added_days_ago, count, snapshot
from tests.conftest import task as task_row
from tests.fakes import wecom as fw
from tests.fakes.clock import SleepClock as Clock
from tests.fakes.pools import DoorHarness, ErrorLog

CORP, SECRET, AGENT = "wwcorp", "app-secret", 1000002
APP_TOKEN, AIBOT_TOKEN = "apptoken", "bottoken"
APP_KEY, AIBOT_KEY = fw.new_aes_key(), fw.new_aes_key()
CHAT = "wrk-chat-1"
ZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return NOW.astimezone(ZONE).date()


def task(db, number: int) -> Task:
    return task_row(db, number, workspace=CORP)


def name_of(db, member_id: int | None) -> str | None:
    with Session(db.engine) as s:
        found = s.get(Member, member_id) if member_id else None
        return found.external_id if found else None


def channel_row(db, external_id: str = CHAT) -> Channel:
    with Session(db.engine) as s:
        return s.exec(
            select(Channel)
            .join(Workspace, Channel.workspace_id == Workspace.id)
            .where(Workspace.external_id == CORP, Channel.external_id == external_id)
        ).one()


def rows(db) -> dict:
    """Every row but the dedupe keys of callbacks seen (each answered message has one)."""
    return {name: found for name, found in snapshot(db).items() if name != "inbound_seen"}


def work(db) -> dict:
    """The rows of the work itself: tasks, their events, blockers, projects."""
    every = snapshot(db)
    return {name: every[name] for name in ("task", "task_event", "blocker", "project")}


# --- the payload checker --------------------------------------------------------------------------

# The most UTF-8 bytes of content WeCom takes, by where it goes and the message type. A group
# robot (webhook/send) takes markdown up to 4096 bytes; an intelligent robot's response_url one
# markdown message of up to 20480 (智能机器人 · 主动回复消息); an app's message/send documents 2048
# for markdown; text is 2048 wherever it goes.
LIMITS: dict[str, dict[str, int]] = {
    "webhook/send": {"markdown": 4096, "text": 2048},
    "aibot/response": {"markdown": 20480},
    "message/send": {"markdown": 2048, "text": 2048},
}
RECIPIENT = {"message/send": "touser"}


def assert_wecom_limits(method: str, body: dict | None) -> None:
    """A message the bot sent WeCom (`method` as the fake records it) keeps WeCom's limits: a
    known msgtype, a non-empty content within its byte limit, a recipient. Other calls (gettoken,
    user/list) carry no message and pass."""
    where = method.split(":", 1)[0]
    limits = LIMITS.get(where)
    if limits is None:
        return
    problems: list[str] = []
    if not isinstance(body, dict):
        problems.append(f"the body is not a JSON object: {body!r:.80}")
    else:
        msgtype = body.get("msgtype")
        part = body.get(msgtype) if isinstance(msgtype, str) else None
        content = part.get("content") if isinstance(part, dict) else None
        if msgtype not in limits:
            problems.append(f"msgtype {msgtype!r}: {where} sends {sorted(limits)}")
        elif not isinstance(content, str) or not content.strip():
            problems.append(f"{msgtype}: empty content")
        elif render.size(content) > limits[msgtype]:
            problems.append(
                f"{msgtype}: {render.size(content)} bytes, at most {limits[msgtype]} to {where}"
            )
        if where in RECIPIENT and not body.get(RECIPIENT[where]):
            problems.append(f"{where} without {RECIPIENT[where]}")
        if where == "message/send" and body.get("agentid") != AGENT:
            problems.append(f"message/send with agentid {body.get('agentid')!r}")
    assert not problems, f"WeCom limits broken by {method}:\n  " + "\n  ".join(problems)


def md(content: str) -> dict:
    return {"msgtype": "markdown", "markdown": {"content": content}}


def text_msg(content: str) -> dict:
    return {"msgtype": "text", "text": {"content": content}}


def to_person(payload: dict) -> dict:
    return {"touser": "zhangsan", "agentid": AGENT, **payload}


BROKEN_PAYLOADS = {
    "robot markdown 4097 bytes": ("webhook/send", md("字" * 1365 + "ab")),
    "response_url markdown 20481 bytes": ("aibot/response:r", md("a" * 20481)),
    "app markdown 2049 bytes": ("message/send", to_person(md("字" * 683))),
    "robot text 2049 bytes": ("webhook/send", text_msg("a" * 2049)),
    "app text 2049 bytes": ("message/send", to_person(text_msg("字" * 683))),
    "empty markdown": ("webhook/send", md("")),
    "blank text": ("webhook/send", text_msg("  \n")),
    "text to a response_url": ("aibot/response:r", text_msg("收到")),
    "no content": ("webhook/send", {"msgtype": "markdown", "markdown": {}}),
    "unknown msgtype": ("webhook/send", {"msgtype": "news", "news": {"content": "x"}}),
    "no msgtype": ("message/send", to_person({"markdown": {"content": "x"}})),
    "not JSON": ("webhook/send", None),
    "message/send to nobody": ("message/send", {"agentid": AGENT, **md("x")}),
    "message/send of another agent": ("message/send", {**to_person(md("x")), "agentid": 1}),
}


@pytest.mark.parametrize(("method", "body"), BROKEN_PAYLOADS.values(), ids=BROKEN_PAYLOADS.keys())
def test_the_checker_catches_each_broken_limit(method, body):
    with pytest.raises(AssertionError, match="WeCom limits broken"):
        assert_wecom_limits(method, body)


def test_the_checker_passes_what_wecom_takes():
    assert_wecom_limits("webhook/send", md("字" * 1365 + "a"))  # 4096 bytes
    assert_wecom_limits("aibot/response:r", md("字" * 6826 + "ab"))  # 20480 bytes
    assert_wecom_limits("message/send", to_person(md("字" * 682 + "ab")))  # 2048 bytes
    assert_wecom_limits("webhook/send", text_msg("a" * 2048))
    assert_wecom_limits("message/send", to_person(text_msg("字" * 682)))
    assert_wecom_limits("gettoken", None)  # no message, nothing to check
    assert_wecom_limits("user/list", None)


# --- the renderer alone, at its edges -------------------------------------------------------------

RENDER_EDGES = {
    "300 short lines": Reply(
        "周报", [Line(f"第 {i} 项 · 设计稿", Light.GREEN) for i in range(300)]
    ),
    "one line of 10000 CJK characters": Reply("长", [Line("字" * 10_000)]),
    "one line of 9000 ASCII characters": Reply("long", [Line("x" * 9000)]),
    "emoji and lights": Reply("🔴" * 50, [Line("🟡🟢" * 1500, Light.RED)], light=Light.RED),
    "a title longer than a message": Reply("标" * 2000, [Line("x")]),
    "many fields": Reply("t", fields=[(f"字段{i}", "值" * 200) for i in range(40)]),
}


@pytest.mark.parametrize("reply", RENDER_EDGES.values(), ids=RENDER_EDGES.keys())
@pytest.mark.parametrize("limit", [render.ROBOT_MARKDOWN_BYTES, render.APP_MARKDOWN_BYTES])
def test_the_renderer_splits_within_the_limit_and_loses_no_text(reply, limit):
    for kind, parts in (("markdown", render.markdown(reply, limit)), ("text", render.text(reply))):
        cap = limit if kind == "markdown" else render.TEXT_BYTES
        assert all(0 < render.size(p) <= cap for p in parts), [render.size(p) for p in parts]
        if len(parts) > 1:  # each part says which it is
            assert all(p.endswith(f"({n}/{len(parts)})") for n, p in enumerate(parts, 1))
        joined = "".join(re.sub(r"\n\(\d+/\d+\)$", "", p).replace("\n", "") for p in parts)
        for line in reply.lines:
            assert line.text.replace("\n", "") in joined
        for label, value in reply.fields:
            assert label in joined and value in joined
        assert reply.title in joined


# --- a pinned clock, a tracked work pool, and the server ------------------------------------------


class Harness(DoorHarness):
    """`paceline serve` on port 0 with the WeCom door, and ways to send it what WeCom sends.
    The door's work pool is `self.pool`; `drain()` waits until everything it ran has finished
    and sees that nothing it ran raised."""

    def __init__(self, settings, db, fake: fw.FakeWeCom, clock: Clock, monkeypatch) -> None:
        monkeypatch.setattr(fw, "signing_clock", NOW.timestamp)  # WeCom signs at the door's now
        self.open_doors(
            settings,
            db,
            monkeypatch,
            clock=lambda: NOW,
            noun="answer",
            check_failures=True,
        )
        self.fake, self.db, self.clock, self.settings = fake, db, clock, settings
        # Backoffs and the robot's pacing on the pinned clock: nothing in a test really sleeps.
        if self.door.client is not None:
            self.door.client._sleep = clock.sleep
        if self.door.directory is not None:
            self.door.directory.clock = clock.now
        self.door.sender = Sender(
            self.door.client,
            settings.wecom_agent_id,
            pacer=Pacer(clock=clock.now, sleep=clock.sleep),
            sleep=clock.sleep,
        )
        self.poster = self.door.poster()  # scheduled posts, through that sender
        self.base = f"http://127.0.0.1:{self.serve(settings, db)}"
        self._ids = itertools.count(1)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    # --- raw HTTP ---

    def post(self, path: str, query: dict, body: bytes) -> tuple[int, bytes]:
        status, _, answer = fw.post(f"{self.base}{path}?{urlencode(query)}", body)
        return status, answer

    def get(self, path: str, query: dict) -> tuple[int, bytes]:
        status, _, answer = fw.get(f"{self.base}{path}?{urlencode(query)}")
        return status, answer

    # --- the intelligent robot ---

    def robot(self, content: str, *, response: str | None = None, **kw) -> tuple[int, bytes]:
        """POST /wecom/aibot: `content` said to the robot (a group's by default)."""
        kw.setdefault("msgid", self.next_id("m"))
        if response is not None:
            kw["response_url"] = self.fake.response_url(response)
        return self.post("/wecom/aibot", *fw.aibot_text(AIBOT_TOKEN, AIBOT_KEY, content, **kw))

    def say_parts(self, content: str, *, user: str = "zhangsan", **kw) -> list[str]:
        """`content` said to the robot by `user`; every markdown part it answered."""
        name = self.next_id("r")
        status, body = self.robot(content, userid=user, response=name, **kw)
        assert (status, body) == (200, b"")
        self.drain()
        answers = self.fake.calls_to(f"aibot/response:{name}")
        assert answers and all(c.ok for c in answers), answers
        return [c.body["markdown"]["content"] for c in answers]

    def say(self, content: str, **kw) -> str:
        """`content` said to the robot; its one markdown answer."""
        [answer] = self.say_parts(content, **kw)
        return answer

    # --- the self-built app ---

    def app(self, content: str, *, user: str = "zhangsan", **kw) -> tuple[int, bytes]:
        """POST /wecom/callback: a text message `user` sent the app."""
        kw.setdefault("msg_id", str(next(self._ids) + 10_000))
        built = fw.app_text_message(APP_TOKEN, APP_KEY, CORP, content, from_user=user, **kw)
        return self.post("/wecom/callback", *built)

    def passive(self, content: str, **kw) -> ElementTree.Element:
        """The app's passive reply to `content`, decrypted (its signature checked)."""
        status, body = self.app(content, **kw)
        assert status == 200 and body, body
        inner = ElementTree.fromstring(fw.decrypt_reply_xml(APP_TOKEN, APP_KEY, CORP, body))
        assert render.size(inner.findtext("Content")) <= render.TEXT_BYTES
        return inner


# Where the server logs its errors: an answer that failed, a 500, a callback that crashed.
WATCHED = ("bot", "handlers", "storage", "waitress", "concurrent")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fake(clock):
    with fw.FakeWeCom(corp_id=CORP, secret=SECRET, clock=clock.now) as server:
        server.add_user("zhangsan", "张三")
        server.add_user("lisi", "李四")
        server.add_user("wangfang", "王芳")
        server.add_user("zhaoliu", "赵六")
        yield server


@pytest.fixture
def errors():
    log = ErrorLog(WATCHED)
    logging.getLogger().addHandler(log)
    yield log
    logging.getLogger().removeHandler(log)


@pytest.fixture(autouse=True)
def every_payload_within_limits(fake, errors):
    """After each test: every message sent to WeCom kept its limits, and nothing logged an error
    the test did not expect."""
    yield
    for call in list(fake.calls):
        assert_wecom_limits(call.method, call.body)
    assert not errors.records, [r.getMessage() for r in errors.records]


@pytest.fixture
def overrides() -> dict:
    """Settings a test changes: `@pytest.mark.parametrize("overrides", [{...}])`."""
    return {}


@pytest.fixture
def settings(fake, overrides):
    values = {
        "wecom_corp_id": CORP,
        "wecom_secret": SECRET,
        "wecom_agent_id": AGENT,
        "wecom_token": APP_TOKEN,
        "wecom_encoding_aes_key": APP_KEY,
        "wecom_aibot_token": AIBOT_TOKEN,
        "wecom_aibot_encoding_aes_key": AIBOT_KEY,
        "wecom_api_url": fake.base_url,
        "wecom_admins": "wangfang",
    }
    return get_settings(**{**values, **overrides})


@pytest.fixture
def wecom(settings, db, fake, clock, monkeypatch):
    harness = Harness(settings, db, fake, clock, monkeypatch)
    yield harness
    harness.close()


@pytest.fixture
def base(wecom):
    return wecom.base


def robot(base, content, **kw):
    query, body = fw.aibot_text(AIBOT_TOKEN, AIBOT_KEY, content, **kw)
    return fw.post(f"{base}/wecom/aibot?{urlencode(query)}", body)


# --- the two tests this suite grew from -----------------------------------------------------------


def test_a_group_adds_a_task_in_chinese(base, fake, db):
    status, _, _ = robot(
        base, "@Paceline 新建 写预热文案 @李四 周五前 +双11", response_url=fake.response_url("r")
    )
    assert status == 200
    [answer] = fake.wait_for("aibot/response:r")
    content = answer.body["markdown"]["content"]
    assert "已新建 #1" in content and "<@lisi>" in content
    assert count(db, "task") == 1


def test_forged_callback_is_refused_and_changes_nothing(base, fake, db):
    before = snapshot(db)
    query, body = fw.aibot_text("wrong-token", AIBOT_KEY, "新建 x")
    status, _, _ = fw.post(f"{base}/wecom/aibot?{urlencode(query)}", body)
    assert status == 403
    assert snapshot(db) == before


# --- the URL checks -------------------------------------------------------------------------------


def test_both_url_checks_answer_the_decrypted_echostr(wecom, fake, db):
    before = snapshot(db)
    query = fw.aibot_url_check(AIBOT_TOKEN, AIBOT_KEY, "robot-echo-9 回声")
    assert wecom.get("/wecom/aibot", query) == (200, "robot-echo-9 回声".encode())
    query = fw.app_url_check(APP_TOKEN, APP_KEY, CORP, "app-echo-7")
    assert wecom.get("/wecom/callback", query) == (200, b"app-echo-7")
    assert snapshot(db) == before
    assert fake.calls == []


# --- the intelligent robot in a group: the whole Chinese grammar ----------------------------------


def test_the_full_chinese_grammar_in_a_group(wecom, db, fake):
    """add, list, start, progress, block with a reason, unblock, done, assign, due and help, each
    said to the robot in a group; the markdown each answer carries, and the rows behind it."""
    warn, comment, info = (f'<font color="{c}">' for c in ("warning", "comment", "info"))

    said = wecom.say("@Paceline 新建 写预热文案 @李四 周五前 +双11")
    assert said.splitlines()[0].endswith("**已新建 #1**")
    assert "#1 写预热文案 · <@lisi>" in said and "+双11" in said
    assert "已创建新项目 +双11。" in said
    assert "`开始 1`" in said and "`完成 1`" in said and "`阻塞 1`" in said  # next steps
    t1 = task(db, 1)
    assert (t1.title, t1.status, name_of(db, t1.assignee_id)) == ("写预热文案", "todo", "lisi")
    assert name_of(db, t1.creator_id) == "zhangsan"
    assert t1.due_date.weekday() == 4 and 0 <= (t1.due_date - today()).days < 7
    with Session(db.engine) as s:
        [project] = s.exec(select(Project)).all()
        assert project.name == "双11" and t1.project_id == project.id
    assert channel_row(db).lang == "zh"  # a WeCom group speaks Chinese from its first message

    said = wecom.say("@Paceline 开始 1", user="lisi")
    assert "**已开始 #1**" in said and "`开始 1`" not in said
    assert task(db, 1).status == TaskStatus.DOING

    said = wecom.say("@Paceline 进度 1 60%", user="lisi")
    assert said.startswith(f"{info}🟢</font> **#1 进度 60%**")
    assert task(db, 1).progress == 60

    said = wecom.say("@Paceline 阻塞 1 设计资源不足 原因:资源", user="lisi")
    assert said.startswith(f"{warn}🔴</font> **#1 已标记为阻塞**")
    assert "阻塞原因：设计资源不足（根因：资源）" in said and "`解除 1`" in said
    assert task(db, 1).status == TaskStatus.BLOCKED
    with Session(db.engine) as s:
        [blocker] = s.exec(select(Blocker)).all()
    assert (blocker.reason, blocker.cause, blocker.resolved_at) == (
        "设计资源不足",
        "resources",
        None,
    )

    wecom.say("@Paceline 新建 做海报 明天")  # a second task, due tomorrow, not started
    added_days_ago(db, 2, 5)  # as if added five days ago: yellow (added today it is not)
    said = wecom.say("@Paceline 列表")
    lines = said.splitlines()
    assert lines[0] == f"{warn}🔴</font> **本频道任务**"
    assert lines[1] == "> 共 2 项 · 🔴 1 · 🟡 1 · 🟢 0"
    assert lines[2].startswith(f"{warn}🔴</font> #1 写预热文案 · <@lisi>")  # worst first
    assert lines[3].startswith(f"{comment}🟡</font> #2 做海报 · <@zhangsan>")
    said = wecom.say("@Paceline 列表 阻塞")
    assert "**阻塞任务**" in said and "#1 写预热文案" in said and "#2" not in said

    said = wecom.say("@Paceline 解除 1", user="lisi")
    assert said.startswith(f"{info}🟢</font> **#1 已解除阻塞**")
    assert "阻塞已解除" in said and "设计资源不足" in said
    assert task(db, 1).status == TaskStatus.DOING
    with Session(db.engine) as s:
        assert s.exec(select(Blocker)).one().resolved_at is not None

    said = wecom.say("@Paceline 指派 1 @王芳")
    assert "**#1 已指派给 <@wangfang>**" in said
    assert name_of(db, task(db, 1).assignee_id) == "wangfang"

    said = wecom.say("@Paceline 截止 1 下周一")
    assert "**#1 截止日期改为" in said and "周一**" in said
    due = task(db, 1).due_date
    assert due.weekday() == 0 and 1 <= (due - today()).days <= 13

    said = wecom.say("@Paceline 完成 1 已交付设计", user="wangfang")
    assert said.splitlines()[0] == "**已完成 #1**"  # a closed task has no light
    assert "备注：已交付设计" in said and "`重开 1`" in said
    t1 = task(db, 1)
    assert (t1.status, t1.progress) == (TaskStatus.DONE, 100) and t1.closed_at is not None

    said = wecom.say("@Paceline 帮助")
    assert said.splitlines()[0] == "**Paceline 指令**"
    for verb in ("新建", "列表", "开始", "进度", "阻塞", "解除", "完成", "指派", "截止"):
        assert f"\n`{verb} " in said, verb
    assert wecom.say("@Paceline") == said  # a bare mention is a request for help
    said = wecom.say("@Paceline 帮助 阻塞")
    assert "`阻塞 <编号> <原因>" in said and "新建" not in said

    with Session(db.engine) as s:
        events = s.exec(
            select(TaskEvent).where(TaskEvent.task_id == t1.id).order_by(TaskEvent.id)
        ).all()
    assert [(e.field, e.new) for e in events] == [
        ("created", "写预热文案"),
        ("status", "doing"),
        ("progress", "60"),
        ("status", "blocked"),
        ("status", "doing"),
        ("assignee", str(t1.assignee_id)),
        ("due", due.isoformat()),
        ("status", "done"),
        ("progress", "100"),
    ]  # one event per change, none for the reads
    assert fake.calls_to("message/send") == []  # every answer went to its response_url


def test_commands_that_cannot_be_done_get_the_reason_and_change_nothing(wecom, db):
    wecom.say("新建 写预热文案 @李四")
    before = work(db)
    for said, expected in [
        ("开始 9", "本工作区找不到任务 #9"),
        ("进度 1", "#1 进展到多少了？"),
        ("阻塞 1", "#1 被什么卡住了？"),
        ("解除 1", "#1 没有被阻塞"),
        ("截止 1 下下下个月的某天", "看不懂日期"),
        ("喝茶 1", "不认识指令"),
    ]:
        answer = wecom.say(said, user="lisi")
        assert answer.startswith("⚠️ **没能执行**") and expected in answer, (said, answer)
    answer = wecom.say("完成 1", user="zhaoliu")  # neither the owner, the creator nor an admin
    assert answer.startswith("⚠️ **没能执行**") and "只有负责人、创建人、管理者或管理员" in answer
    assert work(db) == before


def test_a_single_chat_with_the_robot_is_its_own_channel(wecom, db, fake):
    said = wecom.say("新建 整理竞品资料", chattype="single", user="lisi")
    assert "**已新建 #1**" in said and "<@lisi>" in said
    assert channel_row(db, "single:lisi").external_id == "single:lisi"
    assert "整理竞品资料" not in wecom.say("列表")  # not the group's
    assert "#1 整理竞品资料" in wecom.say("列表", chattype="single", user="lisi")
    # No response_url: the answer goes to the person through the app.
    status, _ = wecom.robot("列表", chattype="single", userid="lisi")
    assert status == 200
    [sent] = fake.wait_for("message/send")
    assert (sent.body["touser"], sent.body["msgtype"]) == ("lisi", "markdown")
    assert "#1 整理竞品资料" in sent.body["markdown"]["content"]


def robot_event(msgtype: str, **fields) -> dict:
    return {
        "msgid": f"{msgtype}-1",
        "chattype": "group",
        "chatid": CHAT,
        "from": {"userid": "lisi"},
        "msgtype": msgtype,
        **fields,
    }


def test_what_the_robot_does_not_understand_is_acknowledged_and_ignored(wecom, db, fake):
    before = snapshot(db)
    for payload in [
        robot_event("event", event={"eventtype": "enter_chat"}),
        robot_event("stream", stream={"id": "s1"}),
        robot_event("location", location={"latitude": 1}),
    ]:
        built = fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)
        assert wecom.post("/wecom/aibot", *built) == (200, b"")
    wecom.drain()
    assert snapshot(db) == before
    assert fake.calls == []


# What WeCom sends an intelligent robot besides text (智能机器人 · 接收消息): an image, a voice
# (with its transcript), a file, or a mixed message (图文混排) of text and image items.
IMAGE = {"msgtype": "image", "image": {"url": "http://127.0.0.1:1/x.png"}}
NOT_TEXT = {
    "image": {"image": {"url": "http://127.0.0.1:1/x.png"}},
    "voice": {"voice": {"content": "新建 语音任务"}},
    "file": {"file": {"url": "http://127.0.0.1:1/x.pdf"}},
    "mixed": {"mixed": {"msg_item": [IMAGE, IMAGE]}},
}


def test_a_mixed_message_answers_its_text(wecom, db, fake):
    items = [
        {"msgtype": "text", "text": {"content": "@Paceline 新建 按图修改海报"}},
        IMAGE,
        {"msgtype": "text", "text": {"content": " @李四 "}},
    ]
    payload = robot_event("mixed", mixed={"msg_item": items}, response_url=fake.response_url("rm"))
    assert wecom.post("/wecom/aibot", *fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)) == (
        200,
        b"",
    )
    wecom.drain()
    [said] = fake.responses("rm")
    assert "已新建 #1" in said["markdown"]["content"]
    t1 = task(db, 1)
    assert (t1.title, name_of(db, t1.assignee_id)) == ("按图修改海报", "lisi")


@pytest.mark.parametrize("kind", NOT_TEXT)
def test_what_is_not_text_gets_a_short_text_only_answer_once(wecom, db, fake, kind):
    payload = robot_event(kind, response_url=fake.response_url("r1"), **NOT_TEXT[kind])
    built = fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)
    for _ in range(3):  # WeCom's retries: one answer
        assert wecom.post("/wecom/aibot", *built) == (200, b"")
    wecom.drain()
    assert [r["markdown"]["content"] for r in fake.responses("r1")] == [
        "我只能读文字：请直接输入指令，例如 `列表` 或 `帮助`。"
    ]
    assert count(db, "task") == 0


def test_the_text_only_answer_speaks_the_channels_language(wecom, db, fake):
    wecom.say("设置 语言 英文", user="wangfang")
    payload = {**robot_event("image", **NOT_TEXT["image"]), "msgid": "img-2"}
    payload["response_url"] = fake.response_url("r2")
    assert wecom.post("/wecom/aibot", *fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)) == (
        200,
        b"",
    )
    # a single chat the bot has not met yet, without a response_url: by the app, in Chinese
    payload = {**robot_event("voice", **NOT_TEXT["voice"]), "msgid": "v-1", "chattype": "single"}
    del payload["chatid"]
    assert wecom.post("/wecom/aibot", *fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)) == (
        200,
        b"",
    )
    wecom.drain()
    [said] = fake.responses("r2")
    assert (
        said["markdown"]["content"] == "I read text only: write the command, e.g. `list` or `help`."
    )
    [sent] = fake.calls_to("message/send")
    assert sent.body["touser"] == "lisi" and "我只能读文字" in sent.body["markdown"]["content"]


def test_a_response_url_that_is_not_a_url_string_means_answering_the_person(wecom, fake):
    payload = robot_event("text", text={"content": "列表"}, response_url=12345)
    assert wecom.post("/wecom/aibot", *fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload)) == (
        200,
        b"",
    )
    wecom.drain()
    [sent] = fake.calls_to("message/send")
    assert sent.body["touser"] == "lisi" and "**本频道任务**" in sent.body["markdown"]["content"]


def test_an_answer_that_cannot_be_delivered_is_logged(wecom, fake, errors):
    fake.fail_next("aibot/response:r9", errcode=-1, status=500)
    assert wecom.robot("列表", response="r9") == (200, b"")
    wecom.drain()
    [logged] = errors.take()
    assert "could not answer zhangsan" in logged and CHAT in logged


def test_an_answer_that_crashes_is_logged_not_lost(wecom, fake, errors, monkeypatch):
    def broken(text, ctx):
        raise RuntimeError("a bug")

    monkeypatch.setattr(bot.wecom.door, "dispatch", broken)
    assert wecom.robot("列表", response="r1") == (200, b"")
    wecom.drain()
    [logged] = errors.take()
    assert logged == f"could not answer zhangsan in {CHAT}"
    assert fake.calls_to("aibot/response:r1") == []


def test_markup_typed_into_a_title_neither_pings_nor_paints(wecom, db):
    title = '快看<@wangfang> <font color="warning">🔴</font>'
    said = wecom.say(f"新建 {title}")
    assert "<@wangfang>" not in said and '<font color="warning">🔴' not in said
    assert title in said.replace("\u200b", "")  # the same characters, shown as typed
    assert task(db, 1).title == title
    said = wecom.say("阻塞 1 等<@lisi>回复 </FONT>")
    assert "<@lisi>" not in said and "</FONT>" not in said
    assert "等<@lisi>回复 </FONT>" in said.replace("\u200b", "")


# --- the self-built app: passive encrypted replies, and message/send when it takes longer ---------


def seed_tasks(wecom: Harness, n: int, *, channel: str, user: str = "zhangsan") -> None:
    """Tasks #1…#n owned by `user` in `channel`, written straight into the database (a command
    each would be slow); the first through the grammar so the workspace and member exist."""
    assert not dispatch("新建 种子任务 1", wecom.door.context(channel, user)).error
    now = NOW
    with Session(wecom.db.engine) as s:
        ws = s.exec(select(Workspace).where(Workspace.external_id == CORP)).one()
        ch = s.exec(select(Channel).where(Channel.external_id == channel)).one()
        me = s.exec(select(Member).where(Member.external_id == user)).one()
        for number in range(2, n + 1):
            s.add(
                Task(
                    workspace_id=ws.id,
                    number=number,
                    title=f"种子任务 {number} 双11预热期海报与文案",
                    channel_id=ch.id,
                    assignee_id=me.id,
                    creator_id=me.id,
                    due_date=today() + timedelta(days=number % 5),
                    created_at=now,
                    updated_at=now,
                )
            )
        ws.next_task_number = n + 1
        s.add(ws)
        s.commit()


def test_the_app_answers_in_time_with_a_passive_encrypted_reply(wecom, db, fake):
    reply = wecom.passive("新建 写周报 @李四 明天 +双11", user="zhangsan")
    assert reply.findtext("MsgType") == "text"
    assert (reply.findtext("ToUserName"), reply.findtext("FromUserName")) == ("zhangsan", CORP)
    assert reply.findtext("AgentID") == str(AGENT)
    content = reply.findtext("Content")
    assert content.splitlines()[0] == "🟢 已新建 #1"  # text: emoji lights, names as @name
    assert "#1 写周报 · @李四" in content and "<font" not in content and "<@" not in content
    t1 = task(db, 1)
    assert (t1.title, name_of(db, t1.assignee_id)) == ("写周报", "lisi")
    assert channel_row(db, "app:zhangsan").lang == "zh"
    assert "#1 写周报" in wecom.passive("列表").findtext("Content")
    title = "对比 a]]>b <x> & 'y' 完成"  # what XML and its CDATA sections cannot hold raw
    assert f"#2 {title}" in wecom.passive(f"新建 {title}").findtext("Content")
    assert task(db, 2).title == title
    wecom.drain()
    assert fake.calls_to("message/send") == []  # the passive reply was the answer


def test_an_answer_too_long_for_one_passive_reply_goes_by_message_send_in_parts(wecom, db, fake):
    seed_tasks(wecom, 45, channel="app:zhangsan")
    assert wecom.app("列表") == (200, b"")  # acked at once, empty: no passive reply
    wecom.drain()
    sent = fake.calls_to("message/send")
    assert len(sent) >= 2 and all(c.ok for c in sent)
    parts = [c.body["markdown"]["content"] for c in sent]
    assert {(c.body["touser"], c.body["agentid"]) for c in sent} == {("zhangsan", AGENT)}
    assert all(render.size(p) <= render.APP_MARKDOWN_BYTES for p in parts)
    assert [p.rsplit("\n", 1)[-1] for p in parts] == [
        f"({n}/{len(parts)})" for n in range(1, len(parts) + 1)
    ]
    assert "**本频道任务**" in parts[0] and "共 45 项" in parts[0]
    shown = [int(n) for p in parts for n in re.findall(r"#(\d+) 种子任务", p)]
    assert sorted(shown) == list(range(1, 46))  # every task once, none cut off


def test_an_answer_not_ready_in_time_goes_by_message_send(wecom, db, fake, monkeypatch):
    release = threading.Event()
    real = bot.wecom.door.dispatch

    def slow(text, ctx):
        assert release.wait(10)
        return real(text, ctx)

    monkeypatch.setattr(bot.wecom.door, "PASSIVE_BUDGET", 0)
    monkeypatch.setattr(bot.wecom.door, "dispatch", slow)
    assert wecom.app("新建 准备直播脚本", user="lisi") == (200, b"")  # acked before the answer
    assert count(db, "task") == 0
    release.set()
    [sent] = fake.wait_for("message/send")
    assert sent.ok and sent.body["touser"] == "lisi"
    assert "**已新建 #1**" in sent.body["markdown"]["content"]
    assert task(db, 1).title == "准备直播脚本"


# --- WeCom retries: one task per msgid / MsgId ----------------------------------------------------


def test_robot_retries_with_the_same_msgid_make_one_task(wecom, db, fake):
    for _ in range(3):  # WeCom's three retries, one after another
        assert wecom.robot("新建 写预热文案", msgid="dup-1", response="r1") == (200, b"")
    wecom.drain()
    with ThreadPoolExecutor(max_workers=4) as pool:  # and four at once
        statuses = list(
            pool.map(
                lambda _: wecom.robot("新建 做海报", msgid="dup-2", response="r2")[0], range(4)
            )
        )
    assert statuses == [200] * 4
    wecom.drain()
    assert [t.title for t in map(lambda n: task(db, n), (1, 2))] == ["写预热文案", "做海报"]
    assert count(db, "task") == 2
    assert len(fake.responses("r1")) == len(fake.responses("r2")) == 1


def test_app_retries_with_the_same_msgid_make_one_task(wecom, db, fake):
    first = wecom.passive("新建 写预热文案", msg_id="7001")
    assert "已新建 #1" in first.findtext("Content")
    for _ in range(3):
        assert wecom.app("新建 写预热文案", msg_id="7001") == (200, b"")
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: wecom.app("新建 做海报", msg_id="7002"), range(4)))
    assert sorted(status for status, _ in answers) == [200] * 4
    assert sum(1 for _, body in answers if body) == 1  # one passive reply, three empty acks
    wecom.drain()
    assert count(db, "task") == 2
    assert fake.calls_to("message/send") == []


def test_what_was_acknowledged_before_a_kill_is_answered_by_the_next_start(
    wecom, db, fake, settings, monkeypatch
):
    """The process dies right after its acks (its work never ran): the next `paceline serve`
    finds the callbacks in the inbox and answers each once — the robot's through its
    response_url, the app's by message/send (its passive reply went with the dead process)."""
    monkeypatch.setattr(wecom.door.intake, "run", lambda *args, **kwargs: None)  # killed
    assert wecom.robot("新建 写预热文案", msgid="k-1", response="rk") == (200, b"")
    assert wecom.app("新建 做海报", msg_id="9001") == (200, b"")
    assert wecom.robot("新建 写预热文案", msgid="k-1", response="rk") == (200, b"")  # a retry
    assert count(db, "task") == 0 and fake.responses("rk") == []

    later = NOW + timedelta(minutes=5)  # past the dead worker's lease, on a shared database too
    restarted = bot.wecom.door.WeComDoor(settings, db, clock=lambda: later)
    restarted.start()
    assert restarted.intake.drain(10) == 0
    assert sorted(t.title for t in map(lambda n: task(db, n), (1, 2))) == ["做海报", "写预热文案"]
    [answer] = fake.responses("rk")
    assert "已新建" in answer["markdown"]["content"]
    [sent] = fake.calls_to("message/send")
    assert sent.body["touser"] == "zhangsan"
    again = bot.wecom.door.WeComDoor(settings, db, clock=lambda: later + timedelta(minutes=5))
    again.start()  # nothing left: nothing twice
    assert again.intake.drain(10) == 0 and count(db, "task") == 2


def test_robot_and_app_message_ids_do_not_collide(wecom, db):
    assert "已新建 #1" in wecom.say("新建 来自机器人", msgid="4242")
    assert "已新建 #2" in wecom.passive("新建 来自应用", msg_id="4242").findtext("Content")
    assert count(db, "task") == 2


# --- the one message a robot's response_url takes --------------------------------------------


def listed(parts: list[str]) -> list[int]:
    """The numbers of the seeded tasks the parts show, each time one is shown."""
    return [int(n) for p in parts for n in re.findall(r"#(\d+) 种子任务", p)]


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_an_answer_longer_than_a_group_post_is_the_one_response_url_message(wecom, fake):
    seed_tasks(wecom, 60, channel=CHAT)
    [said] = wecom.say_parts("列表")  # one call: WeCom takes no second one
    assert render.ROBOT_MARKDOWN_BYTES < render.size(said) <= render.RESPONSE_URL_MARKDOWN_BYTES
    assert sorted(listed([said])) == list(range(1, 61)) and "(1/" not in said
    assert fake.calls_to("webhook/send") == fake.calls_to("message/send") == []


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_what_does_not_fit_the_response_url_follows_below_by_the_group_robot(wecom, fake):
    wecom.say(f"设置 webhook {fake.webhook_url('k1')}", user="wangfang")
    seed_tasks(wecom, 250, channel=CHAT)
    [first] = wecom.say_parts("列表")
    assert render.size(first) <= render.RESPONSE_URL_MARKDOWN_BYTES
    assert first.endswith("\n……余下内容见下方。")
    posts = [p["markdown"]["content"] for p in fake.webhook_posts("k1")]
    assert posts and len(posts) == len(fake.calls_to("webhook/send"))
    assert sorted(listed([first, *posts])) == list(range(1, 251))  # each task once
    assert fake.calls_to("message/send") == []


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_without_a_group_robot_what_does_not_fit_goes_to_the_person_by_the_app(wecom, fake):
    wecom.say("设置 语言 英文", user="wangfang")
    seed_tasks(wecom, 250, channel=CHAT)
    [first] = wecom.say_parts("list", user="lisi")
    assert first.endswith("\n…the rest was sent to you as an app message.")
    sent = fake.calls_to("message/send")
    assert sent and all(c.ok for c in sent) and {c.body["touser"] for c in sent} == {"lisi"}
    parts = [c.body["markdown"]["content"] for c in sent]
    assert sorted(listed([first, *parts])) == list(range(1, 251))
    assert fake.calls_to("webhook/send") == []


@pytest.mark.parametrize(
    "overrides", [{"list_limit": 500, "wecom_secret": None}], ids=["no app, no robot"]
)
def test_with_no_other_way_a_too_long_answer_says_how_to_narrow_it(wecom, fake):
    seed_tasks(wecom, 250, channel=CHAT)
    [first] = wecom.say_parts("列表")
    assert render.size(first) <= render.RESPONSE_URL_MARKDOWN_BYTES
    assert first.endswith("\n……内容太长，一条消息放不下；请缩小范围，例如 `列表 我的`。")
    assert fake.calls_to("message/send") == fake.calls_to("webhook/send") == []


@pytest.mark.parametrize("overrides", [{"list_limit": 500}], ids=["list_limit=500"])
def test_a_refused_group_robot_is_marked_and_the_answer_logged(wecom, db, fake, errors):
    wecom.say(f"设置 webhook {fake.webhook_url('k1')}", user="wangfang")
    fake.revoke_webhook("k1")
    seed_tasks(wecom, 250, channel=CHAT)
    [first] = wecom.say_parts("列表")
    assert first.endswith("……余下内容见下方。")
    [logged] = errors.take()
    assert "could not answer zhangsan" in logged and "93000" in logged
    assert channel_row(db).post_target_refused_at is not None


# --- forged, replayed and malformed callbacks: refused, nothing written, nothing sent -------------

OTHER_KEY = fw.new_aes_key()
_forged = itertools.count(1)  # each forged message its own id: a refusal is not a dedupe
GROUP_MESSAGE = {
    "msgid": "forged-1",
    "chattype": "group",
    "chatid": CHAT,
    "from": {"userid": "lisi"},
    "response_url": "",
    "msgtype": "text",
    "text": {"content": "新建 不该出现的任务"},
}


def now_ts(offset: int = 0) -> int:
    """The pinned moment in epoch seconds, `offset` seconds off."""
    return int(NOW.timestamp()) + offset


def robot_msg(token=AIBOT_TOKEN, key=AIBOT_KEY, **kw) -> tuple[str, str, dict, bytes]:
    kw.setdefault("msgid", f"forged-{next(_forged)}")
    return ("POST", "/wecom/aibot", *fw.aibot_text(token, key, "新建 不该出现的任务", **kw))


def app_msg(token=APP_TOKEN, key=APP_KEY, corp=CORP, **kw) -> tuple[str, str, dict, bytes]:
    kw.setdefault("msg_id", str(90_000 + next(_forged)))
    built = fw.app_text_message(token, key, corp, "新建 不该出现的任务", from_user="lisi", **kw)
    return ("POST", "/wecom/callback", *built)


def robot_sealed(plaintext: str, **kw) -> tuple[str, str, dict, bytes]:
    """A robot callback, correctly encrypted and signed, of any plaintext."""
    query, encrypt = fw.sealed(AIBOT_TOKEN, AIBOT_KEY, "", plaintext, **kw)
    return "POST", "/wecom/aibot", query, json.dumps({"encrypt": encrypt}).encode()


def robot_payload(**changes) -> tuple[str, str, dict, bytes]:
    payload = {**GROUP_MESSAGE, "msgid": f"forged-{next(_forged)}", **changes}
    payload = {k: v for k, v in payload.items() if v is not None}
    return ("POST", "/wecom/aibot", *fw.aibot_callback(AIBOT_TOKEN, AIBOT_KEY, payload))


def app_sealed(inner: str) -> tuple[str, str, dict, bytes]:
    """An app callback, correctly encrypted and signed, of any inner plaintext."""
    query, encrypted = fw.sealed(APP_TOKEN, APP_KEY, CORP, inner)
    body = f"<xml><ToUserName>{CORP}</ToUserName><Encrypt>{encrypted}</Encrypt></xml>"
    return "POST", "/wecom/callback", query, body.encode()


def app_inner(**fields: str | None) -> tuple[str, str, dict, bytes]:
    values = {
        "ToUserName": CORP,
        "FromUserName": "lisi",
        "CreateTime": str(now_ts()),
        "MsgType": "text",
        "Content": "新建 不该出现的任务",
        "MsgId": str(90_000 + next(_forged)),
        "AgentID": str(AGENT),
        **fields,
    }
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None)
    return app_sealed(f"<xml>{inner}</xml>")


def signed_raw(path: str, token: str, encrypt: str, body: bytes) -> tuple[str, str, dict, bytes]:
    """A body whose encrypted part is anything at all, signed correctly with `token`."""
    ts, nonce = str(now_ts()), "123456"
    query = {
        "msg_signature": fw.msg_signature(token, ts, nonce, encrypt),
        "timestamp": ts,
        "nonce": nonce,
    }
    return "POST", path, query, body


def resigned(built: tuple[str, str, dict, bytes], token: str, **query) -> tuple:
    """The same callback with some query values changed, and signed again with `token`."""
    method, path, old, body = built
    new = {**old, **query}
    encrypt = (
        json.loads(body)["encrypt"]
        if path == "/wecom/aibot"
        else ElementTree.fromstring(body).findtext("Encrypt")
    )
    new["msg_signature"] = fw.msg_signature(token, new["timestamp"], new["nonce"], encrypt)
    return method, path, new, body


def without(built: tuple[str, str, dict, bytes], *names: str) -> tuple:
    method, path, query, body = built
    return method, path, {k: v for k, v in query.items() if k not in names}, body


def with_query(built: tuple[str, str, dict, bytes], **changes: str) -> tuple:
    method, path, query, body = built
    return method, path, {**query, **changes}, body


def swapped_encrypt(built: tuple[str, str, dict, bytes]) -> tuple:
    """The signature of one robot message over the body of another."""
    _, _, _, other = robot_msg()
    method, path, query, _ = built
    return method, path, query, other


def robot_check(token=AIBOT_TOKEN, key=AIBOT_KEY, **kw) -> tuple[str, str, dict, bytes]:
    """The robot's URL check; with `receive_id`, one encrypted for that receive id instead."""
    if "receive_id" in kw:
        query = fw.app_url_check(token, key, kw.pop("receive_id"), "echo", **kw)
    else:
        query = fw.aibot_url_check(token, key, "echo", **kw)
    return "GET", "/wecom/aibot", query, b""


def app_check(token=APP_TOKEN, key=APP_KEY, corp=CORP, **kw) -> tuple[str, str, dict, bytes]:
    return "GET", "/wecom/callback", fw.app_url_check(token, key, corp, "echo", **kw), b""


def resigned_check(built: tuple, token: str, echostr: str) -> tuple:
    method, path, query, body = built
    sig = fw.msg_signature(token, query["timestamp"], query["nonce"], echostr)
    return method, path, {**query, "echostr": echostr, "msg_signature": sig}, body


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b"]><xml><Encrypt>&i;</Encrypt></xml>"
)

DEEP = b"[" * 100_000 + b"]" * 100_000  # json.loads raises RecursionError on it
# A body over the server's limit is refused unread: 413, or, when the server closes the
# connection while the client is still sending, the connection cut (CUT) before any answer.
CUT = -1
TOO_LARGE = (413, CUT)

# name -> (expected status or statuses, a builder of (HTTP method, path, query, body))
REFUSED: dict[str, tuple[int | tuple[int, ...], object]] = {
    # the intelligent robot: forged
    "robot, wrong token": (403, lambda: robot_msg(token="not-the-token")),
    "robot, the app's token and key": (403, lambda: robot_msg(APP_TOKEN, APP_KEY)),
    "robot, signature altered": (
        403,
        lambda: with_query(robot_msg(), msg_signature="0" * 40),
    ),
    "robot, body swapped after signing": (403, lambda: swapped_encrypt(robot_msg())),
    "robot, nonce changed after signing": (403, lambda: with_query(robot_msg(), nonce="1")),
    "robot, built for the app (corp id as receive id)": (
        403,
        lambda: robot_msg(receive_id=CORP),
    ),
    # (with the right token but another key, the signature holds and decryption gives garbage:
    # a length that does not fit, or a receive id that is not ours)
    "robot, encrypted with another key": ((400, 403), lambda: robot_msg(key=OTHER_KEY)),
    # the intelligent robot: replayed
    "robot, timestamp 6 minutes old": (403, lambda: robot_msg(timestamp=now_ts(-360))),
    "robot, timestamp 6 minutes ahead": (403, lambda: robot_msg(timestamp=now_ts(360))),
    "robot, an old timestamp signed again": (
        403,
        lambda: resigned(robot_msg(), AIBOT_TOKEN, timestamp=str(now_ts(-3600))),
    ),
    "robot, timestamp not a number": (
        403,
        lambda: resigned(robot_msg(), AIBOT_TOKEN, timestamp="soon"),
    ),
    # the intelligent robot: malformed
    "robot, no msg_signature": (400, lambda: without(robot_msg(), "msg_signature")),
    "robot, no timestamp": (400, lambda: without(robot_msg(), "timestamp")),
    "robot, no nonce": (400, lambda: without(robot_msg(), "nonce")),
    "robot, no query at all": (
        400,
        lambda: without(robot_msg(), "msg_signature", "timestamp", "nonce"),
    ),
    "robot, empty body": (400, lambda: (*robot_msg()[:3], b"")),
    "robot, body not JSON": (400, lambda: (*robot_msg()[:3], b"{not json")),
    "robot, body a JSON list": (400, lambda: (*robot_msg()[:3], b'["encrypt"]')),
    "robot, body not UTF-8": (400, lambda: (*robot_msg()[:3], b"\xff\xfe{}")),
    "robot, no encrypt": (400, lambda: (*robot_msg()[:3], b'{"Encrypt": "x"}')),
    "robot, encrypt a number": (
        400,
        lambda: signed_raw("/wecom/aibot", AIBOT_TOKEN, "12345", b'{"encrypt": 12345}'),
    ),
    "robot, encrypt not base64": (
        400,
        lambda: signed_raw(
            "/wecom/aibot", AIBOT_TOKEN, "%%%not-base64%%%", b'{"encrypt": "%%%not-base64%%%"}'
        ),
    ),
    "robot, encrypt cut short": (
        400,
        lambda: signed_raw("/wecom/aibot", AIBOT_TOKEN, "QUJDRA==", b'{"encrypt": "QUJDRA=="}'),
    ),
    "robot, decrypts to no JSON": (400, lambda: robot_sealed("新建 不该出现的任务")),
    "robot, decrypts to a JSON list": (400, lambda: robot_sealed('["msgid"]')),
    "robot, no msgid": (400, lambda: robot_payload(msgid=None)),
    "robot, empty msgid": (400, lambda: robot_payload(msgid="")),
    "robot, msgid an object": (400, lambda: robot_payload(msgid={"id": 1})),
    "robot, userid empty": (400, lambda: robot_payload(**{"from": {"userid": ""}})),
    "robot, unknown chattype": (400, lambda: robot_payload(chattype="channel")),
    "robot, no sender": (400, lambda: robot_payload(**{"from": None})),
    "robot, sender not an object": (400, lambda: robot_payload(**{"from": "lisi"})),
    "robot, sender without userid": (400, lambda: robot_payload(**{"from": {}})),
    "robot, text not an object": (400, lambda: robot_payload(text="新建 不该出现的任务")),
    "robot, content not a string": (400, lambda: robot_payload(text={"content": 12})),
    "robot, group without chatid": (400, lambda: robot_payload(chatid=None)),
    "robot, huge body": (TOO_LARGE, lambda: (*robot_msg()[:3], b"{" + b" " * (1024 * 1024) + b"}")),
    "robot, body nested 100,000 deep": (400, lambda: (*robot_msg()[:3], DEEP)),
    "robot, encrypt nested deep": (
        400,
        lambda: (*robot_msg()[:3], b'{"encrypt": ' + DEEP + b"}"),
    ),
    "robot, decrypts to JSON nested 100,000 deep": (400, lambda: robot_sealed(DEEP.decode())),
    # the self-built app: forged
    "app, wrong token": (403, lambda: app_msg(token="not-the-token")),
    "app, the robot's token and key": (403, lambda: app_msg(AIBOT_TOKEN, AIBOT_KEY)),
    "app, signature altered": (403, lambda: with_query(app_msg(), msg_signature="f" * 40)),
    "app, built for the robot (empty receive id)": (403, lambda: app_msg(corp="")),
    "app, built for another corp": (403, lambda: app_msg(corp="wwother")),
    "app, encrypted with another key": ((400, 403), lambda: app_msg(key=OTHER_KEY)),
    # the self-built app: replayed
    "app, timestamp 6 minutes old": (403, lambda: app_msg(timestamp=now_ts(-360))),
    "app, timestamp 6 minutes ahead": (403, lambda: app_msg(timestamp=now_ts(360))),
    "app, a day-old timestamp signed again": (
        403,
        lambda: resigned(app_msg(), APP_TOKEN, timestamp=str(now_ts(-86400))),
    ),
    # the self-built app: malformed
    "app, no msg_signature": (400, lambda: without(app_msg(), "msg_signature")),
    "app, no timestamp": (400, lambda: without(app_msg(), "timestamp")),
    "app, no nonce": (400, lambda: without(app_msg(), "nonce")),
    "app, empty body": (400, lambda: (*app_msg()[:3], b"")),
    "app, body not XML": (400, lambda: (*app_msg()[:3], b"<xml><Encrypt>")),
    "app, body JSON (the robot's)": (400, lambda: (*app_msg()[:3], b'{"encrypt": "x"}')),
    "app, no Encrypt": (400, lambda: (*app_msg()[:3], b"<xml><ToUserName>x</ToUserName></xml>")),
    "app, Encrypt nested": (
        400,
        lambda: (*app_msg()[:3], b"<xml><Encrypt><a>1</a></Encrypt></xml>"),
    ),
    "app, body not UTF-8": (400, lambda: (*app_msg()[:3], b"<xml>\xff\xfe</xml>")),
    "app, entity expansion": (400, lambda: (*app_msg()[:3], BILLION_LAUGHS)),
    "app, Encrypt not base64": (
        400,
        lambda: signed_raw(
            "/wecom/callback", APP_TOKEN, "%%%", b"<xml><Encrypt>%%%</Encrypt></xml>"
        ),
    ),
    "app, decrypts to no XML": (400, lambda: app_sealed("新建 不该出现的任务")),
    "app, decrypts to another root": (
        400,
        lambda: app_sealed("<msg><MsgType>text</MsgType></msg>"),
    ),
    "app, no MsgType": (400, lambda: app_inner(MsgType=None)),
    "app, text without Content": (400, lambda: app_inner(Content=None)),
    "app, text without sender": (400, lambda: app_inner(FromUserName=None)),
    "app, text without MsgId": (400, lambda: app_inner(MsgId=None)),
    "app, MsgId not a number": (400, lambda: app_inner(MsgId="abc")),
    "app, huge body": (
        TOO_LARGE,
        lambda: (*app_msg()[:3], b"<xml>" + b" " * (1024 * 1024) + b"</xml>"),
    ),
    # URL checks
    "robot check, wrong token": (403, lambda: robot_check(token="not-the-token")),
    "robot check, corp id as receive id": (403, lambda: robot_check(receive_id=CORP)),
    "robot check, stale": (403, lambda: robot_check(timestamp=now_ts(-360))),
    "robot check, no echostr": (400, lambda: without(robot_check(), "echostr")),
    "robot check, echostr not base64": (
        400,
        lambda: resigned_check(robot_check(), AIBOT_TOKEN, "%%%"),
    ),
    "app check, wrong token": (403, lambda: app_check(token="not-the-token")),
    "app check, empty receive id": (403, lambda: app_check(corp="")),
    "app check, from the future": (403, lambda: app_check(timestamp=now_ts(360))),
    "app check, no msg_signature": (400, lambda: without(app_check(), "msg_signature")),
    "app check, encrypted with another key": ((400, 403), lambda: app_check(key=OTHER_KEY)),
    # paths and methods
    "unknown path": (404, lambda: ("POST", "/wecom/nowhere", {}, b"{}")),
    "a path under the callback": (404, lambda: ("GET", "/wecom/callback/x", {}, b"")),
    "PUT to the robot": (405, lambda: ("PUT", *robot_msg()[1:])),
    "DELETE to the app": (405, lambda: ("DELETE", *app_msg()[1:])),
}


def send_raw(base: str, method: str, path: str, query: dict, body: bytes) -> int:
    """The status answered, or CUT when the server closed the connection while the body was
    still being sent (what it does with a body over its limit: refused unread)."""
    url = f"{base}{path}?{urlencode(query)}" if query else f"{base}{path}"
    request = urllib.request.Request(url, data=body or None, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code
    except (ConnectionResetError, BrokenPipeError):
        return CUT
    except urllib.error.URLError as error:
        if isinstance(error.reason, (ConnectionResetError, BrokenPipeError)):
            return CUT
        raise


def test_refused_callbacks_change_nothing_and_send_nothing(wecom, db, fake, subtests):
    """Each callback is refused with its 4xx (never a 500), writes no row (not even a dedupe
    key), and makes no call to WeCom."""
    wecom.say("新建 已有的任务")
    before = snapshot(db)
    for name, (status, build) in REFUSED.items():
        with subtests.test(msg=name):
            calls = len(fake.calls)
            got = send_raw(wecom.base, *build())
            assert got in (status if isinstance(status, tuple) else (status,))
            wecom.drain()
            assert fake.calls[calls:] == []
    assert snapshot(db) == before
    # …and the door still works.
    assert "已新建 #2" in wecom.say("新建 之后的任务")


@pytest.mark.parametrize(
    "body",
    [DEEP, b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, b'{"encrypt": "x", "k": ' + DEEP + b"}"],
    ids=["a list", "an object", "beside the encrypt"],
)
def test_json_nested_100000_deep_is_refused_at_once_before_the_signature(wecom, fake, body):
    """The body is read with its depth bounded (the signature is over the encrypt string in
    it): a 400, not json.loads' RecursionError, a 500 logged before anything was checked."""
    query, _ = fw.aibot_text(AIBOT_TOKEN, AIBOT_KEY, "新建 深")
    started = time.perf_counter()
    assert wecom.post("/wecom/aibot", query, body)[0] == 400
    assert time.perf_counter() - started < 2
    deep = robot_sealed(DEEP.decode())  # signed and sealed, nested inside: refused as well
    assert wecom.post("/wecom/aibot", deep[2], deep[3])[0] == 400
    wecom.drain()
    assert fake.calls == []  # and the autouse fixture: nothing logged at ERROR


@pytest.mark.parametrize("overrides", [{"wecom_aibot_token": None}])
def test_a_door_not_configured_is_404(wecom, db):
    assert send_raw(wecom.base, *robot_msg()) == 404
    assert send_raw(wecom.base, *robot_check()) == 404
    assert "已新建 #1" in wecom.passive("新建 应用仍然可用").findtext("Content")


# --- people: @name through the WeCom directory ----------------------------------------------------


def test_a_name_resolves_through_the_directory_or_gets_a_question(wecom, db, fake):
    said = wecom.say("新建 写预热文案 @李四")
    assert "<@lisi>" in said and "新成员" not in said  # a known member, not a made-up one
    assert name_of(db, task(db, 1).assignee_id) == "lisi"

    before = rows(db)
    said = wecom.say("新建 做海报 @孙七")
    assert said.startswith("⚠️ **没能执行**") and "通讯录里找不到 @孙七" in said
    fake.add_user("zhangsan2", "张三", department=(2,))
    wecom.clock.advance(wecom.settings.wecom_directory_ttl_seconds)  # the cache runs out
    said = wecom.say("指派 1 @张三")
    assert said.startswith("⚠️ **没能执行**")
    assert "通讯录里有多位 @张三" in said and "张三 (zhangsan)" in said
    assert "张三 (zhangsan2)" in said  # a question listing who it may be, not a guess
    assert rows(db) == before  # neither answer wrote anything

    said = wecom.say("指派 1 @zhangsan2")  # the account says exactly who
    assert "**#1 已指派给 <@zhangsan2>**" in said
    assert name_of(db, task(db, 1).assignee_id) == "zhangsan2"
    with Session(db.engine) as s:
        assert (
            s.exec(select(Member).where(Member.external_id == "zhangsan2")).one().display_name
            == "张三"
        )


def test_the_directory_is_fetched_once_and_refreshed_after_its_ttl(wecom, db, fake):
    wecom.say("新建 写预热文案 @李四")
    wecom.say("新建 做海报 @王芳", user="lisi")
    wecom.say("指派 1 @张三")
    assert len(fake.calls_to("user/list")) == 1  # one fetch for three commands and speakers
    fake.add_user("sunqi", "孙七")
    assert "通讯录里找不到 @孙七" in wecom.say("指派 1 @孙七")  # not yet: the cache is fresh
    wecom.clock.advance(wecom.settings.wecom_directory_ttl_seconds - 1)
    wecom.say("列表")
    assert len(fake.calls_to("user/list")) == 1
    wecom.clock.advance(1)  # the TTL is up
    assert "**#1 已指派给 <@sunqi>**" in wecom.say("指派 1 @孙七")
    assert len(fake.calls_to("user/list")) == 2
    [call] = fake.calls_to("user/list")[:1]
    assert (call.params["department_id"], call.params["fetch_child"]) == ("1", "1")
    assert fake.tokens_issued == 1


@pytest.mark.parametrize("overrides", [{"wecom_directory_ttl_seconds": 0}])
def test_with_no_ttl_the_directory_is_asked_every_time(wecom, fake):
    wecom.say("新建 写预热文案 @李四")
    first = len(fake.calls_to("user/list"))
    fake.add_user("sunqi", "孙七")
    assert "<@sunqi>" in wecom.say("指派 1 @孙七")  # seen at once
    assert len(fake.calls_to("user/list")) > first >= 1


@pytest.mark.parametrize("overrides", [{"wecom_secret": "not-the-secret"}])
def test_a_directory_out_of_reach_is_an_answer_not_a_crash(wecom, db, fake):
    said = wecom.say("新建 写预热文案 @李四")
    assert "暂时无法读取通讯录，无法确认 @李四 是谁" in said  # said so, not guessed, no crash
    assert count(db, "task") == 0
    assert all(not c.ok for c in fake.calls_to("gettoken"))
    assert "本频道任务" in wecom.passive("列表").findtext("Content")  # the app answers too
    with pytest.raises(WeComError) as refused:
        wecom.door.sender.to_person("lisi", Reply("hi"))
    assert refused.value.errcode == 40001
    assert fake.calls_to("message/send") == []


def test_an_account_typed_as_a_mention_is_checked_against_the_directory(wecom, db):
    said = wecom.say("新建 写预热文案 <@nobody>")
    assert said.startswith("⚠️ **没能执行**") and "nobody" in said
    assert count(db, "task") == 0


# --- the group robot's webhook: set by an admin, from the group -----------------------------------


def test_an_admin_sets_the_webhook_from_the_group(wecom, db, fake):
    url = fake.webhook_url("k1")
    said = wecom.say(f"设置 webhook {url}", user="wangfang")
    assert "本群的定时消息将通过群机器人发送" in said and "k1" in said
    assert channel_row(db).post_target == url
    assert "群机器人" in wecom.say("设置", user="lisi")  # anyone may look
    said = wecom.say("设置 webhook abcdefgh-1234", user="wangfang")  # the bare key works too
    assert "本群的定时消息将通过群机器人发送" in said
    assert channel_row(db).post_target == f"{fake.base_url}webhook/send?key=abcdefgh-1234"
    assert fake.calls_to("webhook/send") == []  # setting it posts nothing


def test_the_webhook_is_an_admins_setting_and_only_on_the_wecom_host(wecom, db, fake):
    wecom.say(f"设置 webhook {fake.webhook_url('k1')}", user="wangfang")
    before = rows(db)
    said = wecom.say(f"设置 webhook {fake.webhook_url('k2')}", user="lisi")
    assert said.startswith("⚠️ **没能执行**") and "只有管理员可以修改群机器人" in said
    for elsewhere in [
        "https://evil.example.com/cgi-bin/webhook/send?key=k2",
        f"http://127.0.0.2:{fake.port}/cgi-bin/webhook/send?key=k2",
        f"{fake.base_url}message/send?key=k2",
        f"{fake.base_url}webhook/send",
    ]:
        said = wecom.say(f"设置 webhook {elsewhere}", user="wangfang")
        assert said.startswith("⚠️ **没能执行**"), elsewhere
        assert f"应以 {fake.base_url}webhook/send 开头" in said
    assert rows(db) == before
    assert channel_row(db).post_target == fake.webhook_url("k1")


# --- ways out: scheduled posts to a group, through its robot (the door's poster) -----------------


def set_webhook(wecom: Harness, key: str = "k1", **kw) -> None:
    said = wecom.say(f"设置 webhook {wecom.fake.webhook_url(key)}", user="wangfang", **kw)
    assert "本群的定时消息将通过群机器人发送" in said


def scheduled(wecom: Harness) -> Delivery:
    """Scheduled posts as `paceline serve` sends them, WeCom's through the door's poster."""
    return Delivery(wecom.db, wecom.settings.core(), {"wecom": wecom.poster})


def results(outcomes: list[Outcome]) -> list[str]:
    return [o.result for o in outcomes]


def post(wecom: Harness, reply: Reply, chat: str = CHAT) -> int:
    """`reply` posted to the group `chat` by the door's poster, as a scheduled post is; how many
    messages it took. Raises Permanent when the group cannot be posted to."""
    with Session(wecom.db.engine) as s:
        workspace = s.exec(select(Workspace).where(Workspace.external_id == CORP)).one()
    progress = Progress()
    wecom.poster.post(channel_row(wecom.db, chat), workspace, reply, progress)
    return progress.parts_sent


def test_a_group_without_a_webhook_gets_no_post(wecom, db, fake):
    assert scheduled(wecom).run("remind", NOW, channel=CHAT, force=True) == []  # unknown group
    wecom.say("列表")
    with pytest.raises(Permanent, match="设置 webhook"):  # a group with no webhook
        post(wecom, Reply("周报"))
    assert fake.calls_to("webhook/send") == []


def test_a_long_post_is_split_into_markdown_posts_within_4096_bytes(wecom, fake):
    set_webhook(wecom)
    lines = [
        Line(
            f"第 {i} 项 · 双11预热期海报与文案 · <@lisi>",
            [Light.RED, Light.YELLOW, Light.GREEN][i % 3],
        )
        for i in range(1, 201)
    ]
    sent = post(wecom, Reply("每周站会", lines, light=Light.RED))
    posts = fake.webhook_posts("k1")
    assert sent == len(posts) >= 3 and len(posts) == len(fake.calls_to("webhook/send"))
    parts = [p["markdown"]["content"] for p in posts]
    assert {p["msgtype"] for p in posts} == {"markdown"}
    assert all(render.size(p) <= 4096 for p in parts)
    assert parts[0].startswith('<font color="warning">🔴</font> **每周站会**')
    assert [p.rsplit("\n", 1)[-1] for p in parts] == [
        f"({n}/{len(parts)})" for n in range(1, len(parts) + 1)
    ]
    shown = [int(n) for p in parts for n in re.findall(r"第 (\d+) 项", p)]
    assert shown == list(range(1, 201))  # every line once, in order
    assert '<font color="comment">🟡</font> 第 1 项' in parts[0]


def test_more_than_20_posts_a_minute_are_paced_not_refused(wecom, fake):
    set_webhook(wecom, "k1")
    set_webhook(wecom, "k2", chatid="wrk-chat-2")
    fake.enforce_webhook_rate = True  # as WeCom: a 21st message within 60 s answers 45009
    start = wecom.clock.now()
    for n in range(1, 26):
        assert post(wecom, Reply(f"提醒 {n}")) == 1
    assert post(wecom, Reply("另一个群"), "wrk-chat-2") == 1  # its own quota
    calls = fake.calls_to("webhook/send")
    assert all(c.ok for c in calls) and len(calls) == 26  # none refused, none retried
    assert [p["markdown"]["content"] for p in fake.webhook_posts("k1")] == [
        f"**提醒 {n}**" for n in range(1, 26)
    ]
    assert wecom.clock.sleeps == [60.0]  # the 21st waited for the first to be a minute old
    assert wecom.clock.now() - start == 60.0


@pytest.mark.parametrize("errcode", [45009, 45033, -1])
def test_a_busy_robot_is_retried_after_a_backoff(wecom, fake, errcode):
    set_webhook(wecom)
    fake.fail_next("webhook/send", errcode=errcode, times=2)
    assert post(wecom, Reply("周报")) == 1
    assert [c.answer["errcode"] for c in fake.calls_to("webhook/send")] == [errcode, errcode, 0]
    assert wecom.clock.sleeps == [1.0, 2.0]
    assert len(fake.webhook_posts("k1")) == 1


def test_a_refused_webhook_pauses_the_group_and_the_group_is_told_once(wecom, db, fake, errors):
    set_webhook(wecom)
    wecom.say(f"新建 写预热文案 截止:{today() - timedelta(days=1)}")  # overdue: a reminder is due
    delivery = scheduled(wecom)
    assert results(delivery.run("remind", NOW, channel=CHAT)) == ["sent"]
    fake.revoke_webhook("k1")  # the robot was removed from the group: 93000 from now on
    refused = NOW + timedelta(minutes=1)
    assert results(delivery.run("remind", refused, channel=CHAT, force=True)) == ["failed"]
    [logged] = errors.take()
    assert CHAT in logged and "93000" in logged and "stopped" in logged
    assert channel_row(db).post_target_refused_at is not None
    calls = len(fake.calls_to("webhook/send"))
    friday = NOW + timedelta(days=1)
    assert results(delivery.run("remind", friday, channel=CHAT)) == ["stopped"]  # not tried
    forced = delivery.run("remind", friday, channel=CHAT, force=True)
    assert results(forced) == ["failed"]  # even on purpose: the refused webhook is not tried
    assert len(fake.calls_to("webhook/send")) == calls and errors.take() == []

    notice = "本群的定时消息已于 11月26日 周四 停止（WeCom refused the webhook (errcode 93000)）"
    assert notice in wecom.say("列表", user="lisi")  # the next person to speak there hears it
    assert notice not in wecom.say("列表", user="zhangsan")  # once
    assert notice not in wecom.say("列表", chattype="single", user="lisi")  # and only there
    assert "已暂停" in wecom.say("设置", user="lisi")

    set_webhook(wecom, "k3")  # an admin sets a new one: posts resume
    assert channel_row(db).post_target_refused_at is None
    monday = NOW + timedelta(days=4)
    assert results(delivery.run("remind", monday, channel=CHAT)) == ["sent"]
    [resumed] = fake.webhook_posts("k3")
    assert "写预热文案" in resumed["markdown"]["content"]


# --- ways out: the app's message/send, its access token and its errors ----------------------------


def test_app_messages_carry_markdown_within_2048_bytes(wecom, fake):
    sender = wecom.door.sender
    reply = Reply("提醒", [Line(f"#{i} 写预热文案与海报设计", Light.RED) for i in range(1, 121)])
    parts = sender.to_person("lisi", reply)
    assert parts >= 2
    sent = fake.calls_to("message/send")
    assert len(sent) == parts and all(c.ok for c in sent)
    assert {k: v for k, v in sent[0].body.items() if k != "markdown"} == {
        "touser": "lisi",
        "toparty": "",
        "totag": "",
        "agentid": AGENT,
        "msgtype": "markdown",
    }
    assert all(render.size(c.body["markdown"]["content"]) <= 2048 for c in sent)
    shown = [int(n) for c in sent for n in re.findall(r"#(\d+) 写", c.body["markdown"]["content"])]
    assert shown == list(range(1, 121))


def test_the_access_token_is_fetched_once_and_cached(wecom, fake):
    for n in range(3):
        wecom.door.sender.to_person("lisi", Reply(f"第 {n} 条"))
    wecom.say("新建 写预热文案 @李四")  # and the directory uses it too
    [gettoken] = fake.calls_to("gettoken")
    assert gettoken.params == {"corpid": CORP, "corpsecret": SECRET}
    assert gettoken.http_method == "GET" and fake.tokens_issued == 1
    assert {
        c.params["access_token"]
        for c in fake.calls
        if c.method != "gettoken" and "access_token" in c.params
    } == {"TOKEN1"}


@pytest.mark.parametrize("errcode", [42001, 40014])
def test_a_stale_token_is_refreshed_once_and_the_call_retried_once(wecom, fake, errcode):
    wecom.door.sender.to_person("lisi", Reply("之前"))
    fake.expire_tokens(errcode=errcode)
    wecom.door.sender.to_person("lisi", Reply("之后"))
    sent = fake.calls_to("message/send")
    assert [c.answer["errcode"] for c in sent] == [0, errcode, 0]
    assert [c.params["access_token"] for c in sent] == ["TOKEN1", "TOKEN1", "TOKEN2"]
    assert fake.tokens_issued == 2 and len(fake.calls_to("gettoken")) == 2
    assert wecom.clock.sleeps == []  # a token error is not a busy error: no backoff


def test_a_second_token_error_in_a_row_gives_up(wecom, fake):
    fake.fail_next("message/send", errcode=42001, times=5)
    with pytest.raises(WeComError) as gave_up:
        wecom.door.sender.to_person("lisi", Reply("不会送达"))
    assert gave_up.value.errcode == 42001
    assert len(fake.calls_to("message/send")) == 2  # the call, and one retry after one refresh
    assert len(fake.calls_to("gettoken")) == 2


@pytest.mark.parametrize(("errcode", "times"), [(45009, 1), (-1, 2), (45033, 3)])
def test_a_busy_api_is_backed_off_then_succeeds(wecom, fake, errcode, times):
    fake.fail_next("message/send", errcode=errcode, times=times)
    assert wecom.door.sender.to_person("lisi", Reply("稍后送达")) == 1
    sent = fake.calls_to("message/send")
    assert [c.answer["errcode"] for c in sent] == [errcode] * times + [0]
    assert wecom.clock.sleeps == [1.0, 2.0, 4.0][:times]


def test_a_busy_api_is_given_up_after_three_backoffs(wecom, fake):
    fake.fail_next("message/send", errcode=-1, times=10)
    with pytest.raises(WeComError) as gave_up:
        wecom.door.sender.to_person("lisi", Reply("不会送达"))
    assert gave_up.value.errcode == -1
    assert len(fake.calls_to("message/send")) == 4
    assert wecom.clock.sleeps == [1.0, 2.0, 4.0]


def test_a_token_refresh_then_a_busy_answer_still_backs_off_from_the_start(wecom, fake):
    fake.fail_next("message/send", errcode=42001)  # the stale token…
    fake.fail_next("message/send", errcode=45009)  # …then busy once the new one is in
    assert wecom.door.sender.to_person("lisi", Reply("送达")) == 1
    assert [c.answer["errcode"] for c in fake.calls_to("message/send")] == [42001, 45009, 0]
    assert wecom.clock.sleeps == [1.0]


# --- a plan's phases (issue 12) -------------------------------------------------------------------


def test_phases_are_planned_and_joined_in_a_group(wecom, db, fake):
    """王芳 (an admin) plans a phase owned by 张三 in Chinese; 张三's task joins it with 阶段:, and
    `任务 1 阶段:…` moves it; 张三 (a member) may not plan phases. The markdown and the rows."""
    said = wecom.say('项目 新建 双11大促 2026-11-01..2026-12-10 目标:"GMV 500万"', user="wangfang")
    assert "项目 +双11大促 已建立计划" in said
    said = wecom.say(
        '@Paceline 阶段 添加 +双11大促 预热期 11月1日至11月15日 @张三 交付物:"预热素材全部上线"',
        user="wangfang",
    )
    assert "已为 +双11大促 添加阶段 预热期" in said
    assert "负责人 <@zhangsan>" in said and "交付物：预热素材全部上线" in said
    said = wecom.say("阶段 添加 +双11大促 爆发期 11-16..11-30 @李四", user="wangfang")
    assert "爆发期 ▶ 进行中" in said
    with Session(db.engine) as s:
        rows = {p.name: p for p in s.exec(select(Phase))}
    assert (rows["预热期"].start_date, rows["预热期"].end_date) == (
        date(2026, 11, 1),
        date(2026, 11, 15),
    )

    said = wecom.say("新建 预热海报 +双11大促 阶段:预热期")
    assert "#1 属于阶段 预热期。" in said
    assert task(db, 1).phase_id == rows["预热期"].id
    said = wecom.say("任务 1 阶段:爆发期")
    assert "**已更新 #1**" in said and "#1 现属于阶段 爆发期。" in said
    assert task(db, 1).phase_id == rows["爆发期"].id
    shown = wecom.say("查看 1")
    assert "> 阶段：爆发期" in shown and "<@zhangsan>：阶段 预热期 → 爆发期" in shown

    before = work(db)
    said = wecom.say("阶段 删除 +双11大促 预热期")
    assert said.startswith("⚠️ **没能执行**") and "只有管理者和管理员可以新建或修改计划" in said
    assert work(db) == before


def test_board_and_portfolio_in_a_group(wecom, db):
    """看板 and 全局 through the robot: the kanban as WeCom markdown with its colours and real
    mentions, one message; the portfolio answers a member with their own tasks and why."""
    wecom.say("@Paceline 新建 写预热文案 @李四 +双11 截止:2026-11-20")
    wecom.say("@Paceline 新建 海报 +双11")
    wecom.say("@Paceline 开始 2")
    board = wecom.say("@Paceline 看板 +双11")
    lines = board.splitlines()
    assert lines[0] == "**看板 +双11**"
    assert "> 待办：1" in lines and "> 进行中：1" in lines
    assert "▍待办 · 1 项" in lines
    assert '<font color="warning">🔴</font> #1 写预热文案 · <@lisi> · 截止 11月20日 周五' in lines
    assert any(
        line.startswith('<font color="info">🟢</font> #2 海报 · <@zhangsan>') for line in lines
    )
    out = wecom.say("@Paceline 全局", user="lisi")
    assert out.splitlines()[0].endswith("**你在各频道的进行中任务**")
    assert t("zh", "portfolio_mine_why") in out and "#1 写预热文案" in out
