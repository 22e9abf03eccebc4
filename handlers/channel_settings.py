"""`settings`: the channel's time zone, language, post target, holiday calendar, all-clear and
the digest's charts; the times of its scheduled posts are read and shown by their rows in
handlers/schedule.py."""

from __future__ import annotations

import hashlib
import re
import secrets
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
    "英": "en",
    "english language": "en",
    "zh": "zh",
    "cn": "zh",
    "chinese": "zh",
    "中文": "zh",
    "汉语": "zh",
    "中": "zh",
    "简体中文": "zh",
    "简体": "zh",
    "普通话": "zh",
    "zh-cn": "zh",
    "zh_cn": "zh",
    "zh-hans": "zh",
    "en-us": "en",
    "en-gb": "en",
}
_TZ_ALIASES = {
    "utc": "UTC",
    "gmt": "UTC",
    "北京": "Asia/Shanghai",
    "北京时间": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "cst": "Asia/Shanghai",
    "中国": "Asia/Shanghai",
    "中国时间": "Asia/Shanghai",
    "东八区": "Asia/Shanghai",
    "香港": "Asia/Hong_Kong",
    "台北": "Asia/Taipei",
    "新加坡": "Asia/Singapore",
    "东京": "Asia/Tokyo",
    "首尔": "Asia/Seoul",
    "伦敦": "Europe/London",
    "纽约": "America/New_York",
    "洛杉矶": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles",
    "悉尼": "Australia/Sydney",
}
# A country's public-holiday calendar by the words people use for it (its code works too).
_COUNTRY_WORDS = {
    **dict.fromkeys(("中国", "中国大陆", "大陆", "内地", "china", "prc", "国内"), "CN"),
    **dict.fromkeys(("美国", "usa", "america", "united states"), "US"),
    **dict.fromkeys(("英国", "uk", "britain", "united kingdom"), "GB"),
    **dict.fromkeys(("日本", "japan"), "JP"),
    **dict.fromkeys(("香港", "中国香港", "hong kong", "hongkong"), "HK"),
    **dict.fromkeys(("澳门", "中国澳门", "macau", "macao"), "MO"),
    **dict.fromkeys(("台湾", "中国台湾", "taiwan"), "TW"),
    **dict.fromkeys(("新加坡", "singapore"), "SG"),
    **dict.fromkeys(("韩国", "korea", "south korea"), "KR"),
    **dict.fromkeys(("德国", "germany"), "DE"),
    **dict.fromkeys(("法国", "france"), "FR"),
    **dict.fromkeys(("加拿大", "canada"), "CA"),
    **dict.fromkeys(("澳大利亚", "澳洲", "australia"), "AU"),
    **dict.fromkeys(("马来西亚", "malaysia"), "MY"),
    **dict.fromkeys(("印度", "india"), "IN"),
    **dict.fromkeys(("泰国", "thailand"), "TH"),
    **dict.fromkeys(("越南", "vietnam"), "VN"),
    **dict.fromkeys(("印尼", "印度尼西亚", "indonesia"), "ID"),
    **dict.fromkeys(("菲律宾", "philippines"), "PH"),
}
_UTC_OFFSET = re.compile(r"^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?00)?$")


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
    """The canonical spelling of a zone name (or of a city: "shanghai", "new york", "北京"; or a
    whole-hour offset: "UTC+8" is Etc/GMT-8), or None."""
    name = _TZ_ALIASES.get(name.strip().lower(), name.strip())
    if (offset := _UTC_OFFSET.match(name.lower())) and int(offset.group(2)) <= 14:
        sign, hours = offset.groups()
        name = "UTC" if int(hours) == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"
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
        env.channel.lang, env.channel.lang_chosen = lang, True  # replies stop following
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
            (env.t("setting_lang"), _lang_state(env)),
            *((env.t(f"setting_{k.setting}"), k.describe(env, ch)) for k in schedule.KINDS),
            (env.t("setting_holidays"), ch.holidays or env.t("off")),
            (env.t("setting_all_clear"), env.t("on" if ch.remind_all_clear else "off")),
            (env.t("setting_charts"), env.t("on" if ch.digest_charts else "off")),
            (env.t("setting_dashboard"), env.t("on" if env.ws.dashboard else "off")),
            *_target_field(env),
            *_stopped_field(env),
        ],
    )


def _lang_state(env: Env) -> str:
    name = env.t(f"lang_name_{env.channel.lang}")
    return name if env.channel.lang_chosen else env.t("lang_follows", name=name)


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

    word = value.strip().lower()
    code = _COUNTRY_WORDS.get(word, word).upper()
    if word in OFF_WORDS:
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


# --- the workspace's API token (`POST /api/kpi`) ---------------------------------------------

REVOKE_WORDS = frozenset({"revoke", "delete", "off", "撤销", "吊销", "删除", "关"})
NEW_WORDS = frozenset({"", "new", "create", "新建", "创建", "生成"})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _api_token(env: Env, value: str) -> Reply:
    """A new token, shown this once and only to the admin who asked (the reply is secret: not
    announced, not kept for a replay); only its SHA-256 is stored. `revoke` revokes them all."""
    if env.me.role != Role.ADMIN:
        raise UserError("api_token_admin_only")
    word = value.strip().lower()
    if word in REVOKE_WORDS:
        count = queries.revoke_api_tokens(env.s, env.ws, env.now)
        return Reply(env.t("api_token_revoked", count=count))
    if word not in NEW_WORDS:
        raise UserError("api_token_bad_word", value=value[:40])
    token = "pl_" + secrets.token_urlsafe(32)
    queries.add_api_token(env.s, env.ws, token_hash(token), env.me.id, env.now)
    return Reply(
        env.t("setting_apitoken"),
        [Line(env.t("api_token_created", token=token)), Line(env.t("api_token_how"))],
        secret=True,
    )


def _charts(env: Env, value: str) -> Reply:
    """The Gantt chart of each red or yellow project in the weekly digest's thread, or not."""
    word = value.strip().lower()
    if word not in ON_WORDS | OFF_WORDS:
        raise UserError("bad_on_off")
    env.channel.digest_charts = word in ON_WORDS
    return Reply(env.t("charts_set", state=env.t("on" if word in ON_WORDS else "off")))


# --- the dashboard (`dashboard` / 仪表盘), workspace-wide -------------------------------------


def _dashboard(env: Env, value: str) -> Reply:
    """`settings dashboard on|off` (admins): off, no link of the workspace opens a page, and
    `dashboard` makes none; on again, links not yet expired open again."""
    if env.me.role != Role.ADMIN:
        raise UserError("admin_only", what=env.t("setting_dashboard"))
    word = value.strip().lower()
    if word not in ON_WORDS | OFF_WORDS:
        raise UserError("bad_on_off")
    env.ws.dashboard = word in ON_WORDS
    return Reply(env.t("dashboard_set", state=env.t("on" if env.ws.dashboard else "off")))


_OTHERS = {
    "holidays": _holidays,
    "allclear": _all_clear,
    "charts": _charts,
    "apitoken": _api_token,
    "dashboard": _dashboard,
}
