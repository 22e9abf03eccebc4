"""Date phrases in English and Chinese, read relative to a channel's "today".

Paceline reads the shapes a team actually types itself (`明天`, `下下周五`, `本月底`, `3天内`,
`十一月二十日`, `11/20`, `11.20`, `Nov 20`, `eow`, `next week`, full-width `１１／２０`…) and
says *how* it read them (`Reading`): whether a month/day that has passed was rolled to next
year, whether a weekday named on that very day was read as today, whether a number pair was read
day-first. The grammar turns those flags into notes, so no guess is silent. What Paceline's own
shapes do not know falls back to dateparser, but only where a date is expected (`due:`,
`due N …`), never inside a free title. The arithmetic stays with dates, never with clocks, so a
phrase means the same calendar day whatever the hour.

Decisions (issue 11):
- numbers are month-first (`11/20`, `11.20`, `11-20` are November 20) for Chinese and US
  English alike; a pair that can only be day/month (`20/11`) is read so, with a note;
- "X前" (by X) on day X is today; a bare weekday on that same day is today too (nothing is a
  week late), with a note that says which day next week's would be;
- a month/day already past this year is next year's, with a note (the caller makes it).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import dateparser

_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": [],
}
_LANGUAGES = ["en", "zh"]

MAX_YEARS_AHEAD = 10
MAX_YEARS_BACK = 5


@dataclass(frozen=True)
class Reading:
    """A calendar day a phrase names, and how it was reached."""

    day: date
    # The day the phrase named this year (or month) before it was rolled forward because it
    # had passed ("11月1日" on 2026-11-02 is 2027-11-01, rolled from 2026-11-01).
    rolled_from: date | None = None
    # A weekday named on that very weekday, read as today ("周五" on a Friday).
    weekday_today: bool = False
    # A number pair read day/month because it cannot be month/day ("20/11").
    day_first: bool = False
    # Read by Paceline's own shapes (True) or by the dateparser fallback (False).
    own: bool = True
    # A strong shape: safe to read inside free text without a marker word ("by", "due").
    strong: bool = True


class _NotADate(Exception):
    """A recognised shape that names no calendar day ("13/45", "2月30日")."""


def parse_date(phrase: str, today: date) -> date | None:
    """The calendar day a phrase names, or None when it names none or one no plan would use
    (more than ten years ahead or five back)."""
    found = read_date(phrase, today)
    return found.day if found else None


def read_date(phrase: str, today: date) -> Reading | None:
    """How a phrase reads as a date, or None (see `Reading`). Own shapes first, then
    dateparser for what they do not know."""
    try:
        found = _read(phrase, today, fallback=True)
    except (_NotADate, OverflowError, ValueError):
        return None
    if found is None:
        return None
    if not (today.year - MAX_YEARS_BACK <= found.day.year <= today.year + MAX_YEARS_AHEAD):
        return None
    return found


def read_free(phrase: str, today: date, *, marked: bool = False) -> Reading | None:
    """A phrase inside free text (an `add` title): read only in Paceline's own shapes, and
    only in a strong one unless a marker word ("by", "on", "due", "截止") comes before it."""
    try:
        found = _read(phrase, today, fallback=marked)
    except (_NotADate, OverflowError, ValueError):
        return None
    if found is None or not (marked or found.strong):
        return None
    if not (today.year - MAX_YEARS_BACK <= found.day.year <= today.year + MAX_YEARS_AHEAD):
        return None
    return found


# --- normalising ------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "後": "后",
        "號": "号",
        "週": "周",
        "禮": "礼",
        "個": "个",
        "這": "这",
        "點": "点",
        "內": "内",
        "〇": "零",
        "．": ".",
        "。": ".",
    }
)
_EDGE_PUNCT = " .,，、;；!！?？:：'\"“”‘’()（）[]【】《》<>「」"
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_ZH_DIGITS.update({"八": 8, "九": 9})
# A run of Chinese numerals that counts or names a month or day (十一月, 二十日, 三天, 两周),
# not the numeral of a weekday (周五, 星期一, 礼拜三).
_ZH_NUMBER = re.compile(
    r"(?<![周期拜])([零一二两三四五六七八九十]{1,4})(?=月|日|号|天|周|个|星期|礼拜|点)"
)


def _zh_number(text: str) -> str:
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones:
            raise _NotADate(text)
        value = (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)
        if len(tens) > 1 or len(ones) > 1:
            raise _NotADate(text)
        return str(value)
    return "".join(str(_ZH_DIGITS[ch]) for ch in text)


def normalise(phrase: str) -> str:
    """Full-width folded (NFKC), traditional variants folded, Chinese numerals as digits,
    星期/礼拜 as 周, lower case, one space between words, no edge punctuation."""
    text = unicodedata.normalize("NFKC", phrase).translate(_FOLD).lower()
    text = re.sub(r"\s+", " ", text).strip(_EDGE_PUNCT)
    text = text.replace("星期", "周").replace("礼拜", "周")
    # 周天 / 周日 / 周七 are Sunday; digits after 周 are weekdays (周5)
    text = _ZH_NUMBER.sub(lambda m: _zh_number(m.group(1)), text)
    return text


# --- the shapes -------------------------------------------------------------------------------

_BY_PREFIX = re.compile(
    r"^(?:by|before|until|till|no later than|ddl|deadline|截止到|截止|截至|到期|到|最晚)\s*"
)
_ON_PREFIX = re.compile(r"^(?:on|due|在|于)\s+|^(?:在|于)")
_BY_SUFFIX = re.compile(r"\s*(?:之前|以前|前|截止|为止)$")
_TIME_OF_DAY = re.compile(
    r"(?:下班|上班|中午|上午|下午|晚上|早上|傍晚|\d{1,2}(?::\d{2}|点(?:半|\d{1,2}分?)?))$"
)

_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_WEEKDAY_ZH.update({str(i): i - 1 for i in range(1, 8)})
_WEEKDAY_EN = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "wensday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_MONTH_EN = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_EN_NUMBERS.update({"seven": 7, "eight": 8, "nine": 9, "ten": 10})

_DAY_OFFSETS = {
    **dict.fromkeys(("今天", "今日", "今晚", "今早", "today", "tonight", "tdy", "eod"), 0),
    **dict.fromkeys(
        ("end of day", "end of the day", "end of today", "cob", "close of business"), 0
    ),
    **dict.fromkeys(("明天", "明日", "明早", "明晚", "tomorrow", "tmr", "tmrw", "tom"), 1),
    # typos seen in chat
    **dict.fromkeys(("tomorow", "tommorow", "tommorrow", "tomorrw", "tmorrow", "2moro"), 1),
    **dict.fromkeys(("后天", "day after tomorrow", "the day after tomorrow"), 2),
    "大后天": 3,
    "昨天": -1,
    "yesterday": -1,
}
_WEAK_WORDS = frozenset({"tom"})  # a name as often as "tomorrow": read only after a marker

_ISO = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?$")
_ZH_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})$")
_DAY_ONLY = re.compile(r"^(\d{1,2})\s*[日号]$")
_ORDINAL_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_COUNT = re.compile(r"^(\d{1,3})\s*(天|日|周|个周|个月|月)\s*(后|之后|以后|内|以内|之内)$")
_EN_COUNT = re.compile(
    r"^(?:in|within)\s+(\d{1,3}|[a-z]+)\s+(days?|weeks?|months?)(?:\s+time)?$"
    r"|^(\d{1,3}|[a-z]+)\s+(days?|weeks?|months?)\s+from\s+(?:now|today)$"
)
_ZH_WEEKDAY = re.compile(r"^(下下个?|下个?|本|这个?|这)?周([一二三四五六日天七1-7])$")
_EN_WEEKDAY = re.compile(r"^(?:(this|next|coming|the coming)\s+)?([a-z]+)\.?$")
_EN_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?$")
_EN_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?([a-z]+)\.?(?:,?\s*(\d{4}))?$")
_BARE_NUMBER = re.compile(r"^[#＃]?[\d\s.,]+$")

_THIS_WEEK_END = frozenset(
    {"周末", "本周末", "这周末", "本周内", "这周内", "本周", "这周", "eow", "this week"}
    | {"end of week", "end of the week", "end of this week"}
)
_NEXT_WEEK = frozenset({"下周", "下个周", "next week"})
_NEXT_WEEK_END = frozenset({"下周末", "下周内", "end of next week", "下个周末"})
_WEEK_AFTER_NEXT = frozenset({"下下周", "下下个周", "the week after next", "week after next"})
_MONTH_END = frozenset(
    {"月底", "月末", "本月底", "本月末", "这个月底", "这个月末", "这月底", "本月内", "这个月内"}
    | {"eom", "end of month", "end of the month", "end of this month", "this month"}
)
_NEXT_MONTH_START = frozenset(
    {"下个月初", "下月初", "beginning of next month", "start of next month", "early next month"}
)
_NEXT_MONTH_MID = frozenset({"下个月中", "下月中", "mid next month"})
_NEXT_MONTH_END = frozenset(
    {"下个月底", "下月底", "下个月末", "下月末", "end of next month", "下个月内"}
)
_YEAR_END = frozenset(
    {
        "年底",
        "年末",
        "今年底",
        "今年年底",
        "eoy",
        "end of year",
        "end of the year",
        "end of this year",
    }
)


def _read(phrase: str, today: date, *, fallback: bool) -> Reading | None:
    text = normalise(phrase)
    numeric = _NUMERIC.match(text) or _ISO.match(text)
    if not text or len(text) > 40 or (_BARE_NUMBER.match(text) and not numeric):
        return None
    by = False
    if m := _BY_PREFIX.match(text):
        text, by = text[m.end() :], True
    elif m := _ON_PREFIX.match(text):
        text = text[m.end() :]
    if (m := _BY_SUFFIX.search(text)) and m.start() > 0:
        text, by = text[: m.start()], True
    if not text or (_BARE_NUMBER.match(text) and not (_NUMERIC.match(text) or _ISO.match(text))):
        return None  # "on #12" is a task, "by 12" no day
    found = _shape(text, today, by)
    while found is None and (short := _TIME_OF_DAY.sub("", text).strip()) and short != text:
        text = short  # 明天下午3点 → 明天下午 → 明天
        found = _shape(text, today, by)
    if found is not None or not fallback:
        return found
    day = _dateparser(text, today) if _plausible(text) else None
    return Reading(day, own=False, strong=False) if day else None


def _shape(text: str, today: date, by: bool) -> Reading | None:
    """Paceline's own shapes; None when the text is none of them, _NotADate when it is one
    that names no day."""
    compact = text.replace(" ", "") if not text.isascii() else re.sub(r"^the\s+", "", text)
    if compact in _DAY_OFFSETS:
        return Reading(
            today + timedelta(days=_DAY_OFFSETS[compact]), strong=compact not in _WEAK_WORDS
        )
    if m := _ISO.match(compact):
        return Reading(_day(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _ZH_MONTH_DAY.match(compact):
        return _month_day(int(m.group(1)), int(m.group(2)), today)
    if m := _NUMERIC.match(compact):
        return _numeric(m.group(1), m.group(2), m.group(3), today)
    if m := _DAY_ONLY.match(compact):
        return _day_of_month(int(m.group(1)), today)
    if m := _ORDINAL_DAY.match(compact):  # "the 25th": a marker must say it is a date
        return replace(_day_of_month(int(m.group(1)), today), strong=False)
    if m := _COUNT.match(compact):
        n, unit, within = int(m.group(1)), m.group(2), m.group(3)
        if unit == "月" and within in ("内", "以内", "之内"):
            return None  # "3月内" is "within March" as often as "within 3 months"
        return Reading(_later(today, n, unit))
    if m := _EN_COUNT.match(text):
        count = m.group(1) or m.group(3)
        unit = m.group(2) or m.group(4)
        amount = int(count) if count.isdigit() else _EN_NUMBERS.get(count)
        if amount is None:
            return None
        return Reading(_later(today, amount, {"d": "天", "w": "周", "m": "个月"}[unit[0]]))
    monday = today - timedelta(days=today.weekday())
    if compact in _THIS_WEEK_END:
        return Reading(today + timedelta(days=(4 - today.weekday()) % 7))
    if compact in _NEXT_WEEK:
        return Reading(monday + timedelta(days=7))
    if compact in _NEXT_WEEK_END:
        return Reading(monday + timedelta(days=11))
    if compact in _WEEK_AFTER_NEXT:
        return Reading(monday + timedelta(days=14))
    if compact in _MONTH_END:
        return Reading(_month_end(today))
    if compact in _NEXT_MONTH_START:
        return Reading(_month_end(today) + timedelta(days=1))
    if compact in _NEXT_MONTH_MID:
        return Reading((_month_end(today) + timedelta(days=1)).replace(day=15))
    if compact in _NEXT_MONTH_END:
        return Reading(_month_end(_month_end(today) + timedelta(days=1)))
    if compact in _YEAR_END:
        return Reading(date(today.year, 12, 31))
    if m := _ZH_WEEKDAY.match(compact):
        which, wd = m.group(1) or "", _WEEKDAY_ZH[m.group(2)]
        if which.startswith("下下"):
            return Reading(monday + timedelta(days=14 + wd))
        if which.startswith("下"):
            return Reading(monday + timedelta(days=7 + wd))
        if which:  # 本周五 / 这周五: this week's, even when it has passed
            return Reading(monday + timedelta(days=wd))
        return _coming(wd, today, by, strong=True)
    if m := _EN_WEEKDAY.match(text):
        which, name = m.group(1), m.group(2)
        if name not in _WEEKDAY_EN:
            return None
        wd = _WEEKDAY_EN[name]
        if which in ("next", "coming", "the coming"):  # the coming one, after today
            return Reading(today + timedelta(days=(wd - today.weekday() - 1) % 7 + 1))
        if which == "this":
            return Reading(today + timedelta(days=(wd - today.weekday()) % 7))
        return _coming(wd, today, by, strong=False)
    if (m := _EN_MONTH_DAY.match(text)) and m.group(1) in _MONTH_EN:
        return _named_month(_MONTH_EN[m.group(1)], int(m.group(2)), m.group(3), today)
    if (m := _EN_DAY_MONTH.match(text)) and m.group(2) in _MONTH_EN:
        return _named_month(_MONTH_EN[m.group(2)], int(m.group(1)), m.group(3), today)
    return None


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as err:
        raise _NotADate(f"{year}-{month}-{day}") from err


def _month_day(month: int, day: int, today: date, day_first: bool = False) -> Reading:
    """A month/day without a year: this year's, or next year's (marked rolled) when it has
    passed. 2月29日 in a year without one names no day."""
    this_year = _day(today.year, month, day)
    if this_year >= today:
        return Reading(this_year, day_first=day_first)
    return Reading(_day(today.year + 1, month, day), rolled_from=this_year, day_first=day_first)


def _numeric(first: str, sep: str, second: str, today: date) -> Reading:
    a, b = int(first), int(second)
    single = len(first) == 1 and len(second) == 1
    if sep == "." and single:
        raise _NotADate(f"{first}{sep}{second}")  # 1.5 is a number
    if 1 <= a <= 12:
        found = _month_day(a, b, today)
    elif 1 <= b <= 12:
        found = _month_day(b, a, today, day_first=True)
    else:
        raise _NotADate(f"{first}{sep}{second}")
    # "1/2" in a title is a fraction or a part number as often as a date: it needs a marker
    return replace(found, strong=not single)


def _named_month(month: int, day: int, year: str | None, today: date) -> Reading:
    if year:
        return Reading(_day(int(year), month, day))
    return _month_day(month, day, today)


def _day_of_month(day: int, today: date) -> Reading:
    """ "20号": this month's 20th, or next month's (marked rolled) when it has passed."""
    if not 1 <= day <= _month_end(today).day:
        raise _NotADate(str(day))
    this_month = today.replace(day=day)
    if this_month >= today:
        return Reading(this_month)
    following = _month_end(today) + timedelta(days=1)
    if day > _month_end(following).day:
        raise _NotADate(str(day))
    return Reading(following.replace(day=day), rolled_from=this_month)


def _coming(weekday: int, today: date, by: bool, *, strong: bool) -> Reading:
    """A weekday named alone: the coming one. On that very weekday it is today ("周五前" on a
    Friday is today; a bare "周五" too, flagged so the reply can say so)."""
    ahead = (weekday - today.weekday()) % 7
    return Reading(
        today + timedelta(days=ahead), weekday_today=ahead == 0 and not by, strong=strong
    )


def _later(today: date, n: int, unit: str) -> date:
    if unit in ("天", "日"):
        return today + timedelta(days=n)
    if unit in ("周", "个周"):
        return today + timedelta(weeks=n)
    return _add_months(today, n)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


_NAME_AND_DAY = re.compile(
    r"^(?:[a-z]{3,9}\.?\s+(\d{1,2})|(\d{1,2})\s+[a-z]{3,9}\.?)$", re.IGNORECASE
)


def _plausible(text: str) -> bool:
    """dateparser reads "Dec 32" as December 2032; a person writing that meant no date."""
    if m := _NAME_AND_DAY.match(text):
        return 1 <= int(m.group(1) or m.group(2)) <= 31
    return True


def _dateparser(text: str, today: date) -> date | None:
    settings = dict(_SETTINGS, RELATIVE_BASE=datetime.combine(today, time(12)))
    try:
        found = dateparser.parse(text, languages=_LANGUAGES, settings=settings)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        return None
    return found.date() if found else None


# --- what looks like a date but was not read as one (for a note) -----------------------------

EN_DATE_MARKERS = frozenset({"by", "due", "before", "on", "until", "till"})
ZH_DATE_MARKERS = frozenset({"截止", "截至", "截止到", "到期", "ddl", "deadline"})

_LOOKS_LIKE = re.compile(
    r"^\d{1,2}\s*[/-]\s*\d{1,2}$|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|周[一二三四五六日天七1-7]|下下?个?周|"
    r"今天|明天|后天|今晚|\d+\s*天[后内]|月底|月末|月初|下个?月|^\d{1,2}\s*[日号]$|"
    r"^(?:today|tomorrow|tonight|tmrw?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$"
)


def looks_like_date(word: str) -> bool:
    """A word a reader could take for a date ("13/45", "周五例会", "friday") — worth a note
    when it stays in a title unread."""
    try:
        text = normalise(word)
    except _NotADate:
        return True
    return bool(text) and bool(_LOOKS_LIKE.search(text))
