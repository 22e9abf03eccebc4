"""Output that cannot ping or forge (issue #10): what people type — a title, a reason, a note, a
project's name — reaches Slack and WeCom as the characters they typed, never as a mention of
the channel or of somebody, a link, emphasis or a line of its own; a person picked as owner is
still a real mention.

Everything goes through the real doors (signed Slack requests, WeCom callbacks encrypted with
the real crypto), and the exact payload each fake recorded is read the way its platform reads
it: `tests.fakes.slack.pings` (whom a Slack message would notify) and
`tests.fakes.wecom.markup` (what WeCom's markdown would ping, link or emphasise)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest

import tests.test_slack as slack_suite
import tests.test_wecom as wecom_suite
from bot.settings import get_settings
from bot.slack import blocks as kit
from bot.wecom import render
from handlers import Line, Reply
from handlers.grammar import Command, validate
from handlers.reply import Person, mention
from handlers.verbs import parse
from tests.conftest import task as task_row
from tests.fakes import slack as fk
from tests.fakes import wecom as fw
from tests.fakes.blockkit import BLOCK_KIT_METHODS, assert_block_kit_limits
from tests.fakes.pools import ErrorLog

TODAY = date(2026, 11, 26)

# --- the grammar: a title, a reason or a note keeps no line break ---------------------------------


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("add First line\nsecond line", "First line second line"),
        ("add First  \r\n  > quoted\n\n# heading", "First > quoted # heading"),
        ("add a\u2028b\u2029c\x85d", "a b c d"),
        ("add keeps  double  spaces and\ttabs", "keeps  double  spaces and\ttabs"),
    ],
)
def test_a_title_keeps_no_line_break(typed, kept):
    assert parse(typed, TODAY).text == kept


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("block 1 waiting\nfor design cause:external", "waiting for design"),
        ("done 1 shipped\r\n> to design", "shipped > to design"),
        ("cancel 1 merged\ninto #9", "merged into #9"),
        ("unblock 1 back\n", "back"),
    ],
)
def test_a_reason_or_a_note_keeps_no_line_break(typed, kept):
    assert parse(typed, TODAY).text == kept


def test_a_form_field_keeps_no_line_break_either():
    assert validate(Command("add", text="From\nthe form\n")).text == "From the form"
    assert validate(Command("block", task=1, text="multi\n\nline\nreason")).text == (
        "multi line reason"
    )


# --- the renderers alone: stored text from before the grammar collapsed it ------------------------


def test_slack_shows_a_stored_line_break_as_a_space_and_pings_no_one_typed():
    reply = Reply(
        "#1 Old\n> <!here>",
        [Line(f"#1 Old\ntitle <!channel> · {mention(1)}")],
        people={1: Person("bob", "U2", "slack")},
    )
    for message in kit.messages(reply):
        payload = {"text": message.text, "blocks": message.blocks}
        assert fk.pings(payload) == ["@U2", "@U2"]  # the owner, in the text and the blocks
        assert "\n" not in message.text
        assert "&lt;!channel&gt;" in message.text


def test_wecom_shows_a_stored_line_break_as_a_space_and_pings_no_one_typed():
    reply = Reply(
        "#1 Old\n# <@all>",
        [Line(f"#1 Old\n> title @all · {mention(1)}")],
        people={1: Person("李四", "lisi", "wecom")},
    )
    [content] = render.markdown(reply)
    seen = fw.markup(content)
    assert seen.mentions == ["lisi"] and seen.line_starts == []
    [text] = render.text(reply)
    assert text.splitlines()[1:] == ["#1 Old > title @\u200ball · @李四"]


# --- Slack, through the door ----------------------------------------------------------------------

SECRET = slack_suite.SECRET
BROADCASTS = (
    "<!here>",
    "<!channel>",
    "<!everyone>",
    "<!subteam^S0MKTG|@marketing>",
    "x<@U3>",  # a person written into the text, not picked: glued to a word, so never the owner
)
TYPED = " ".join(BROADCASTS)


@pytest.fixture
def slack_fake() -> Iterator[fk.FakeSlack]:
    with fk.FakeSlack() as server:
        server.add_user("U1", "alice", tz="Asia/Shanghai", display_name="alice")
        server.add_user("U2", "bob", tz="Asia/Shanghai", display_name="bob")
        server.add_user("U3", "carol", tz="Asia/Shanghai", display_name="carol")
        yield server


@pytest.fixture
def slack(db, slack_fake, monkeypatch) -> Iterator[slack_suite.Harness]:
    """The Slack door on `paceline serve`; afterwards every payload kept Block Kit's limits and
    nothing was logged at ERROR."""
    settings = get_settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=slack_fake.base_url,
        timezone="Asia/Shanghai",
    )
    errors = ErrorLog(slack_suite.WATCHED)
    logging.getLogger().addHandler(errors)
    harness = slack_suite.Harness(settings, db, slack_fake, monkeypatch)
    try:
        yield harness
    finally:
        harness.close()
        logging.getLogger().removeHandler(errors)
    for call in slack_fake.calls:
        if call.method in BLOCK_KIT_METHODS or call.method.startswith("respond:"):
            assert_block_kit_limits(call.params)
    assert not errors.records, [r.getMessage() for r in errors.records]


def others(pings: list[str], *allowed: str) -> list[str]:
    """The pings that are not the ones the bot meant (a real owner)."""
    return [p for p in pings if p not in allowed]


def test_slack_typed_broadcasts_and_mentions_ping_nobody_in_any_field(slack, slack_fake, db):
    [added] = slack.command(f"add Launch {TYPED} +launch<!channel> <@U2>")
    assert "@U2" in fk.pings(added)  # the owner picked is a real mention…
    assert others(fk.pings(added), "@U2") == []  # …and nothing typed pings
    assert "&lt;!here&gt;" in added["text"] and "&lt;!here&gt;" in json.dumps(added["blocks"])
    row = task_row(db, 1, workspace="T1")
    assert row.title == f"Launch {TYPED}"  # stored as typed

    for typed in (
        f"block 1 waiting on {TYPED} cause:external",
        f"unblock 1 back {TYPED}",
        "progress 1 40%",
        f"done 1 shipped {TYPED}",
        f"reopen 1 again {TYPED}",
        "list",
        "list all",
        "show 1",
        f"cancel 1 dropped {TYPED}",
    ):
        for answer in slack.command(typed):
            # the people the bot names (owner, who did what) are real mentions; nobody typed is
            assert others(fk.pings(answer), "@U1", "@U2") == [], (typed, fk.pings(answer))


def test_slack_a_mention_of_the_bot_and_a_form_ping_nobody_typed(slack, slack_fake):
    slack.mention(f"<@UBOT> add Ping {TYPED} <@U2>", event_id="EvPing")
    [posted] = slack_fake.wait_for("chat.postMessage")
    assert "@U2" in posted.pings and others(posted.pings, "@U2") == []

    view = slack_suite.open_new_task_modal(slack)
    values = slack_suite.new_task_values(
        f"From the form {TYPED}", assignee="U2", project="+p<!here>"
    )
    assert slack.submit(view, values) == (200, {})
    [_, posted] = slack_fake.wait_for("chat.postMessage", 2)
    assert "@U2" in posted.pings and others(posted.pings, "@U2") == []

    home = slack.open_home("U2")
    assert others(fk.pings(home), "@U2") == []
    assert "&lt;!everyone&gt;" in json.dumps(home["view"]["blocks"])


def test_slack_a_title_typed_over_several_lines_is_one_line(slack, db):
    [added] = slack.command("add First line\n> <!here> quoted\n# heading")
    assert task_row(db, 1, workspace="T1").title == "First line > <!here> quoted # heading"
    assert others(fk.pings(added), "@U1") == []  # the owner: the one who added it
    shown = json.dumps(added["blocks"], ensure_ascii=False)
    assert "First line &gt; &lt;!here&gt; quoted # heading" in shown
    assert "\n" not in added["text"]


# --- WeCom, through the door ----------------------------------------------------------------------

# What a group might type: a broadcast in both forms, a colour tag, a link, an image, emphasis.
WECOM_TYPED = (
    "发布<@all>会 通知@all 和@ALL "
    '<font color="warning">红</font> [点我](http://evil.example/x) '
    "![图](http://evil.example/i.png) "
    "**急** *斜*"
)
EMPHASISED = ("急", "斜")


@pytest.fixture
def wecom_clock() -> wecom_suite.Clock:
    return wecom_suite.Clock()


@pytest.fixture
def wecom_fake(wecom_clock) -> Iterator[fw.FakeWeCom]:
    with fw.FakeWeCom(
        corp_id=wecom_suite.CORP, secret=wecom_suite.SECRET, clock=wecom_clock.now
    ) as f:
        f.add_user("zhangsan", "张三")
        f.add_user("lisi", "李四")
        yield f


@pytest.fixture
def wecom(db, wecom_fake, wecom_clock, monkeypatch) -> Iterator[wecom_suite.Harness]:
    """The WeCom door on `paceline serve`; afterwards every message kept WeCom's limits and
    nothing was logged at ERROR."""
    settings = get_settings(
        wecom_corp_id=wecom_suite.CORP,
        wecom_secret=wecom_suite.SECRET,
        wecom_agent_id=wecom_suite.AGENT,
        wecom_token=wecom_suite.APP_TOKEN,
        wecom_encoding_aes_key=wecom_suite.APP_KEY,
        wecom_aibot_token=wecom_suite.AIBOT_TOKEN,
        wecom_aibot_encoding_aes_key=wecom_suite.AIBOT_KEY,
        wecom_api_url=wecom_fake.base_url,
    )
    errors = ErrorLog(wecom_suite.WATCHED)
    logging.getLogger().addHandler(errors)
    harness = wecom_suite.Harness(settings, db, wecom_fake, wecom_clock, monkeypatch)
    try:
        yield harness
    finally:
        harness.close()
        logging.getLogger().removeHandler(errors)
    for call in wecom_fake.calls:
        wecom_suite.assert_wecom_limits(call.method, call.body)
    assert not errors.records, [r.getMessage() for r in errors.records]


def as_typed(shown: str) -> str:
    """What the reader sees: the zero-width spaces are invisible, ∗ reads as *."""
    return shown.replace("\u200b", "").replace("\u2217", "*")


def assert_inert(content: str, *people: str) -> None:
    """A markdown message WeCom would show: it pings only members the bot names (`people`),
    never the whole group; links nothing, emphasises and colours nothing typed, and no typed
    text starts a line."""
    seen = fw.markup(content)
    assert set(seen.mentions) <= set(people), seen.mentions
    assert seen.links == [], seen.links
    assert not [e for e in seen.emphasis if e.strip() in EMPHASISED], seen.emphasis
    assert not [c for c in seen.colours if "红" in c], seen.colours
    assert not [line for line in seen.line_starts if "第二行" in line], seen.line_starts


def test_wecom_typed_mentions_links_and_emphasis_stay_text(wecom, db):
    said = wecom.say(f"新建 {WECOM_TYPED} +双11<@all> @李四")
    assert fw.markup(said).mentions == ["lisi"]  # the owner picked is a real mention…
    assert_inert(said, "lisi")  # …nothing typed is
    assert f"#1 {WECOM_TYPED}" in as_typed(said)  # the characters as typed
    assert task_row(db, 1, workspace=wecom_suite.CORP).title == WECOM_TYPED

    for typed in (
        f"阻塞 1 等{WECOM_TYPED} 原因:外部",
        f"解除 1 好了{WECOM_TYPED}",
        f"完成 1 交付{WECOM_TYPED}",
        "列表 全部",
        "查看 1",
        f"重开 1 再来{WECOM_TYPED}",
    ):
        assert_inert(wecom.say(typed), "lisi", "zhangsan")  # the owner, who did what


def test_wecom_a_title_typed_over_several_lines_is_one_line(wecom, db):
    said = wecom.say("新建 第一行\n# 第二行\n> 第三行 @李四")
    assert task_row(db, 1, workspace=wecom_suite.CORP).title == "第一行 # 第二行 > 第三行"
    assert fw.markup(said).mentions == ["lisi"]
    assert_inert(said, "lisi")
    assert "#1 第一行 # 第二行 > 第三行" in said


def test_wecom_the_apps_text_answer_pings_nobody_typed(wecom, db):
    inner = wecom.passive("新建 文本<@all>标题 和@all 还有\n第二行")
    content = inner.findtext("Content")
    assert "<@all>" not in content and "@all" not in content.lower()
    assert "文本<@all>标题 和@all 还有 第二行" in as_typed(content)
