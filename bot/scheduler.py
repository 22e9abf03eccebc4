"""APScheduler inside `paceline serve`: one cron job per channel and kind, in the channel's own
zone (DST-correct), rebuilt when its settings change; a minute tick retries what failed and
rebuilds the jobs; at start, whatever was missed within the grace window goes out."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.delivery import Delivery, run_all
from handlers import schedule
from handlers.schedule import clock_time, cron_days
from storage import queries
from storage.models import Channel

log = logging.getLogger(__name__)

# Delivery keys are kept while a platform may still send the same request again (Slack retries
# within minutes, WeCom within seconds; a replayed slash command is refused after 5 minutes).
INBOUND_KEPT = timedelta(days=1)


def trigger_for(channel: Channel, kind: str) -> CronTrigger | None:
    """The cron trigger of a channel's scheduled post of `kind`, in the channel's zone."""
    at = clock_time(channel, kind)
    if at is None:
        return None
    days = cron_days(channel, kind)
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
        now = self.clock()
        self.delivery.retry_due(now)
        self.sync()
        with self.delivery.db.session() as s:
            queries.prune_inbound(s, now - INBOUND_KEPT)

    def sync(self) -> dict[str, str]:
        """Add, change or remove jobs to match every channel's settings now."""
        with self.delivery.db.session() as s:
            channels = [c for c, _w in queries.channels_with(s)]
        wanted: dict[str, tuple[Channel, str]] = {}
        for channel in channels:
            for kind in schedule.KINDS:
                if clock_time(channel, kind.name) is not None:
                    wanted[f"{kind.name}:{channel.id}"] = (channel, kind.name)
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
