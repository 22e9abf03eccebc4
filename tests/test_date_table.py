"""Dates as teams type them (issue 11), through the real grammar (`handlers.verbs.parse`) on
pinned days: each row gives the line, the due date it must set (or None), the title left, and
the keys of the notes the reply must carry. Every expected date is worked out by hand from a
calendar, never by calling the code under test.

Decisions the rows pin down:
- numbers are month-first (11/20, 11.20, 11-20); a pair that can only be day/month (20/11) is
  read so, with a note; two single digits (1/5) are a fraction or part number in a title and
  need a marker ("by 1/5", `due:1/5`), and say so in a note; a dot between two single digits
  (1.5) is a decimal and no date at all;
- "X前" (by X) on day X is today; a bare weekday on that same day is today too, with a note
  that gives next week's date;
- a month/day (or a day of the month) that has passed is rolled forward, always with a note;
- 下周 / next week is the Monday of next week; 周末 / eow the coming Friday (the end of the
  working week); 下个月初 the 1st of next month; 年底 December 31;
- a date-like word left in a title is named in a note; two dates in one add are refused.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from handlers.errors import UserError
from handlers.grammar import Command
from handlers.verbs import parse

NOV2 = date(2026, 11, 2)  # a Monday: the day of the report
FRI = date(2026, 11, 6)  # a Friday
MONTH_END = date(2026, 11, 30)  # a Monday, the last day of November
YEAR_END = date(2026, 12, 31)  # a Thursday, the last day of the year

D = date
ROLLED = "date_rolled"
TODAY_WD = "date_weekday_today"
NOT_READ = "date_not_read"
DAY_FIRST = "date_day_first"

# (today, line, due, title, note keys)
Row = tuple[date, str, date | None, str, tuple[str, ...]]


def rows(today: date, items: list[tuple[str, date | None, str, tuple[str, ...]]]) -> list[Row]:
    return [(today, line, due, title, notes) for line, due, title, notes in items]


def zh(phrase: str, due: date | None, *notes: str) -> tuple[str, date | None, str, tuple[str, ...]]:
    """`新建 写文案 <phrase>`: the title is 写文案 when the phrase is read, else both."""
    title = "写文案" if due is not None else f"写文案 {phrase}"
    return (f"新建 写文案 {phrase}", due, title, notes)


def en(phrase: str, due: date | None, *notes: str) -> tuple[str, date | None, str, tuple[str, ...]]:
    title = "Write copy" if due is not None else f"Write copy {phrase}"
    return (f"add Write copy {phrase}", due, title, notes)


TABLE: list[Row] = [
    # --- Monday 2026-11-02 ---------------------------------------------------------------------
    *rows(
        NOV2,
        [
            ("新建 写文案 @张三 11月1日", D(2027, 11, 1), "写文案", (ROLLED,)),
            zh("11月1日", D(2027, 11, 1), ROLLED),
            zh("11月1号", D(2027, 11, 1), ROLLED),
            zh("十一月一日", D(2027, 11, 1), ROLLED),
            zh("10月31日", D(2027, 10, 31), ROLLED),
            zh("1月5日", D(2027, 1, 5), ROLLED),
            zh("11月2日", NOV2),
            zh("11月20日", D(2026, 11, 20)),
            zh("11月20号", D(2026, 11, 20)),
            zh("11月20", D(2026, 11, 20)),
            zh("11/20", D(2026, 11, 20)),
            zh("11.20", D(2026, 11, 20)),
            zh("11-20", D(2026, 11, 20)),
            zh("１１／２０", D(2026, 11, 20)),
            zh("１１．２０", D(2026, 11, 20)),
            zh("１１－２０", D(2026, 11, 20)),
            zh("１１月２０日", D(2026, 11, 20)),
            zh("十一月二十日", D(2026, 11, 20)),
            zh("十一月二十号", D(2026, 11, 20)),
            zh("十二月一号", D(2026, 12, 1)),
            zh("十二月一日", D(2026, 12, 1)),
            zh("十二月二十五日", D(2026, 12, 25)),
            zh("12月1日", D(2026, 12, 1)),
            zh("12月1号", D(2026, 12, 1)),
            zh("12月1", D(2026, 12, 1)),
            zh("12/1", D(2026, 12, 1)),
            zh("12.1", D(2026, 12, 1)),
            zh("12-01", D(2026, 12, 1)),
            zh("11/30", D(2026, 11, 30)),
            zh("01/05", D(2027, 1, 5), ROLLED),
            zh("1/5", None, NOT_READ),
            zh("13/45", None, NOT_READ),
            zh("20/11", D(2026, 11, 20), DAY_FIRST),
            zh("2026-11-20", D(2026, 11, 20)),
            zh("2026/11/20", D(2026, 11, 20)),
            zh("2026.11.20", D(2026, 11, 20)),
            zh("2026年11月20日", D(2026, 11, 20)),
            zh("２０２６－１１－２０", D(2026, 11, 20)),
            zh("2027-03-01", D(2027, 3, 1)),
            zh("2026-02-30", None, NOT_READ),
            zh("今天", NOV2),
            zh("今日", NOV2),
            zh("今晚", NOV2),
            zh("今天下班前", NOV2),
            zh("明天", D(2026, 11, 3)),
            zh("明日", D(2026, 11, 3)),
            zh("明早", D(2026, 11, 3)),
            zh("明晚", D(2026, 11, 3)),
            zh("明天下午", D(2026, 11, 3)),
            zh("明天下午3点", D(2026, 11, 3)),
            zh("明天之前", D(2026, 11, 3)),
            zh("后天", D(2026, 11, 4)),
            zh("大后天", D(2026, 11, 5)),
            zh("昨天", D(2026, 11, 1)),  # past without rolling: the add reply says "past"
            zh("下周", D(2026, 11, 9)),
            zh("下下周", D(2026, 11, 16)),
            zh("下周一", D(2026, 11, 9)),
            zh("下周五", D(2026, 11, 13)),
            zh("下个周五", D(2026, 11, 13)),
            zh("下周五前", D(2026, 11, 13)),
            zh("下下周五", D(2026, 11, 20)),
            zh("下星期三", D(2026, 11, 11)),
            zh("下礼拜二", D(2026, 11, 10)),
            zh("周五", D(2026, 11, 6)),
            zh("周五前", D(2026, 11, 6)),
            zh("周5", D(2026, 11, 6)),
            zh("星期五", D(2026, 11, 6)),
            zh("星期5", D(2026, 11, 6)),
            zh("礼拜五", D(2026, 11, 6)),
            zh("禮拜五", D(2026, 11, 6)),
            zh("週五", D(2026, 11, 6)),
            zh("周日", D(2026, 11, 8)),
            zh("周天", D(2026, 11, 8)),
            zh("星期天前", D(2026, 11, 8)),
            zh("周一", NOV2, TODAY_WD),
            zh("星期一", NOV2, TODAY_WD),
            zh("周一前", NOV2),
            zh("这周五", D(2026, 11, 6)),
            zh("本周五", D(2026, 11, 6)),
            zh("本周日", D(2026, 11, 8)),
            zh("周五下班前", D(2026, 11, 6)),
            zh("周五18:00前", D(2026, 11, 6)),
            zh("周五１８：００前", D(2026, 11, 6)),
            zh("周末", D(2026, 11, 6)),
            zh("本周内", D(2026, 11, 6)),
            zh("下周末", D(2026, 11, 13)),
            zh("本月底", D(2026, 11, 30)),
            zh("月底", D(2026, 11, 30)),
            zh("月末", D(2026, 11, 30)),
            zh("月底前", D(2026, 11, 30)),
            zh("下个月初", D(2026, 12, 1)),
            zh("下月初", D(2026, 12, 1)),
            zh("下个月中", D(2026, 12, 15)),
            zh("下个月底", D(2026, 12, 31)),
            zh("下月底", D(2026, 12, 31)),
            zh("年底", D(2026, 12, 31)),
            zh("年底前", D(2026, 12, 31)),
            zh("3天后", D(2026, 11, 5)),
            zh("三天后", D(2026, 11, 5)),
            zh("3天内", D(2026, 11, 5)),
            zh("三天内", D(2026, 11, 5)),
            zh("两天内", D(2026, 11, 4)),
            zh("7天内", D(2026, 11, 9)),
            zh("十天后", D(2026, 11, 12)),
            zh("2周后", D(2026, 11, 16)),
            zh("两周后", D(2026, 11, 16)),
            zh("一周内", D(2026, 11, 9)),
            zh("1个月后", D(2026, 12, 2)),
            zh("一个月后", D(2026, 12, 2)),
            zh("20号", D(2026, 11, 20)),
            zh("20号前", D(2026, 11, 20)),
            zh("二十号", D(2026, 11, 20)),
            zh("1号", D(2026, 12, 1), ROLLED),
            zh("截止11月20日", D(2026, 11, 20)),
            zh("截止到周五", D(2026, 11, 6)),
            ("新建 写文案 截止 周五", D(2026, 11, 6), "写文案", ()),
            ("新建 写文案 截止:11/20", D(2026, 11, 20), "写文案", ()),
            ("新建 写文案 截止：１１／２０", D(2026, 11, 20), "写文案", ()),
            ("新建 写文案 截止：十一月二十日", D(2026, 11, 20), "写文案", ()),
            ("新建 写文案 截止:11月1日", D(2027, 11, 1), "写文案", (ROLLED,)),
            ("新建 写文案 截止:周一", NOV2, "写文案", (TODAY_WD,)),
            ("新建 写文案 截止:下个月初", D(2026, 12, 1), "写文案", ()),
            ("新建 写文案 截止：3天内", D(2026, 11, 5), "写文案", ()),
            # a date first, glued to a word, between punctuation
            ("新建 明天 写文案", D(2026, 11, 3), "写文案", ()),
            ("新建 11/20 写文案", D(2026, 11, 20), "写文案", ()),
            ("新建 写文案周五前", D(2026, 11, 6), "写文案", ()),
            ("新建 海报下周五前", D(2026, 11, 13), "海报", ()),
            ("新建 文案11月20日前", D(2026, 11, 20), "文案", ()),
            ("新建 海报，周五前", D(2026, 11, 6), "海报", ()),
            ("新建 海报、明天", D(2026, 11, 3), "海报", ()),
            ("新建 写文案（周五前）", D(2026, 11, 6), "写文案", ()),
            ("新建 周五前，写文案", D(2026, 11, 6), "写文案", ()),
            ("新建 海报 周五前！", D(2026, 11, 6), "海报", ()),
            ("新建　写文案　明天", D(2026, 11, 3), "写文案", ()),
            ("新建写文案 明天", D(2026, 11, 3), "写文案", ()),
            ("新建 写文案 明天 +双11", D(2026, 11, 3), "写文案", ()),
            ("新建 预热 开始:明天 下周五", D(2026, 11, 13), "预热", ()),
            # date-like words that stay in the title, each with a note
            ("新建 周五例会材料", None, "周五例会材料", (NOT_READ,)),
            ("新建 写文案 31号", None, "写文案 31号", (NOT_READ,)),
            ("新建 写文案 明天的 素材", None, "写文案 明天的 素材", (NOT_READ,)),
            ("新建 下个月活动计划", None, "下个月活动计划", (NOT_READ,)),
            # what is not a date and says nothing
            ("新建 双11 预热文案", None, "双11 预热文案", ()),
            ("新建 预算 1.5 万", None, "预算 1.5 万", ()),
            ("新建 写 3 篇文案", None, "写 3 篇文案", ()),
            ("新建 第2期 直播", None, "第2期 直播", ()),
            # English on the same Monday
            en("tomorrow", D(2026, 11, 3)),
            en("Tomorrow.", D(2026, 11, 3)),
            en("TOMORROW", D(2026, 11, 3)),
            en("tomorow", D(2026, 11, 3)),
            en("tommorow", D(2026, 11, 3)),
            en("tmrw", D(2026, 11, 3)),
            en("tmr", D(2026, 11, 3)),
            en("today", NOV2),
            en("tonight", NOV2),
            en("eod", NOV2),
            en("EOD", NOV2),
            en("by end of day", NOV2),
            en("eow", D(2026, 11, 6)),
            en("end of week", D(2026, 11, 6)),
            en("by the end of the week", D(2026, 11, 6)),
            en("this week", D(2026, 11, 6)),
            en("next week", D(2026, 11, 9)),
            en("end of next week", D(2026, 11, 13)),
            en("in 2 weeks", D(2026, 11, 16)),
            en("in two weeks", D(2026, 11, 16)),
            en("in 3 days", D(2026, 11, 5)),
            en("within 3 days", D(2026, 11, 5)),
            en("3 days from now", D(2026, 11, 5)),
            en("in a month", D(2026, 12, 2)),
            en("day after tomorrow", D(2026, 11, 4)),
            en("eom", D(2026, 11, 30)),
            en("end of month", D(2026, 11, 30)),
            en("by end of next month", D(2026, 12, 31)),
            en("start of next month", D(2026, 12, 1)),
            en("eoy", D(2026, 12, 31)),
            en("Nov 20", D(2026, 11, 20)),
            en("Nov. 20", D(2026, 11, 20)),
            en("November 20th", D(2026, 11, 20)),
            en("20 Nov", D(2026, 11, 20)),
            en("20th November", D(2026, 11, 20)),
            en("Dec 1", D(2026, 12, 1)),
            en("by Dec 1", D(2026, 12, 1)),
            en("Nov 1", D(2027, 11, 1), ROLLED),
            en("Jan 5", D(2027, 1, 5), ROLLED),
            en("by Nov 20, 2026", D(2026, 11, 20)),
            en("Nov 1 2027", D(2027, 11, 1)),
            en("next fri", D(2026, 11, 6)),
            en("this fri", D(2026, 11, 6)),
            en("by fri", D(2026, 11, 6)),
            en("on friday", D(2026, 11, 6)),
            en("before Friday", D(2026, 11, 6)),
            en("next mon", D(2026, 11, 9)),
            en("next monday", D(2026, 11, 9)),
            en("on mon", NOV2, TODAY_WD),
            en("by monday", NOV2),
            en("due mon", NOV2, TODAY_WD),
            en("11/20", D(2026, 11, 20)),
            en("by 11/20", D(2026, 11, 20)),
            en("by 1/5", D(2027, 1, 5), ROLLED),
            en("2026-11-20", D(2026, 11, 20)),
            en("１１／２０", D(2026, 11, 20)),
            en("yesterday", D(2026, 11, 1)),
            ("add Write copy due:11/20", D(2026, 11, 20), "Write copy", ()),
            ("add Write copy due:Nov 1", D(2027, 11, 1), "Write copy", (ROLLED,)),
            ("add Write copy due:20/11", D(2026, 11, 20), "Write copy", (DAY_FIRST,)),
            ("add Write copy due:tom", D(2026, 11, 3), "Write copy", ()),
            ("add Write copy due:mon", NOV2, "Write copy", (TODAY_WD,)),
            ("add Write copy due:next week", D(2026, 11, 9), "Write copy", ()),
            ("add Write copy due：明天", D(2026, 11, 3), "Write copy", ()),
            ("add Write copy due:1/5", D(2027, 1, 5), "Write copy", (ROLLED,)),
            ("add Write copy start:11/10 due:11/20", D(2026, 11, 20), "Write copy", ()),
            ("add tomorrow Write copy", D(2026, 11, 3), "Write copy", ()),
            # a phrase naming the same day as due: is no conflict, and stays in the title
            ("add Due on the 20th due:11/20", D(2026, 11, 20), "Due on the 20th", ()),
            ("新建 海报 周五前 截止:11/6", D(2026, 11, 6), "海报 周五前", ()),
            ("add Send on the 20th", D(2026, 11, 20), "Send", ()),
            ("add Send on the 1st", D(2026, 12, 1), "Send", (ROLLED,)),
            ("add Celebrate 25th anniversary", None, "Celebrate 25th anniversary", ()),
            (
                "add Ship banner by Dec 1 to the printer",
                D(2026, 12, 1),
                "Ship banner to the printer",
                (),
            ),
            ("add Write copy Nov 20 @bob", D(2026, 11, 20), "Write copy", ()),
            # mixed languages
            ("add 写文案 tomorrow", D(2026, 11, 3), "写文案", ()),
            ("新建 Write copy 明天", D(2026, 11, 3), "Write copy", ()),
            ("新建 Write copy by fri", D(2026, 11, 6), "Write copy", ()),
            ("add Write copy 周五前", D(2026, 11, 6), "Write copy", ()),
            ("add Write copy 11月20日", D(2026, 11, 20), "Write copy", ()),
            # English words that stay in the title
            ("add Friday drinks", None, "Friday drinks", (NOT_READ,)),
            ("add Finish part 1/2", None, "Finish part 1/2", (NOT_READ,)),
            ("add Call tom", None, "Call tom", ()),
            ("add Plan for march", None, "Plan for march", ()),
            ("add Budget 1.5 for ads", None, "Budget 1.5 for ads", ()),
            ("add Review May campaign", None, "Review May campaign", ()),
            ("add Post on https://example.com", None, "Post on https://example.com", ()),
        ],
    ),
    # --- Friday 2026-11-06 -----------------------------------------------------------------------
    *rows(
        FRI,
        [
            zh("周五前", FRI),  # by Friday, said on a Friday: today, not a week late
            zh("星期五前", FRI),
            zh("礼拜五之前", FRI),
            zh("周五下班前", FRI),
            zh("周五", FRI, TODAY_WD),
            zh("礼拜五", FRI, TODAY_WD),
            zh("星期五", FRI, TODAY_WD),
            zh("这周五", FRI),
            zh("本周五", FRI),
            zh("本周四", D(2026, 11, 5)),  # this week's, already past: the add reply says so
            zh("下周五", D(2026, 11, 13)),
            zh("下下周五", D(2026, 11, 20)),
            zh("下周", D(2026, 11, 9)),
            zh("下周一", D(2026, 11, 9)),
            zh("下下周", D(2026, 11, 16)),
            zh("周一", D(2026, 11, 9)),
            zh("周四", D(2026, 11, 12)),
            zh("周六", D(2026, 11, 7)),
            zh("周末", FRI),
            zh("明天", D(2026, 11, 7)),
            zh("大后天", D(2026, 11, 9)),
            zh("3天内", D(2026, 11, 9)),
            zh("两周后", D(2026, 11, 20)),
            zh("11月6日", FRI),
            zh("11月5日", D(2027, 11, 5), ROLLED),
            zh("11/6", FRI),
            zh("11/7", D(2026, 11, 7)),
            zh("5号", D(2026, 12, 5), ROLLED),
            zh("6号", FRI),
            zh("月底", D(2026, 11, 30)),
            zh("下个月初", D(2026, 12, 1)),
            ("新建 写文案 截止:周五", FRI, "写文案", (TODAY_WD,)),
            ("新建 写文案周五前", FRI, "写文案", ()),
            en("by fri", FRI),
            en("before friday", FRI),
            en("on fri", FRI, TODAY_WD),
            en("this fri", FRI),
            en("next fri", D(2026, 11, 13)),
            en("next friday", D(2026, 11, 13)),
            en("eow", FRI),
            en("next week", D(2026, 11, 9)),
            en("Nov 5", D(2027, 11, 5), ROLLED),
            en("Nov 6", FRI),
            ("add Write copy due:fri", FRI, "Write copy", (TODAY_WD,)),
            ("add Write copy due:by fri", FRI, "Write copy", ()),
        ],
    ),
    # --- Monday 2026-11-30, the last day of a month ---------------------------------------------
    *rows(
        MONTH_END,
        [
            zh("月底", MONTH_END),
            zh("本月底", MONTH_END),
            zh("月底前", MONTH_END),
            zh("下个月初", D(2026, 12, 1)),
            zh("下个月中", D(2026, 12, 15)),
            zh("下个月底", D(2026, 12, 31)),
            zh("下月末", D(2026, 12, 31)),
            zh("明天", D(2026, 12, 1)),
            zh("30号", MONTH_END),
            zh("1号", D(2026, 12, 1), ROLLED),
            zh("31号", None, NOT_READ),  # November has no 31st
            zh("11月30日", MONTH_END),
            zh("11月29日", D(2027, 11, 29), ROLLED),
            zh("12/1", D(2026, 12, 1)),
            zh("12.1", D(2026, 12, 1)),
            zh("12-1", D(2026, 12, 1)),
            zh("十二月一日", D(2026, 12, 1)),
            zh("下周", D(2026, 12, 7)),
            zh("下周一", D(2026, 12, 7)),
            zh("周一", MONTH_END, TODAY_WD),
            zh("周一前", MONTH_END),
            zh("周二", D(2026, 12, 1)),
            zh("周五", D(2026, 12, 4)),
            zh("1个月后", D(2026, 12, 30)),
            zh("3天内", D(2026, 12, 3)),
            zh("年底", D(2026, 12, 31)),
            zh("2月29日", None, NOT_READ),  # 2027 has no February 29
            zh("2月28日", D(2027, 2, 28), ROLLED),
            en("end of month", MONTH_END),
            en("eom", MONTH_END),
            en("end of next month", D(2026, 12, 31)),
            en("in 1 month", D(2026, 12, 30)),
            en("tomorrow", D(2026, 12, 1)),
            en("Dec 1", D(2026, 12, 1)),
            en("1 Dec", D(2026, 12, 1)),
            en("next week", D(2026, 12, 7)),
            en("on monday", MONTH_END, TODAY_WD),
            en("by mon", MONTH_END),
            ("新建 海报 12月1日前", D(2026, 12, 1), "海报", ()),
            ("新建 预算 1.5", None, "预算 1.5", ()),
        ],
    ),
    # --- Thursday 2026-12-31, the last day of a year ------------------------------------------
    *rows(
        YEAR_END,
        [
            zh("明天", D(2027, 1, 1)),
            zh("后天", D(2027, 1, 2)),
            zh("下周", D(2027, 1, 4)),
            zh("下周五", D(2027, 1, 8)),
            zh("周五", D(2027, 1, 1)),
            zh("周四", YEAR_END, TODAY_WD),
            zh("周四前", YEAR_END),
            zh("月底", YEAR_END),
            zh("年底", YEAR_END),
            zh("下个月初", D(2027, 1, 1)),
            zh("下个月底", D(2027, 1, 31)),
            zh("1月5日", D(2027, 1, 5), ROLLED),
            zh("一月五号", D(2027, 1, 5), ROLLED),
            zh("01/05", D(2027, 1, 5), ROLLED),
            zh("1/5", None, NOT_READ),
            zh("2027-01-05", D(2027, 1, 5)),
            zh("2027年1月5日", D(2027, 1, 5)),
            zh("12月31日", YEAR_END),
            zh("十二月三十一日", YEAR_END),
            zh("12月30日", D(2027, 12, 30), ROLLED),
            zh("2号", D(2027, 1, 2), ROLLED),
            zh("31号", YEAR_END),
            zh("2周后", D(2027, 1, 14)),
            zh("1个月后", D(2027, 1, 31)),
            zh("3天内", D(2027, 1, 3)),
            en("in 3 days", D(2027, 1, 3)),
            en("next week", D(2027, 1, 4)),
            en("eow", D(2027, 1, 1)),
            en("Jan 5", D(2027, 1, 5), ROLLED),
            en("Jan 5 2027", D(2027, 1, 5)),
            en("by Jan 5, 2027", D(2027, 1, 5)),
            en("5 Jan", D(2027, 1, 5), ROLLED),
            en("Dec 31", YEAR_END),
            en("on thu", YEAR_END, TODAY_WD),
            en("next thu", D(2027, 1, 7)),
            ("add Write copy due:2027-01-05", D(2027, 1, 5), "Write copy", ()),
            ("add Write copy due:Jan 5", D(2027, 1, 5), "Write copy", (ROLLED,)),
        ],
    ),
]

# Two dates in one command: a question, not a pick. (today, line, error key)
REFUSED: list[tuple[date, str, str]] = [
    (NOV2, "新建 海报 明天 周五前", "two_dates"),
    (NOV2, "新建 海报 明天 截止:周五", "two_dates"),
    (NOV2, "新建 海报 截止:周五 明天", "two_dates"),
    (NOV2, "新建 海报 11/20 12/1", "two_dates"),
    (NOV2, "新建 海报，明天，周五前", "two_dates"),
    (NOV2, "新建 写文案周五前 下周一", "two_dates"),
    (NOV2, "add Write copy tomorrow due:fri", "two_dates"),
    (NOV2, "add Write copy Nov 20 tomorrow", "two_dates"),
    (NOV2, "add Write copy by fri next week", "two_dates"),
    (FRI, "新建 海报 周五前 下周五", "two_dates"),
    (NOV2, "add Poster today eow", "two_dates"),
    (YEAR_END, "新建 海报 1月5日 年底", "two_dates"),
    (NOV2, "add Due on the 20th due:11/21", "two_dates"),
    (NOV2, "新建 海报 截止:明天 截止:后天", "one_date"),
    (NOV2, "add Write copy due:13/45", "bad_date"),
    (NOV2, "add Write copy due:2026-02-30", "bad_date"),
    (NOV2, "截止 4 13/45", "bad_date"),
    (NOV2, "新建 明天", "add_no_title"),
]


def _ids(table: list[Row]) -> list[str]:
    return [f"{today.isoformat()} {line}" for today, line, *_ in table]


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) + len(REFUSED) >= 250
    keys = [(today, line) for today, line, *_ in TABLE]
    assert len(keys) == len(set(keys)), "a row is repeated"
    for today in (NOV2, FRI, MONTH_END, YEAR_END):
        assert sum(1 for row in TABLE if row[0] == today) >= 20, today
    assert FRI.weekday() == 4 and NOV2.weekday() == 0 and YEAR_END.weekday() == 3
    assert (MONTH_END.month, MONTH_END.day) == (11, 30)


@pytest.mark.parametrize(("today", "line", "due", "title", "notes"), TABLE, ids=_ids(TABLE))
def test_date_row(today: date, line: str, due: date | None, title: str, notes: tuple[str, ...]):
    command = parse(line, today)
    assert command.due == due
    assert command.text == title
    assert tuple(n.key for n in command.notes) == notes


@pytest.mark.parametrize(
    ("today", "line", "key"), REFUSED, ids=[f"{t.isoformat()} {line}" for t, line, _ in REFUSED]
)
def test_refused(today: date, line: str, key: str) -> None:
    with pytest.raises(UserError) as err:
        parse(line, today)
    assert err.value.key == key


# --- never a silent guess -------------------------------------------------------------------

_YEAR = re.compile(r"\d{4}")


def _silent_guess(line: str, today: date, command: Command) -> str | None:
    """Why a parsed add would be a silent guess, or None when it is not."""
    keys = {n.key for n in command.notes}
    far = command.due is not None and (command.due - today).days > 183
    if far and not _YEAR.search(line) and not keys & {"date_rolled"}:
        return "more than six months ahead with no year typed and no note"
    if command.due == today and keys - {"date_weekday_today"} == keys:
        named = re.search(r"(?<![下本这])(?:周|星期|礼拜)[一二三四五六日天1-7](?![前])", line)
        if named and "前" not in line[named.end() :]:
            return "a bare weekday read as today without a note"
    return None


@pytest.mark.parametrize(("today", "line", "due", "title", "notes"), TABLE, ids=_ids(TABLE))
def test_every_accepted_add_is_what_the_table_says_or_carries_a_note(
    today: date, line: str, due: date | None, title: str, notes: tuple[str, ...]
) -> None:
    command = parse(line, today)
    assert command.due == due or command.notes, line
    assert _silent_guess(line, today, command) is None, line


# Every phrase below in every position, on every pinned day: the command either sets a due date
# and takes the phrase out of the title, or leaves the phrase in the title with a note. A date
# phrase is never dropped, never ignored, and never kept in the title without a word.
PHRASES = [
    "明天",
    "后天",
    "大后天",
    "今晚",
    "周五",
    "周五前",
    "礼拜五",
    "下周",
    "下周五",
    "下下周五",
    "这周五",
    "本月底",
    "下个月初",
    "下个月底",
    "周五下班前",
    "3天内",
    "三天后",
    "两周后",
    "十一月二十日",
    "十二月一号",
    "11月1日",
    "11/20",
    "11.20",
    "11-20",
    "１１／２０",
    "1/5",
    "13/45",
    "20/11",
    "20号",
    "31号",
    "2026-11-20",
    "2月29日",
    "tomorrow",
    "tonight",
    "eod",
    "eow",
    "next week",
    "in 2 weeks",
    "Nov 20",
    "20 Nov",
    "by fri",
    "Friday",
]
TEMPLATES = ["新建 写文案 {}", "新建 {} 写文案", "add Write copy {}", "新建 海报，{}"]


@pytest.mark.parametrize("today", [NOV2, FRI, MONTH_END, YEAR_END], ids=str)
def test_a_date_phrase_is_read_or_named(today: date) -> None:
    silent = []
    for phrase, template in itertools.product(PHRASES, TEMPLATES):
        line = template.format(phrase)
        command = parse(line, today)
        read = command.due is not None and phrase not in command.text
        named = command.due is None and phrase in command.text and command.notes
        if not (read or named):
            silent.append((line, command.due, command.text, command.notes))
        if read:
            assert _silent_guess(line, today, command) is None, line
    assert silent == []


def test_the_notes_say_what_was_read() -> None:
    """The note of a rolled date names the phrase, the day set and this year's day."""
    (note,) = parse("新建 写文案 @张三 11月1日", NOV2).notes
    assert note.key == "date_rolled"
    assert dict(note.params) == {"phrase": "11月1日", "day": "2027-11-01", "past": "2026-11-01"}
    (note,) = parse("截止 4 11月1日", NOV2).notes
    assert note.key == "date_rolled"
    assert dict(note.params)["task"] == "4"
    (note,) = parse("新建 写文案 周五", FRI).notes
    assert dict(note.params) == {"phrase": "周五", "day": "2026-11-06", "later": "2026-11-13"}
    (note,) = parse("新建 写文案 13/45", NOV2).notes
    assert dict(note.params) == {"phrase": "13/45"}
    with pytest.raises(UserError) as err:
        parse("新建 海报 明天 周五前", NOV2)
    assert err.value.params == {"first": "明天", "second": "周五前"}


def test_due_verb_reads_the_same_shapes() -> None:
    assert parse("截止 4 下个月初", NOV2).due == D(2026, 12, 1)
    assert parse("截止 4 十一月二十日", NOV2).due == D(2026, 11, 20)
    assert parse("截止 4 11.20", NOV2).due == D(2026, 11, 20)
    assert parse("due 4 eow", NOV2).due == D(2026, 11, 6)
    assert parse("截止 4 周五前", FRI) == Command("due", task=4, due=FRI)
    assert parse("截止 4 周五", FRI).notes[0].key == "date_weekday_today"


# --- through the console bot: the notes reach the reply, in the channel's language -----------


def test_the_rolled_date_note_reaches_the_reply(make_bot) -> None:
    from datetime import UTC, datetime

    bot = make_bot(user="alice", channel="ops", now=datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    bot.say("设置 语言 中文")
    out = bot.say("新建 写文案 @张三 11月1日")
    assert "“11月1日” 已过，按 2027-11-01 计；若是指 2026-11-01，请用 `截止 1 2026-11-01`" in out
    out = bot.say("截止 1 11月1日")
    assert "`截止 1 2026-11-01`" in out
    out = bot.say("新建 海报 明天 周五前")
    assert "以哪个为准" in out
