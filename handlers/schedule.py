"""The scheduled posts, one row each in `KINDS`: when a channel's post goes out (pure functions
of its settings and `now`), how its setting is read and shown, and what builds it.

Times are wall-clock times in the channel's zone, so 09:30 stays 09:30 across a DST change.
With a holiday calendar, a kind that follows it skips public holidays and posts on a swapped
working weekend (调休).

A new kind (the check-in): its columns on Channel (a migration), one builder (a function of an
`Env` returning a Reply, or None for nothing to post), its setting word in
grammar.SETTING_NAMES and its messages, and one `Kind(...)` row here. The scheduler, the
delivery, `settings` and the `paceline` jobs read the table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from handlers import reports
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import SETTING_NAMES, whole_number
from handlers.messages import MESSAGES, fmt_date
from handlers.reply import Line, Reply
from storage import queries
from storage.models import Channel

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = ",".join(WEEKDAYS)
WORKDAYS = ",".join(WEEKDAYS[:5])


@dataclass(frozen=True)
class Kind:
    name: str  # the outbox's kind and the `paceline <name>` job
    about: str  # what it is, for the command line's help
    setting: str  # the settings word that changes it (a key of grammar.SETTING_NAMES)
    default: str  # what a new channel has, as `settings <setting> …` would set it
    build: Callable[[Env], Reply | None]  # the post as of env.now; None: nothing to post
    at: Callable[[Channel], str | None]  # "HH:MM" in the channel's zone; None: off
    days: Callable[[Channel], str]  # the weekdays it goes out on ("mon,tue,…")
    configure: Callable[[Env, str], Reply]  # `settings <setting> <value>`
    describe: Callable[[Env, Channel], str]  # the setting as `settings` shows it
    follows_holidays: bool = False  # skip public holidays, post on swapped working weekends

    def period(self, moment: datetime, channel: Channel) -> str:
        """The outbox key of an occurrence: its local date."""
        return moment.astimezone(ZoneInfo(channel.tz)).date().isoformat()


# --- reading and showing a schedule -------------------------------------------------------------

_DAY_WORDS = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
    **{f"{p}{c}": i for p in ("周", "星期", "礼拜") for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    "礼拜天": 6,
    "星期日": 6,
}
_DAY_WORDS.update({f"每{word}": i for word, i in list(_DAY_WORDS.items()) if not word.isascii()})
_ALL_DAYS = {
    "daily": EVERY_DAY,
    "everyday": EVERY_DAY,
    "every day": EVERY_DAY,
    "每天": EVERY_DAY,
    "每日": EVERY_DAY,
    "天天": EVERY_DAY,
    "weekdays": WORKDAYS,
    "workdays": WORKDAYS,
    "工作日": WORKDAYS,
    "每个工作日": WORKDAYS,
    "weekends": "sat,sun",
    "weekend": "sat,sun",
    "周末": "sat,sun",
}
OFF_WORDS = frozenset({"off", "none", "no", "关", "关闭", "停", "无"})
ON_WORDS = frozenset({"on", "yes", "开", "开启", "打开"})
_TIME = re.compile(
    r"^(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
    r"(?:[:：.](\d{2})|[点點时時](半|一刻|三刻|整|(?:\d{1,2}|[零〇一二三四五六七八九十]{1,3})分?)?)?$"
)
# The part of the day a Chinese or English time may carry, and how it moves a 12-hour clock:
# "下午3点" is 15:00, "晚上8点" 20:00, "中午12点" noon, "晚上12点" midnight, "3pm" 15:00.
_MORNING = ("凌晨", "早上", "早晨", "上午", "清晨", "早")
_AFTERNOON = ("下午", "傍晚")
_NIGHT = ("晚上", "晚间", "夜里", "夜间", "晚")
_NOON = ("中午",)
_ZH_DAYS = dict(zip(WEEKDAYS, [f"周{c}" for c in "一二三四五六日"], strict=True))


def parse_time(text: str) -> str | None:
    """A time of day as "HH:MM": 09:00, 9.30, 17h, 9am, 3:30 pm, 9点, 9点半, 九点一刻, 早上9点,
    下午3点, 晚上8点 (None if unreadable). A bare number is not a time."""
    text = text.strip().lower().replace(" ", "")
    half: str | None = None  # "am" / "pm" / "noon"
    parts = ((_MORNING, "am"), (_AFTERNOON, "pm"), (_NIGHT, "night"), (_NOON, "noon"))
    for words, which in parts:
        for word in words:
            if text.startswith(word):
                text, half = text[len(word) :], which
                break
        if half:
            break
    for suffix, which in (("am", "am"), ("a.m.", "am"), ("pm", "pm"), ("p.m.", "pm")):
        if text.endswith(suffix) and half is None:
            text, half = text[: -len(suffix)], which
            break
    m = _TIME.match(text.removesuffix("h"))
    if not m:
        return None
    clock, zh_part = m.group(2), m.group(3)
    if clock is None and zh_part is None and not re.search("[点點时時h]", text) and half is None:
        return None  # "9" alone: nine what?
    hour = whole_number(m.group(1))
    minute = {"半": 30, "一刻": 15, "三刻": 45, "整": 0}.get(zh_part or "")
    if minute is None:
        minute = whole_number((clock or (zh_part or "0")).removesuffix("分"))
    if hour is None or minute is None or minute > 59:
        return None
    if half is not None:
        hour = _twelve_hour(hour, half)
        if hour is None:
            return None
    if hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


def _twelve_hour(hour: int, half: str) -> int | None:
    """The 24-hour hour of a 12-hour one said with its part of the day (None if it cannot be:
    "下午15点" is allowed as 15, "上午15点" is not)."""
    if half == "noon":
        return hour + 12 if 1 <= hour <= 2 else hour if hour in (11, 12) else None
    if half == "am":
        return 0 if hour == 12 else hour if hour <= 12 else None
    if half == "night":  # 晚上8点 is 20:00, 晚上12点 midnight; 晚上2点 is asked, not guessed
        return (
            0
            if hour == 12
            else hour + 12
            if 5 <= hour < 12
            else hour
            if hour <= 23 and hour >= 17
            else None
        )
    if hour == 12:
        return 12
    return hour + 12 if hour < 12 else hour if hour <= 23 else None


def split_time(value: str) -> tuple[str | None, str]:
    """A time at the start of `value` (one or two words: "9:00", "早上 9点", "9 am") and what
    follows it."""
    words = value.split()
    for size in (2, 1):
        if len(words) >= size and (at := parse_time(" ".join(words[:size]))) is not None:
            return at, " ".join(words[size:])
    return None, value


def parse_days(text: str) -> str | None:
    """ "mon-fri", "周一至周五", "mon,wed,fri", "daily" → "mon,tue,…" (None if unreadable)."""
    text = text.strip().lower()
    if text in _ALL_DAYS:
        return _ALL_DAYS[text]
    chosen: set[int] = set()
    for part in re.split(r"[,，、/\s]+", text):
        if not part:
            continue
        ends = re.split(r"-|–|~|至|到", part)
        if len(ends) == 2 and all(e in _DAY_WORDS for e in ends):
            a, b = _DAY_WORDS[ends[0]], _DAY_WORDS[ends[1]]
            chosen.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        elif part in _DAY_WORDS:
            chosen.add(_DAY_WORDS[part])
        else:
            return None
    return ",".join(WEEKDAYS[i] for i in sorted(chosen)) if chosen else None


def days_text(env: Env, days: str) -> str:
    names = days.split(",")
    if env.lang == "zh":
        if days == WORKDAYS:
            return "工作日"
        return "、".join(_ZH_DAYS[d] for d in names)
    if days == WORKDAYS:
        return "Mon–Fri"
    return ", ".join(d.capitalize() for d in names)


# --- the morning reminder ------------------------------------------------------------------------


def _set_remind(env: Env, value: str) -> Reply:
    ch = env.channel
    if value.strip().lower() in OFF_WORDS:
        ch.remind_time = None
        return Reply(env.t("remind_off"))
    at, days_part = split_time(value.strip())
    if at is None:  # the days first: "工作日 9点", "mon-fri 09:00"
        days_first, _, after = value.strip().partition(" ")
        at, rest = split_time(after)
        if at is None or rest or parse_days(days_first) is None:
            raise UserError("bad_time", value=value.strip().split(" ")[0][:20])
        days_part = days_first
    days = parse_days(days_part) if days_part.strip() else ch.remind_days
    if days is None:
        raise UserError("bad_days", value=days_part[:40])
    ch.remind_time, ch.remind_days = at, days
    return Reply(env.t("remind_set", time=at, days=days_text(env, days), tz=ch.tz))


def _show_remind(env: Env, ch: Channel) -> str:
    if not ch.remind_time:
        return env.t("off")
    return f"{ch.remind_time} · {days_text(env, ch.remind_days)}"


# --- the weekly digest ---------------------------------------------------------------------------


def _set_digest(env: Env, value: str) -> Reply:
    ch = env.channel
    if value.strip().lower() in OFF_WORDS:
        ch.digest_day = None
        return Reply(env.t("digest_off"))
    day_part, _, time_part = value.strip().partition(" ")
    day = _DAY_WORDS.get(day_part.lower())
    if day is None:  # the time first: "10:00 周一", "上午10点 周五"
        at_first, rest = split_time(value.strip())
        if at_first is not None and rest.lower() in _DAY_WORDS:
            day_part, time_part = rest, at_first
            day = _DAY_WORDS[rest.lower()]
    if day is None:
        raise UserError("bad_day", value=day_part[:20])
    at, extra = split_time(time_part or "10:00")
    if at is None or extra:
        raise UserError("bad_time", value=time_part[:20])
    ch.digest_day, ch.digest_time = WEEKDAYS[day], at
    return Reply(env.t("digest_set", day=days_text(env, WEEKDAYS[day]), time=at, tz=ch.tz))


def _show_digest(env: Env, ch: Channel) -> str:
    if not ch.digest_day:
        return env.t("off")
    return f"{days_text(env, ch.digest_day)} {ch.digest_time}"


# --- the table -----------------------------------------------------------------------------------

KINDS: tuple[Kind, ...] = (
    Kind(
        "remind",
        about="the morning reminder",
        setting="remind",
        default="09:30 mon-fri",
        build=reports.reminder,
        at=lambda ch: ch.remind_time,
        days=lambda ch: ch.remind_days,
        configure=_set_remind,
        describe=_show_remind,
        follows_holidays=True,
    ),
    Kind(
        "digest",
        about="the weekly digest",
        setting="digest",
        default="mon 10:00",
        build=reports.digest,
        at=lambda ch: ch.digest_time if ch.digest_day else None,
        days=lambda ch: ch.digest_day or "",
        configure=_set_digest,
        describe=_show_digest,
    ),
)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_SETTING: dict[str, Kind] = {kind.setting: kind for kind in KINDS}


def _check(kinds: tuple[Kind, ...]) -> None:
    """A kind missing a piece stops the import, not a scheduled post."""
    for kind in kinds:
        if kind.setting not in SETTING_NAMES:
            raise ValueError(f"kind {kind.name!r}: {kind.setting!r} is not in SETTING_NAMES")
        if f"setting_{kind.setting}" not in MESSAGES:
            raise ValueError(f"kind {kind.name!r} has no label setting_{kind.setting}")
    if len({k.name for k in kinds}) != len(kinds) or len({k.setting for k in kinds}) != len(kinds):
        raise ValueError("two kinds share a name or a setting")


_check(KINDS)


# --- when a kind is due --------------------------------------------------------------------------


@cache
def _calendar(country: str, year: int):
    import holidays

    return holidays.country_holidays(country, years=year)


def is_due_on(channel: Channel, kind: str, day: date) -> bool:
    """Whether the channel's `kind` goes out on this local date at all."""
    row = BY_NAME[kind]
    if row.at(channel) is None:
        return False
    on_its_days = WEEKDAYS[day.weekday()] in row.days(channel).split(",")
    if not (row.follows_holidays and channel.holidays):
        return on_its_days
    calendar = _calendar(channel.holidays, day.year)
    if day in calendar:
        return False  # a public holiday
    if day in getattr(calendar, "weekend_workdays", ()):
        return True  # a weekend swapped for a working day (调休)
    return on_its_days


def clock_time(channel: Channel, kind: str) -> time | None:
    value = BY_NAME[kind].at(channel)
    if value is None:
        return None
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def cron_days(channel: Channel, kind: str) -> str:
    """The weekdays a cron trigger fires on; with a holiday calendar every day, and the job
    itself decides (holidays off, swapped working weekends on)."""
    row = BY_NAME[kind]
    return EVERY_DAY if row.follows_holidays and channel.holidays else row.days(channel)


def last_due(channel: Channel, kind: str, now: datetime) -> datetime | None:
    """The latest moment at or before `now` when `kind` was due in this channel (looking back
    eight days), as an aware datetime; None if it is off."""
    at = clock_time(channel, kind)
    if at is None:
        return None
    zone = ZoneInfo(channel.tz)
    today = now.astimezone(zone).date()
    for back in range(0, 9):
        day = today - timedelta(days=back)
        moment = datetime.combine(day, at, zone)
        if moment <= now and is_due_on(channel, kind, day):
            return moment
    return None


def period(kind: str, moment: datetime, channel: Channel) -> str:
    """The outbox key of an occurrence of `kind`."""
    return BY_NAME[kind].period(moment, channel)


# --- a channel whose scheduled posts stopped ---------------------------------------------------


def tell_stopped_posts(env: Env, reply: Reply) -> None:
    """Someone spoke in a channel whose scheduled posts stopped. Where the bot posts to the
    channel itself, that someone is here is the sign to try again (and they hear so); where
    posts go through an address an admin sets, only a new one restarts them, and the first
    speaker hears why."""
    channel, target = env.channel, env.ctx.post_target
    if channel.posts_stopped_at is not None:
        day = fmt_date(env.lang, env.local_day(channel.posts_stopped_at), env.today)
        why = channel.posts_stopped_why or ""
        if target is None:
            reply.lines.append(Line(env.t("posts_resumed", day=day, why=why)))
            queries.resume_posts(channel)
        elif not channel.posts_stopped_told:
            name = target.name(env.lang)
            reply.lines.append(Line(env.t("posts_stopped_target", day=day, why=why, target=name)))
            channel.posts_stopped_told = channel.post_target_refused_told = True
    if channel.post_target_refused_at is not None and not channel.post_target_refused_told:
        name = target.name(env.lang) if target else ""
        reply.lines.append(Line(env.t("post_target_refused", target=name)))
        channel.post_target_refused_told = True
