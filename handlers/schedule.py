"""When a channel's reminder and digest are due, as pure functions of its settings and `now`.

Times are wall-clock times in the channel's zone, so 09:30 stays 09:30 across a DST change.
With a holiday calendar, a public holiday is skipped and a swapped working weekend (调休)
counts as a working day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from storage.models import Channel

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KINDS = ("remind", "digest")


@cache
def _calendar(country: str, year: int):
    import holidays

    return holidays.country_holidays(country, years=year)


def is_due_on(channel: Channel, kind: str, day: date) -> bool:
    """Whether the channel's `kind` goes out on this local date at all."""
    if kind == "digest":
        return channel.digest_day is not None and WEEKDAYS[day.weekday()] == channel.digest_day
    if channel.remind_time is None:
        return False
    on_its_days = WEEKDAYS[day.weekday()] in channel.remind_days.split(",")
    if not channel.holidays:
        return on_its_days
    calendar = _calendar(channel.holidays, day.year)
    if day in calendar:
        return False  # a public holiday
    if day in getattr(calendar, "weekend_workdays", ()):
        return True  # a weekend swapped for a working day (调休)
    return on_its_days


def clock_time(channel: Channel, kind: str) -> time | None:
    value = channel.digest_time if kind == "digest" else channel.remind_time
    if kind == "digest" and channel.digest_day is None:
        return None
    if value is None:
        return None
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


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


def period(moment: datetime, channel: Channel) -> str:
    """The outbox key of an occurrence: its local date."""
    return moment.astimezone(ZoneInfo(channel.tz)).date().isoformat()
