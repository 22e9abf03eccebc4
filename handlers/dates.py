"""Date phrases in English and Chinese, read relative to a channel's "today".

dateparser does the reading. Chinese shapes it misses ("下周五", "12月1日", "周五前", "两天后")
are first rewritten into shapes it knows; the arithmetic stays with dates, never with clocks, so
a phrase means the same calendar day whatever the hour."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

import dateparser

_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": [],
}
_LANGUAGES = ["en", "zh"]

_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_NUMERALS_ZH = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ENGLISH_ALIASES = {"tmr": "tomorrow", "tmrw": "tomorrow", "tom": "tomorrow", "tdy": "today"}

_FOLD = str.maketrans({"後": "后", "號": "号", "週": "周", "／": "/", "－": "-"})
_PREFIX = re.compile(r"^(?:by|on|before|until|due|在|于|截止到?|到)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(?:之前|以前|前|截止)$")
_WEEK_WORD = re.compile(r"(?:星期|礼拜|禮拜)")
_NEXT_WEEKDAY = re.compile(r"^下(?:个)?周([一二三四五六日天七])$")
_THIS_WEEKDAY = re.compile(r"^(?:本|这|這)周([一二三四五六日天七])$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$")
_COUNT_LATER = re.compile(r"^([一二两三四五六七八九十]|\d+)\s*(天|周|个月|月)后$")
_END_OF_MONTH = re.compile(
    r"^(?:月底|月末|本月底|(?:the )?end of (?:the |this )?month|eom)$", re.IGNORECASE
)
_END_OF_WEEK = re.compile(
    r"^(?:周末|本周末|(?:the )?end of (?:the |this )?week|eow)$", re.IGNORECASE
)
_NUMERIC_MD = re.compile(r"^(\d{1,2})[/.](\d{1,2})$")
_NAME_AND_DAY = re.compile(
    r"^(?:[a-z]{3,9}\.?\s+(\d{1,2})|(\d{1,2})\s+[a-z]{3,9}\.?)$", re.IGNORECASE
)
_BARE_NUMBER = re.compile(r"^[#＃]?[\d\s.,]+$")


MAX_YEARS_AHEAD = 10
MAX_YEARS_BACK = 5


def parse_date(phrase: str, today: date) -> date | None:
    """The calendar day a phrase names, or None when it names none or one no plan would use
    (more than ten years ahead or five back)."""
    try:
        found = _parse(phrase, today)
    except (OverflowError, ValueError):
        return None
    if found is None:
        return None
    if not (today.year - MAX_YEARS_BACK <= found.year <= today.year + MAX_YEARS_AHEAD):
        return None
    return found


def _parse(phrase: str, today: date) -> date | None:
    text = phrase.strip().translate(_FOLD)
    text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    text = _WEEK_WORD.sub("周", text)
    text = _ENGLISH_ALIASES.get(text.lower(), text)
    if not text or len(text) > 40 or _BARE_NUMBER.match(text):
        return None

    if m := _NEXT_WEEKDAY.match(text):
        monday_next = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday_next + timedelta(days=_WEEKDAYS_ZH[m.group(1)])
    if m := _THIS_WEEKDAY.match(text):
        return today - timedelta(days=today.weekday()) + timedelta(days=_WEEKDAYS_ZH[m.group(1)])
    if _END_OF_MONTH.match(text):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if _END_OF_WEEK.match(text):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if m := _MONTH_DAY.match(text):
        text = f"{today.year}年{m.group(1)}月{m.group(2)}日"
        found = _dateparser(text, today)
        if found and found < today:
            found = _dateparser(f"{today.year + 1}年{m.group(1)}月{m.group(2)}日", today)
        return found
    if not _plausible_numbers(text):
        return None
    if m := _COUNT_LATER.match(text):
        count = m.group(1)
        n = int(count) if count.isdigit() else _NUMERALS_ZH[count]
        unit = m.group(2)
        if unit == "天":
            return today + timedelta(days=n)
        if unit == "周":
            return today + timedelta(weeks=n)
        return _add_months(today, n)
    return _dateparser(text, today)


def _plausible_numbers(text: str) -> bool:
    """dateparser reads "13/45" as November 2045 and "Dec 32" as December 2032; a person
    writing those meant no date at all."""
    if m := _NUMERIC_MD.match(text):
        a, b = int(m.group(1)), int(m.group(2))
        return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)
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


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# What may stand as a natural date inside free text (without `due:`), so that a title such as
# "Plan for march" keeps its word: Chinese shapes as whole tokens, English ones after a marker
# word ("by", "due", "on", "before") or in an unmistakable form.
ZH_DATE_TOKEN = re.compile(
    r"^(?:在|于)?(?:今天|明天|后天|大后天|今日|明日|"
    r"(?:下个?|本|这|這)?(?:周|星期|礼拜|週)[一二三四五六日天七]|"
    r"\d{1,2}月\d{1,2}[日号號]?|\d{4}年\d{1,2}月\d{1,2}[日号號]?|"
    r"(?:[一二两三四五六七八九十]|\d+)(?:天|周|个月)[后後]|月底|月末|周末)"
    r"(?:之前|以前|前|截止)?$"
)
EN_DATE_MARKERS = frozenset({"by", "due", "before", "on", "until"})
EN_STRONG_DATE = re.compile(
    r"^(?:today|tonight|tomorrow|tmrw?|"
    r"(?:next|this)\s+(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|"
    r"(?:next|this)\s+week|end\s+of\s+(?:the\s+)?(?:week|month)|"
    r"in\s+\d+\s+(?:days?|weeks?|months?)|"
    r"\d{4}-\d{1,2}-\d{1,2})$",
    re.IGNORECASE,
)
