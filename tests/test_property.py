"""Property tests: whatever anyone types, the grammar answers with a Command or a UserError that
reads in both languages, and the bot answers with a Reply — never with an exception."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.console import ConsoleBot
from handlers import CoreConfig, Reply
from handlers.errors import UserError
from handlers.grammar import CAUSES, NOTE_MAX, TITLE_MAX, Command
from handlers.messages import LANGS, MESSAGES, t
from handlers.verbs import BY_NAME, VERBS, parse
from tests.conftest import NOW

ALIASES = sorted({alias for verb in VERBS for alias in verb.aliases})
DATE_VERBS = ("add", "新建", "due", "截止", "snooze", "推迟", "progress", "block")
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PREFIXES = ("@", "＠", "+", "＋", "#", "＃", "due:", "截止:", "start:", "开始：", "cause:", "原因:")
WORDS = (
    "@bob", "@张三", "@me", "@", "+double11", "+双11", "+", "+12", "#12", "#", "%", "60%", "５０％",
    "due:", "due:fri", "due:明天", "start:mon", "开始:下周一", "cause:", "cause:resources",
    "原因:资源", "tomorrow", "next", "monday", "fri", "in", "3", "days", "by", "明天", "下周五",
    "周五前", "12月1日", "2026-12-01", "3天后", "月底", "none", "无", "me", "我", "mine", "overdue",
    "阻塞", "全部", "tz", "lang", "时区", "语言", "Asia/Shanghai", "zh", "en", "3d", "2周", "0",
    "-1", "101", "，", "。", "\t", "\n", "<@m1>", "{task}", "{}", "%s",
)  # fmt: skip

# Small counts, and counts that run past the end of the calendar.
COUNT = st.one_of(st.integers(0, 400), st.integers(10**6, 10**10))

# The shapes the grammar looks for, fed in odd combinations.
TOKEN = st.one_of(
    st.sampled_from(WORDS),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.integers(min_value=-5, max_value=10**10).map(lambda n: f"#{n}"),
    st.integers(min_value=-200, max_value=10**5).map(lambda n: f"{n}%"),
    st.tuples(COUNT, st.sampled_from(["天后", "周后", "个月后", "天", "d", "w"])).map(
        lambda pair: f"{pair[0]}{pair[1]}"
    ),
    COUNT.map(lambda n: f"in {n} days"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda md: f"{md[0]}月{md[1]}日"),
    st.text(CJK, min_size=1, max_size=6),
    st.tuples(st.sampled_from(PREFIXES), st.text(max_size=8)).map("".join),
    st.text(min_size=1, max_size=10),
)
SEPARATOR = st.sampled_from([" ", " ", " ", "", "  ", "\u3000"])


@st.composite
def commands(draw: st.DrawFn) -> str:
    """A verb (English or Chinese, any case) and a few tokens, glued or spaced."""
    # the verbs that read dates and numbers come up more often
    verb = draw(st.one_of(st.sampled_from(ALIASES), st.sampled_from(DATE_VERBS)))
    if draw(st.booleans()):
        verb = verb.upper()
    words = [verb, *draw(st.lists(TOKEN, max_size=8))]
    out = words[0]
    for word in words[1:]:
        out += draw(SEPARATOR) + word
    return out


ANY_TEXT = st.one_of(st.text(), st.text(CJK), commands())
DAYS = st.one_of(st.just(NOW.date()), st.dates(date(2000, 1, 1), date(2099, 12, 31)))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def assert_readable(err: UserError) -> None:
    """The error's message exists, and its parameters fill it in every language."""
    assert err.key in MESSAGES, f"no message {err.key!r}"
    for lang in LANGS:
        template = MESSAGES[err.key][lang]
        missing = placeholders(template) - set(err.params)
        assert not missing, f"{err.key}/{lang} lacks {missing}"
        text = t(lang, err.key, **err.params)
        assert text.strip()


def assert_sound(cmd: Command) -> None:
    """What the grammar lets through is something a handler can act on."""
    assert cmd.verb in BY_NAME
    assert len(cmd.text) <= (TITLE_MAX if cmd.verb == "add" else NOTE_MAX)
    assert cmd.percent is None or 0 <= cmd.percent <= 100
    assert cmd.days is None or cmd.days >= 1
    assert cmd.task is None or cmd.task >= 0
    assert cmd.cause is None or cmd.cause in CAUSES
    if cmd.verb == "add":
        assert cmd.text
        assert len(cmd.people) <= 1 and len(cmd.projects) <= 1
        assert cmd.start is None or cmd.due is None or cmd.start <= cmd.due


def parse_or_error(text: str, today: date) -> None:
    try:
        cmd = parse(text, today)
    except UserError as err:
        assert_readable(err)
    else:
        assert isinstance(cmd, Command)
        assert_sound(cmd)


@settings(max_examples=300, deadline=None)
@given(text=st.text(), today=DAYS)
def test_parse_any_unicode_text(text, today):
    parse_or_error(text, today)


@settings(max_examples=400, deadline=None)
@given(text=commands(), today=DAYS)
def test_parse_a_verb_and_odd_tokens(text, today):
    parse_or_error(text, today)


# --- the whole bot, through the console door, on SQLite --------------------------------------

INTERNAL = {t(lang, "internal_error") for lang in LANGS}
SEED = (
    "add Write warm-up copy @bob due:fri +double11",
    "add Review copy due:mon",
    "add Poster",
    "done 3",
    "block 2 waiting for design cause:resources",
)


@pytest.fixture
def console(sqlite_db) -> ConsoleBot:
    """alice in #general; the database lives for the whole test, across hypothesis examples."""
    bot = ConsoleBot(sqlite_db, CoreConfig(default_tz="Asia/Shanghai"), user="alice", now=NOW)
    for line in SEED:
        assert not bot.reply(line).error, line
    return bot


def assert_answered(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    assert reply.title.strip()
    assert not [line.text for line in reply.lines if line.text in INTERNAL], "an exception"
    if reply.error:
        assert reply.lines and reply.lines[0].text.strip()


BOT_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@BOT_SETTINGS
@given(text=ANY_TEXT)
def test_the_bot_answers_any_text(console, text):
    assert_answered(console.reply(text))


@BOT_SETTINGS
@given(text=commands())
def test_the_bot_answers_a_verb_and_odd_tokens(console, text):
    assert_answered(console.reply(text))
