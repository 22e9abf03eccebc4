"""Date phrases in English and Chinese: `parse_date(phrase, today)` as a table, and the same
instant through the console bot giving different days in different zones.

Every expected date is worked out by hand. NOW (tests/conftest.py) is 2026-11-26 02:00 UTC:
Thursday 10:00 in Asia/Shanghai, Wednesday 2026-11-25 21:00 in America/New_York."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser
import pytest
from sqlmodel import Session, select

from handlers.dates import parse_date
from storage.models import Task
from tests.conftest import NOW

THU = date(2026, 11, 26)  # today in Shanghai at NOW
WED = date(2026, 11, 25)  # today in New York at NOW

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")

# --- parse_date, today = Thursday 2026-11-26 --------------------------------------------------

ON_THURSDAY: list[tuple[str, date]] = [
    # the phrases the issue names
    ("tomorrow", date(2026, 11, 27)),
    ("next fri", date(2026, 11, 27)),  # dateparser's reading: the coming Friday
    ("in 3 days", date(2026, 11, 29)),
    ("Dec 1", date(2026, 12, 1)),
    ("2026-12-01", date(2026, 12, 1)),
    ("11/30", date(2026, 11, 30)),
    ("明天", date(2026, 11, 27)),
    ("后天", date(2026, 11, 28)),
    ("下周五", date(2026, 12, 4)),  # Friday of next week
    ("周五前", date(2026, 11, 27)),  # by this Friday
    ("12月1日", date(2026, 12, 1)),
    ("3天后", date(2026, 11, 29)),
    # a few more
    ("today", date(2026, 11, 26)),
    ("今天", date(2026, 11, 26)),
    ("tmr", date(2026, 11, 27)),
    ("大后天", date(2026, 11, 29)),
    ("下周一", date(2026, 11, 30)),
    ("下周日", date(2026, 12, 6)),
    ("下个周五", date(2026, 12, 4)),
    ("下周五前", date(2026, 12, 4)),
    ("本周五", date(2026, 11, 27)),
    ("明天之前", date(2026, 11, 27)),
    ("月底", date(2026, 11, 30)),
    ("月末", date(2026, 11, 30)),
    ("end of month", date(2026, 11, 30)),
    ("end of week", date(2026, 11, 27)),
    ("end of the week", date(2026, 11, 27)),
    ("by the end of the week", date(2026, 11, 27)),
    ("12月1号", date(2026, 12, 1)),
    ("1月5日", date(2027, 1, 5)),  # no year: the next such date
    ("11月1日", date(2027, 11, 1)),  # already past this year: next year's
    ("2027年1月5日", date(2027, 1, 5)),
    ("两天后", date(2026, 11, 28)),
    ("2周后", date(2026, 12, 10)),
    ("1个月后", date(2026, 12, 26)),
    ("in 2 weeks", date(2026, 12, 10)),
    ("next monday", date(2026, 11, 30)),
    ("by Dec 1", date(2026, 12, 1)),
    ("before fri", date(2026, 11, 27)),
    ("12/1", date(2026, 12, 1)),
    ("Jan 5", date(2027, 1, 5)),
    # weekday names: the coming one; today's own weekday is today (issue 11: nothing a week
    # late; the grammar adds a note saying next week's date)
    ("mon", date(2026, 11, 30)),
    ("monday", date(2026, 11, 30)),
    ("tue", date(2026, 12, 1)),
    ("wed", date(2026, 12, 2)),
    ("thu", date(2026, 11, 26)),
    ("thursday", date(2026, 11, 26)),
    ("fri", date(2026, 11, 27)),
    ("friday", date(2026, 11, 27)),
    ("sat", date(2026, 11, 28)),
    ("sunday", date(2026, 11, 29)),
    ("周一", date(2026, 11, 30)),
    ("周四", date(2026, 11, 26)),
    ("星期五", date(2026, 11, 27)),
    ("礼拜五", date(2026, 11, 27)),
    ("周日", date(2026, 11, 29)),
]

# The same phrases said on Wednesday 2026-11-25 (New York's day at NOW).
ON_WEDNESDAY: list[tuple[str, date]] = [
    ("tomorrow", date(2026, 11, 26)),
    ("明天", date(2026, 11, 26)),
    ("today", date(2026, 11, 25)),
    ("今天", date(2026, 11, 25)),
    ("后天", date(2026, 11, 27)),
    ("next fri", date(2026, 11, 27)),
    ("fri", date(2026, 11, 27)),
    ("thu", date(2026, 11, 26)),
    ("wed", date(2026, 11, 25)),  # today's own weekday: today
    ("in 3 days", date(2026, 11, 28)),
    ("3天后", date(2026, 11, 28)),
    ("下周五", date(2026, 12, 4)),
    ("周五前", date(2026, 11, 27)),
    ("下周一", date(2026, 11, 30)),
    ("12月1日", date(2026, 12, 1)),
    ("Dec 1", date(2026, 12, 1)),
    ("11/30", date(2026, 11, 30)),
    ("2026-12-01", date(2026, 12, 1)),
    ("月底", date(2026, 11, 30)),
]

NOT_DATES = [
    "12",
    "0",
    "2026",
    "1.5",
    "12 1",
    "blah",
    "hello",
    "soon",
    "asap",
    "next",
    "week",
    "",
    "   ",
    "星期八",
    # impossible calendar days are not dates either
    "2026-02-30",
    "13/45",
    "Dec 32",
]


@pytest.mark.parametrize(("phrase", "expected"), ON_THURSDAY, ids=[p for p, _ in ON_THURSDAY])
def test_phrase_on_thursday(phrase: str, expected: date) -> None:
    assert parse_date(phrase, THU) == expected


@pytest.mark.parametrize(("phrase", "expected"), ON_WEDNESDAY, ids=[p for p, _ in ON_WEDNESDAY])
def test_phrase_on_wednesday(phrase: str, expected: date) -> None:
    assert parse_date(phrase, WED) == expected


@pytest.mark.parametrize("phrase", NOT_DATES, ids=[repr(p) for p in NOT_DATES])
def test_not_a_date(phrase: str) -> None:
    assert parse_date(phrase, THU) is None


def test_result_is_a_date_not_a_datetime() -> None:
    for phrase, _ in ON_THURSDAY + ON_WEDNESDAY:
        found = parse_date(phrase, THU)
        assert found is None or type(found) is date, phrase


# --- dates, not clocks: the wall clock's hour (or day) changes nothing ------------------------

_CLOCK_MODULES = (
    "dateparser.date",
    "dateparser.date_parser",
    "dateparser.freshness_date_parser",
    "dateparser.parser",
    "dateparser.utils",
    "dateparser.utils.strptime",
    "dateparser.utils.time_spans",
)


class _AnyDatetime(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, dt.datetime)


@contextmanager
def wall_clock(instant: datetime) -> Iterator[None]:
    """Make dateparser believe the wall clock reads `instant` (an aware datetime)."""

    class Frozen(dt.datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            if tz is None:
                return instant.astimezone(UTC).replace(tzinfo=None)
            return instant.astimezone(tz)

        @classmethod
        def utcnow(cls) -> dt.datetime:  # type: ignore[override]
            return instant.astimezone(UTC).replace(tzinfo=None)

        @classmethod
        def today(cls) -> dt.datetime:  # type: ignore[override]
            return cls.now()

    patched = []
    for name in _CLOCK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "datetime", None) is dt.datetime:
            patched.append(module)
            module.datetime = Frozen  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.datetime = dt.datetime  # type: ignore[attr-defined]


CLOCKS = [
    datetime(2026, 11, 26, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 11, 26, 11, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 26, 12, 0, 1, tzinfo=UTC),
    datetime(2026, 11, 26, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 25, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 27, 0, 0, 1, tzinfo=UTC),
    datetime(2027, 6, 15, 18, 30, tzinfo=UTC),
]


def test_the_frozen_clock_reaches_dateparser() -> None:
    """Guard for the test below: without a relative base dateparser follows the frozen clock."""
    with wall_clock(datetime(2030, 3, 4, 23, 59, tzinfo=UTC)):
        found = dateparser.parse("tomorrow", settings={"TIMEZONE": "UTC"})
    assert found is not None and found.date() == date(2030, 3, 5)


@pytest.mark.parametrize("clock", CLOCKS, ids=[c.isoformat() for c in CLOCKS])
def test_phrases_do_not_depend_on_the_wall_clock(clock: datetime) -> None:
    phrases = [p for p, _ in ON_THURSDAY] + [p for p, _ in ON_WEDNESDAY]
    for today in (THU, WED):
        unfrozen = {phrase: parse_date(phrase, today) for phrase in phrases}
        with wall_clock(clock):
            frozen = {phrase: parse_date(phrase, today) for phrase in phrases}
        moved = {p: (unfrozen[p], frozen[p]) for p in phrases if unfrozen[p] != frozen[p]}
        assert moved == {}, today


# --- through the console bot: one instant, two zones -----------------------------------------


def due_of(db, title: str) -> date | None:
    with Session(db.engine) as s:
        task = s.exec(select(Task).where(Task.title == title)).one()
        return task.due_date


def new_york_bot(make_bot, **kwargs):
    bot = make_bot(user="alice", channel="ny-ops", **kwargs)
    out = bot.say("settings tz America/New_York")
    assert "America/New_York" in out
    return bot


def test_settings_tz_shows_the_local_time(make_bot) -> None:
    out = make_bot(user="alice", channel="ny-ops").say("settings tz America/New_York")
    assert "2026-11-25 21:00" in out


# (command suffix, due in New York on Wednesday, due in Shanghai on Thursday)
ZONED: list[tuple[str, date, date]] = [
    ("due:tomorrow", date(2026, 11, 26), date(2026, 11, 27)),
    ("due:today", date(2026, 11, 25), date(2026, 11, 26)),
    ("due:thu", date(2026, 11, 26), date(2026, 11, 26)),  # Thursday in Shanghai: today
    ("due:fri", date(2026, 11, 27), date(2026, 11, 27)),
    ("due:in 3 days", date(2026, 11, 28), date(2026, 11, 29)),
    ("due:2026-12-01", date(2026, 12, 1), date(2026, 12, 1)),
    ("tomorrow", date(2026, 11, 26), date(2026, 11, 27)),
    ("明天", date(2026, 11, 26), date(2026, 11, 27)),
    ("后天", date(2026, 11, 27), date(2026, 11, 28)),
    ("3天后", date(2026, 11, 28), date(2026, 11, 29)),
    ("下周五", date(2026, 12, 4), date(2026, 12, 4)),
    ("周五前", date(2026, 11, 27), date(2026, 11, 27)),
    ("12月1日", date(2026, 12, 1), date(2026, 12, 1)),
]


@pytest.mark.parametrize(("suffix", "in_new_york", "in_shanghai"), ZONED, ids=[z[0] for z in ZONED])
def test_same_instant_different_days(
    make_bot, db, suffix: str, in_new_york: date, in_shanghai: date
) -> None:
    ny = new_york_bot(make_bot)
    sh = make_bot(user="alice", channel="sh-ops")  # the default zone, Asia/Shanghai
    ny.say(f"add NY task {suffix}")
    sh.say(f"add SH task {suffix}")
    assert due_of(db, "NY task") == in_new_york
    assert due_of(db, "SH task") == in_shanghai


def test_tz_change_applies_to_the_next_command(make_bot, db) -> None:
    bot = make_bot(user="alice", channel="ops")
    bot.say("add Before due:tomorrow")
    bot.say("settings tz America/New_York")
    bot.say("add After due:tomorrow")
    bot.say("设置 时区 Asia/Shanghai")
    bot.say("add Back due:tomorrow")
    assert due_of(db, "Before") == date(2026, 11, 27)
    assert due_of(db, "After") == date(2026, 11, 26)
    assert due_of(db, "Back") == date(2026, 11, 27)


def _local(day: date, hour: int, minute: int, second: int, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)


HOURS = [(0, 0, 0), (0, 0, 1), (9, 30, 0), (11, 59, 59), (12, 0, 0), (12, 0, 1), (23, 59, 59)]


def test_every_hour_of_a_shanghai_thursday_gives_the_same_days(make_bot, db) -> None:
    for i, (h, m, s) in enumerate(HOURS):
        moment = _local(THU, h, m, s, SHANGHAI).astimezone(UTC)
        bot = make_bot(user="alice", channel="sh-ops", now=moment)
        bot.say(f"add T{i} due:tomorrow")
        bot.say(f"新建 Z{i} 下周五")
        bot.say(f"add N{i} due:in 3 days")
        assert due_of(db, f"T{i}") == date(2026, 11, 27), moment
        assert due_of(db, f"Z{i}") == date(2026, 12, 4), moment
        assert due_of(db, f"N{i}") == date(2026, 11, 29), moment


def test_every_hour_of_a_new_york_wednesday_gives_the_same_days(make_bot, db) -> None:
    new_york_bot(make_bot)
    for i, (h, m, s) in enumerate(HOURS):
        moment = _local(WED, h, m, s, NEW_YORK).astimezone(UTC)
        bot = make_bot(user="alice", channel="ny-ops", now=moment)
        bot.say(f"add T{i} due:tomorrow")
        bot.say(f"新建 Z{i} 周五前")
        assert due_of(db, f"T{i}") == date(2026, 11, 26), moment
        assert due_of(db, f"Z{i}") == date(2026, 11, 27), moment


def test_local_midnight_moves_the_day(make_bot, db) -> None:
    """One second either side of midnight in New York: the day, not the clock, is what counts."""
    new_york_bot(make_bot)
    midnight = _local(THU, 0, 0, 0, NEW_YORK).astimezone(UTC)
    before = make_bot(user="alice", channel="ny-ops", now=midnight - timedelta(seconds=1))
    after = make_bot(user="alice", channel="ny-ops", now=midnight)
    before.say("add Before due:tomorrow")
    after.say("add After due:tomorrow")
    assert due_of(db, "Before") == date(2026, 11, 26)
    assert due_of(db, "After") == date(2026, 11, 27)


def test_now_is_what_the_fixture_says() -> None:
    assert NOW.astimezone(SHANGHAI).date() == THU
    assert NOW.astimezone(NEW_YORK).date() == WED
