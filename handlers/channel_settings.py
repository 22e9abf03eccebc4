"""`settings`: the channel's time zone and language (reminder and digest times join later)."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Line, Reply
from storage import queries
from storage.models import Role

_LANG_WORDS = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh",
    "cn": "zh",
    "chinese": "zh",
    "中文": "zh",
    "汉语": "zh",
    "zh-cn": "zh",
}
_TZ_ALIASES = {
    "utc": "UTC",
    "gmt": "UTC",
    "北京": "Asia/Shanghai",
    "北京时间": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "cst": "Asia/Shanghai",
}


@cache
def _zones() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Zone names by their lower-case spelling, and by their city ("new_york")."""
    by_lower, by_city = {}, {}
    for zone in available_timezones():
        if zone.startswith(("posix/", "right/")):
            continue
        by_lower[zone.lower()] = zone
        if "/" in zone:
            by_city.setdefault(zone.lower().rsplit("/", 1)[-1], []).append(zone)
    return by_lower, by_city


def valid_zone(name: str) -> str | None:
    """The canonical spelling of a zone name (or of a city: "shanghai", "new york"), or None."""
    name = _TZ_ALIASES.get(name.strip().lower(), name.strip())
    by_lower, by_city = _zones()
    canonical = by_lower.get(name.lower())
    if canonical is None:
        matches = by_city.get(name.lower().replace(" ", "_"), [])
        canonical = matches[0] if len(matches) == 1 else None
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return canonical


def settings(env: Env, cmd: Command) -> Reply:
    if cmd.setting == "tz":
        zone = valid_zone(cmd.text)
        if zone is None:
            raise UserError("bad_tz", value=cmd.text[:60])
        env.channel.tz = zone
        local = env.now.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        return Reply(env.t("tz_set", tz=zone), [Line(env.t("tz_now", time=local))])
    if cmd.setting == "lang":
        lang = _LANG_WORDS.get(cmd.text.lower())
        if lang is None:
            raise UserError("bad_lang", value=cmd.text[:40])
        env.channel.lang = lang
        return Reply(env.t("lang_set"))
    if cmd.setting == "target":
        return _target(env, cmd.text)
    if cmd.setting in SCHEDULE:
        return SCHEDULE[cmd.setting](env, cmd.text)
    ch = env.channel
    remind = (
        f"{ch.remind_time} · {days_text(env, ch.remind_days)}" if ch.remind_time else env.t("off")
    )
    digest = f"{days_text(env, ch.digest_day)} {ch.digest_time}" if ch.digest_day else env.t("off")
    return Reply(
        env.t("settings_title"),
        [Line(env.t("settings_hint"))],
        fields=[
            (env.t("setting_tz"), ch.tz),
            (env.t("setting_lang"), env.t(f"lang_name_{ch.lang}")),
            (env.t("setting_remind"), remind),
            (env.t("setting_digest"), digest),
            (env.t("setting_holidays"), ch.holidays or env.t("off")),
            (env.t("setting_all_clear"), env.t("on" if ch.remind_all_clear else "off")),
            *_target_field(env),
            *_stopped_field(env),
        ],
    )


def _stopped_field(env: Env) -> list[tuple[str, str]]:
    ch = env.channel
    if ch.posts_stopped_at is None:
        return []
    day = fmt_date(env.lang, env.local_day(ch.posts_stopped_at), env.today)
    return [
        (env.t("setting_posts"), env.t("posts_stopped_state", day=day, why=ch.posts_stopped_why))
    ]


def _target_field(env: Env) -> list[tuple[str, str]]:
    target = env.ctx.post_target
    if target is None:
        return []
    ch = env.channel
    state = (
        env.t("target_none")
        if not ch.post_target
        else env.t("target_refused")
        if ch.post_target_refused_at
        else "…" + ch.post_target[-6:]
    )
    return [(target.name(env.lang).capitalize(), state)]


def _target(env: Env, value: str) -> Reply:
    """Where a channel's scheduled posts go, on a door whose channels post through an address
    (an admin's setting, and only an address the door accepts: never a URL the bot would call
    elsewhere)."""
    target = env.ctx.post_target
    if target is None:
        raise UserError("no_post_target")
    name = target.name(env.lang)
    if env.me.role != Role.ADMIN:
        raise UserError("admin_only", what=name)
    address = target.accept(value.strip())
    if address is None:
        raise UserError("bad_post_target", target=name, prefix=target.prefix)
    ch = env.channel
    ch.post_target, ch.post_target_refused_at, ch.post_target_refused_told = address, None, False
    queries.resume_posts(ch)
    return Reply(env.t("post_target_set", target=name, tail=address[-6:]))


# --- when the reminder and the digest go out ----------------------------------------------------

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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
}
_ALL_DAYS = {
    "daily": "mon,tue,wed,thu,fri,sat,sun",
    "everyday": "mon,tue,wed,thu,fri,sat,sun",
    "每天": "mon,tue,wed,thu,fri,sat,sun",
    "weekdays": "mon,tue,wed,thu,fri",
    "工作日": "mon,tue,wed,thu,fri",
}
_OFF = {"off", "none", "no", "关", "关闭", "停", "无"}
_ON = {"on", "yes", "开", "开启", "打开"}
_TIME = re.compile(r"^(\d{1,2})(?:[:：.](\d{2})|点(半)?|点(\d{1,2})分?)?$")


def parse_time(text: str) -> str | None:
    m = _TIME.match(text.strip().lower().removesuffix("h"))
    if not m or (
        m.group(2) is None and m.group(3) is None and m.group(4) is None and "点" not in text
    ):
        return None
    hour = int(m.group(1))
    minute = int(m.group(2) or m.group(4) or (30 if m.group(3) else 0))
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


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
        zh = dict(
            zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)
        )
        if names == list(WEEKDAYS[:5]):
            return "工作日"
        return "、".join(zh[d] for d in names)
    if names == list(WEEKDAYS[:5]):
        return "Mon–Fri"
    return ", ".join(d.capitalize() for d in names)


def _remind(env: Env, value: str) -> Reply:
    ch = env.channel
    if value.strip().lower() in _OFF:
        ch.remind_time = None
        return Reply(env.t("remind_off"))
    time_part, _, days_part = value.strip().partition(" ")
    time = parse_time(time_part)
    if time is None:
        raise UserError("bad_time", value=time_part[:20])
    days = parse_days(days_part) if days_part.strip() else ch.remind_days
    if days is None:
        raise UserError("bad_days", value=days_part[:40])
    ch.remind_time, ch.remind_days = time, days
    return Reply(env.t("remind_set", time=time, days=days_text(env, days), tz=ch.tz))


def _digest(env: Env, value: str) -> Reply:
    ch = env.channel
    if value.strip().lower() in _OFF:
        ch.digest_day = None
        return Reply(env.t("digest_off"))
    day_part, _, time_part = value.strip().partition(" ")
    day = _DAY_WORDS.get(day_part.lower())
    if day is None:
        raise UserError("bad_day", value=day_part[:20])
    time = parse_time(time_part or "10:00")
    if time is None:
        raise UserError("bad_time", value=time_part[:20])
    ch.digest_day, ch.digest_time = WEEKDAYS[day], time
    return Reply(env.t("digest_set", day=days_text(env, WEEKDAYS[day]), time=time, tz=ch.tz))


def _holidays(env: Env, value: str) -> Reply:
    import holidays

    code = value.strip().upper()
    if code.lower() in _OFF:
        env.channel.holidays = None
        return Reply(env.t("holidays_off"))
    if code not in holidays.list_supported_countries():
        raise UserError("bad_country", value=value[:20])
    env.channel.holidays = code
    return Reply(env.t("holidays_set", country=code))


def _all_clear(env: Env, value: str) -> Reply:
    word = value.strip().lower()
    if word not in _ON | _OFF:
        raise UserError("bad_on_off")
    env.channel.remind_all_clear = word in _ON
    return Reply(env.t("all_clear_set", state=env.t("on" if word in _ON else "off")))


SCHEDULE = {"remind": _remind, "digest": _digest, "holidays": _holidays, "allclear": _all_clear}
