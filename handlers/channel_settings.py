"""`settings`: the channel's time zone, language, post target, holiday calendar and all-clear;
the times of its scheduled posts are read and shown by their rows in handlers/schedule.py."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from handlers import schedule
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Line, Reply
from handlers.schedule import OFF_WORDS, ON_WORDS
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
    by_lower: dict[str, str] = {}
    by_city: dict[str, list[str]] = {}
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
    if cmd.setting in schedule.BY_SETTING:
        return schedule.BY_SETTING[cmd.setting].configure(env, cmd.text)
    if cmd.setting in _OTHERS:
        return _OTHERS[cmd.setting](env, cmd.text)
    ch = env.channel
    return Reply(
        env.t("settings_title"),
        [Line(env.t("settings_hint"))],
        fields=[
            (env.t("setting_tz"), ch.tz),
            (env.t("setting_lang"), env.t(f"lang_name_{ch.lang}")),
            *((env.t(f"setting_{k.setting}"), k.describe(env, ch)) for k in schedule.KINDS),
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


# --- the holiday calendar and the all-clear -------------------------------------------------


def _holidays(env: Env, value: str) -> Reply:
    import holidays

    code = value.strip().upper()
    if code.lower() in OFF_WORDS:
        env.channel.holidays = None
        return Reply(env.t("holidays_off"))
    if code not in holidays.list_supported_countries():
        raise UserError("bad_country", value=value[:20])
    env.channel.holidays = code
    return Reply(env.t("holidays_set", country=code))


def _all_clear(env: Env, value: str) -> Reply:
    word = value.strip().lower()
    if word not in ON_WORDS | OFF_WORDS:
        raise UserError("bad_on_off")
    env.channel.remind_all_clear = word in ON_WORDS
    return Reply(env.t("all_clear_set", state=env.t("on" if word in ON_WORDS else "off")))


_OTHERS = {"holidays": _holidays, "allclear": _all_clear}
