"""APScheduler inside `paceline serve`: one cron job per channel and kind, in the channel's own
zone (DST-correct), rebuilt when its settings change; a minute tick retries what failed and
rebuilds the jobs; at start, whatever was missed within the grace window goes out."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.delivery import Delivery, run_all
from handlers.schedule import KINDS, clock_time
from storage import queries
from storage.models import Channel

log = logging.getLogger(__name__)


def trigger_for(channel: Channel, kind: str) -> CronTrigger | None:
    """The cron trigger of a channel's reminder or digest; with a holiday calendar it fires
    every day, and the job itself decides (holidays off, swapped working weekends on)."""
    at = clock_time(channel, kind)
    if at is None:
        return None
    if kind == "digest":
        days = channel.digest_day
    else:
        days = "mon,tue,wed,thu,fri,sat,sun" if channel.holidays else channel.remind_days
    return CronTrigger(day_of_week=days, hour=at.hour, minute=at.minute, timezone=channel.tz)


class Scheduler:
    def __init__(self, delivery: Delivery, *, clock=lambda: datetime.now(UTC)) -> None:
        self.delivery, self.clock = delivery, clock
        self.aps = BackgroundScheduler(
            timezone=UTC, job_defaults={"misfire_grace_time": 300, "coalesce": True}
        )
        self._signatures: dict[str, str] = {}

    def start(self) -> None:
        caught_up = run_all(self.delivery, self.clock())
        if caught_up:
            log.info(
                "start-up: %s", ", ".join(f"{o.kind} {o.channel}: {o.result}" for o in caught_up)
            )
        self.sync()
        self.aps.add_job(self.tick, "interval", minutes=1, id="tick")
        self.aps.start()

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)

    def tick(self) -> None:
        self.delivery.retry_due(self.clock())
        self.sync()

    def sync(self) -> dict[str, str]:
        """Add, change or remove jobs to match every channel's settings now."""
        with self.delivery.db.session() as s:
            channels = [c for c, _w in queries.channels_with(s)]
        wanted: dict[str, tuple[Channel, str]] = {}
        for channel in channels:
            for kind in KINDS:
                if clock_time(channel, kind) is not None:
                    wanted[f"{kind}:{channel.id}"] = (channel, kind)
        for job_id in set(self._signatures) - set(wanted):
            self.aps.remove_job(job_id)
            del self._signatures[job_id]
        for job_id, (channel, kind) in wanted.items():
            trigger = trigger_for(channel, kind)
            signature = f"{trigger} {channel.tz}"
            if self._signatures.get(job_id) == signature:
                continue
            self.aps.add_job(
                self.fire, trigger, args=[kind, channel.id], id=job_id, replace_existing=True
            )
            self._signatures[job_id] = signature
        return dict(self._signatures)

    def fire(self, kind: str, channel_id: int) -> None:
        for outcome in self.delivery.run(kind, self.clock(), channel_id=channel_id):
            log.info("%s %s %s: %s", outcome.kind, outcome.channel, outcome.period, outcome.result)
