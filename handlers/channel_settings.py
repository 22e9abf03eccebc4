"""`settings`: the channel's time zone and language (reminder and digest times join later)."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.reply import Line, Reply
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
    if cmd.setting == "webhook":
        return _webhook(env, cmd.text)
    ch = env.channel
    remind = f"{ch.remind_time} ({ch.remind_days})" if ch.remind_time else "off"
    digest = f"{ch.digest_day} {ch.digest_time}" if ch.digest_day else "off"
    return Reply(
        env.t("settings_title"),
        [Line(env.t("settings_hint"))],
        fields=[
            (env.t("setting_tz"), ch.tz),
            (env.t("setting_lang"), env.t(f"lang_name_{ch.lang}")),
            (env.t("setting_remind"), remind),
            (env.t("setting_digest"), digest),
            *_webhook_field(env),
        ],
    )


def _webhook_field(env: Env) -> list[tuple[str, str]]:
    if env.ctx.webhook_prefix is None:
        return []
    ch = env.channel
    state = (
        env.t("webhook_none")
        if not ch.webhook_url
        else env.t("webhook_paused")
        if ch.webhook_broken_at
        else "…" + ch.webhook_url[-6:]
    )
    return [(env.t("setting_webhook"), state)]


def _webhook(env: Env, value: str) -> Reply:
    """A group robot's webhook for scheduled posts: an admin's setting, and only an address on
    the platform's own API host (never a URL the bot would call elsewhere)."""
    prefix = env.ctx.webhook_prefix
    if prefix is None:
        raise UserError("no_webhooks")
    if env.me.role != Role.ADMIN:
        raise UserError("admin_only", what=env.t("setting_webhook"))
    url = value.strip()
    if "://" not in url and re.fullmatch(r"[A-Za-z0-9-]{8,100}", url):
        url = f"{prefix}?key={url}"  # the bare key works too
    if not url.startswith(prefix + "?") or "key=" not in url or len(url) > 500 or " " in url:
        raise UserError("bad_webhook", prefix=prefix)
    ch = env.channel
    ch.webhook_url, ch.webhook_broken_at, ch.webhook_broken_told = url, None, False
    return Reply(env.t("webhook_set", tail=url[-6:]))
