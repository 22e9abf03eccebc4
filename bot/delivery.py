"""Scheduled posts, exactly once: each (channel, kind, local period) is claimed through a unique
outbox row, built fresh, posted part by part (progress saved after every message, so a resumed
post goes on where it stopped), retried with backoff on transient errors, and stopped for good
on permanent ones. The scheduler, the CLI and start-up catch-up all call `Delivery.run`."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.console import ConsolePoster
from handlers import Context, CoreConfig, Reply, schedule
from handlers.dispatch import report
from handlers.messages import fmt_date
from handlers.schedule import clock_time, is_due_on, last_due, period
from storage import queries
from storage.db import Database
from storage.models import Channel, Outbox, OutboxStatus, Workspace

log = logging.getLogger(__name__)

BOT_USER = "paceline-bot"
LEASE = timedelta(minutes=5)  # a poster that died frees its row after this
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Channels posted side by side. A posting thread spends nearly all its time waiting for its
# channel's next turn (Slack: a message a second), so the pool, not the CPU, caps the message
# rate: 8 threads post at most 8 messages a second across every channel.
POST_WORKERS = 32
# A one-shot run (`paceline remind` from cron) has no later tick to retry on: it waits out
# transient errors itself, this long in all, before it leaves a post pending and says so.
JOB_PATIENCE = 120.0
# Its waits between tries when the platform names none (a 5xx, a timeout, WeCom busy).
JOB_BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


class Transient(Exception):
    """Try again later (429, 5xx, a timeout, WeCom busy)."""

    def __init__(self, why: str, retry_after: float | None = None) -> None:
        super().__init__(why)
        self.retry_after = retry_after


class Permanent(Exception):
    """Stop posting to this channel (not found, bot removed, webhook refused)."""


class Patience:
    """How a one-shot run waits out transient errors within itself: a Retry-After as the
    platform asks, other errors after `backoff` (1 s, 2 s, 4 s, … the last repeated), each wait
    only if it ends before the deadline, `seconds` after the run began. The clock (monotonic
    seconds) and sleep are inputs, so tests wait on a pinned clock. Shared by the channels a
    run posts side by side: one deadline for the run."""

    def __init__(
        self,
        seconds: float = JOB_PATIENCE,
        *,
        backoff: tuple[float, ...] = JOB_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.seconds, self.backoff, self.clock, self.sleep = seconds, backoff, clock, sleep
        self.deadline = clock() + seconds

    def wait(self, err: Transient, backed_off: int) -> float | None:
        """Sleep before trying again what failed with `err`, `backed_off` waits without a
        Retry-After since it began; how long it slept, or None when the wait would end past the
        deadline (the post is then left for a later run)."""
        delay = err.retry_after
        if delay is None:
            delay = self.backoff[min(backed_off, len(self.backoff) - 1)]
        if self.clock() + delay > self.deadline:
            return None
        self.sleep(delay)
        return delay


@dataclass
class Progress:
    """How far a post got: the messages already posted and the thread they hang under."""

    parts_sent: int = 0
    thread_ref: str | None = None
    save: Callable[[Progress], None] = field(default=lambda _p: None, repr=False)

    def sent(self, thread_ref: str | None = None) -> None:
        self.parts_sent += 1
        if thread_ref is not None and self.thread_ref is None:
            self.thread_ref = thread_ref
        self.save(self)


class Poster(Protocol):
    def post(
        self, channel: Channel, workspace: Workspace, reply: Reply, progress: Progress
    ) -> None: ...


@dataclass
class Outcome:
    channel: str
    kind: str
    period: str
    result: str  # sent | nothing | skipped | taken | retry | failed | stopped | dry-run
    error: str | None = None  # why it is retry or failed: the platform's last error
    why: str | None = None  # a dry run: what a real run would do, in plain words


class ReadOnly(Database):
    """The database as a dry run sees it: every session is rolled back, so building a post
    (which may note the bot's member row on first sight) leaves nothing behind."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()


class Delivery:
    def __init__(
        self,
        db: Database,
        config: CoreConfig,
        posters: dict[str, Poster],
        *,
        grace: timedelta = timedelta(hours=3),
        workers: int = POST_WORKERS,
        patience: Patience | None = None,
    ) -> None:
        """Without `patience` (the scheduler in `paceline serve`), a transient error leaves the
        post pending for a later tick (`BACKOFF`); with it (a one-shot run), the run first
        retries it itself within that patience."""
        self.db, self.config, self.posters, self.grace = db, config, posters, grace
        self.workers, self.patience = workers, patience

    def context(
        self, channel: Channel, workspace: Workspace, now: datetime, *, read_only: bool = False
    ) -> Context:
        return Context(
            db=ReadOnly(self.db) if read_only else self.db,
            platform=workspace.platform,
            workspace=workspace.external_id,
            channel=channel.external_id,
            user=BOT_USER,
            user_name="Paceline",
            now=now,
            config=self.config,
        )

    def run(
        self,
        kind: str,
        now: datetime,
        *,
        channel: str | None = None,
        channel_id: int | None = None,
        dry_run: bool = False,
        force: bool = False,
        out: TextIO = sys.stdout,
    ) -> list[Outcome]:
        """Post `kind` wherever it is due at `now` (within the grace window), once. `channel`
        (a platform id) or `channel_id` narrows it to one channel. A dry run writes nothing
        (no outbox row, no skip): it prints what would be posted, and says for every channel
        what a real run would do and why."""
        with self.db.session() as s:
            targets = [
                (c, w)
                for c, w in queries.channels_with(s)
                if (channel is None or c.external_id == channel)
                and (channel_id is None or c.id == channel_id)
            ]
        outcomes: list[Outcome] = []
        claims: list[tuple[Channel, Workspace, str]] = []
        for ch, ws in targets:
            if dry_run:
                outcomes.append(self._dry_run(ch, ws, kind, now, force=force, out=out))
                continue
            if ws.platform not in self.posters:
                continue
            due = last_due(ch, kind, now) if not force else now
            if due is None:
                continue
            key = period(kind, due, ch) + (f"!{int(now.timestamp())}" if force else "")
            if ch.posts_stopped_at is not None and not force:
                outcomes.append(Outcome(ch.external_id, kind, key, "stopped"))
                continue
            if now - due > self.grace:
                outcomes.append(self._skip(ch, kind, key, now))
                continue
            claims.append((ch, ws, key))
        # Channels are posted side by side, each at its own platform's pace (Slack: about one
        # message a second per channel; a WeCom robot: 20 a minute), not one after another.
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="post") as pool:
            posted = pool.map(lambda c: self._claim_and_post(c[0], c[1], kind, c[2], now), claims)
            outcomes.extend(posted)
        return outcomes

    def _dry_run(
        self, ch: Channel, ws: Workspace, kind: str, now: datetime, *, force: bool, out: TextIO
    ) -> Outcome:
        """What a real run would do for this channel now, without writing anything: the post
        printed, or why nothing would be posted."""
        local = now.astimezone(ZoneInfo(ch.tz))
        today = local.date()

        def said(key: str, why: str, result: str = "dry-run") -> Outcome:
            return Outcome(ch.external_id, kind, key, result, why=why)

        due = now if force else last_due(ch, kind, now)
        at = clock_time(ch, kind)
        if at is None:
            return said(today.isoformat(), f"nothing would be posted: the {kind} is off here")
        if due is None:
            return said(
                today.isoformat(),
                f"nothing would be posted: no day in the last week was a {kind} day here",
            )
        key = period(kind, due, ch) + (f"!{int(now.timestamp())}" if force else "")
        if not force:
            if ch.posts_stopped_at is not None:
                return said(
                    key,
                    "nothing would be posted: posts to this channel are stopped "
                    f"({ch.posts_stopped_why})",
                )
            if now - due > self.grace:
                day = fmt_date("en", today, today)
                if not is_due_on(ch, kind, today):
                    why = (
                        f"nothing would be posted: today ({day}) is not a {kind} day here "
                        f"({_days_said(ch, kind)})"
                    )
                elif local.time() < at:
                    why = f"nothing would be posted yet: it goes out at {at:%H:%M} ({ch.tz})"
                else:
                    why = (
                        f"nothing would be posted: it was due at {due:%Y-%m-%d %H:%M %Z}, "
                        f"more than {self.grace.total_seconds() / 3600:g} h ago "
                        "(a real run marks it skipped)"
                    )
                return said(key, why)
            with self.db.session() as s:
                row = queries.outbox_row(s, ch.id, kind, key)
                if row is not None:
                    return said(key, f"nothing would be posted: already {_row_said(row)}")
        reply = report(kind, self.context(ch, ws, now, read_only=True))
        if reply is None:
            return said(key, "nothing would be posted: nothing is overdue or due today")
        ConsolePoster(out).post(ch, ws, reply, Progress())
        return said(key, "would post the message above")

    def _skip(self, ch: Channel, kind: str, key: str, now: datetime) -> Outcome:
        with self.db.session() as s:
            row = queries.claim_outbox(s, ch.id, kind, key, now, now)
            if row is None:
                return Outcome(ch.external_id, kind, key, "taken")
            row.status, row.last_error = OutboxStatus.SKIPPED, "down past the grace window"
        log.warning(
            "skipped the %s of %s for %s: the bot was down past the grace window",
            kind,
            ch.external_id,
            key,
        )
        return Outcome(ch.external_id, kind, key, "skipped")

    def _claim_and_post(
        self, ch: Channel, ws: Workspace, kind: str, key: str, now: datetime
    ) -> Outcome:
        with self.db.session() as s:
            row = queries.claim_outbox(s, ch.id, kind, key, now, now + LEASE)
            if row is None:
                return Outcome(ch.external_id, kind, key, "taken")
            row_id = row.id
        return self._post(row_id, ch, ws, kind, key, now)

    def retry_due(self, now: datetime) -> list[Outcome]:
        """Pending posts whose retry time has come, or whose poster died mid-way."""
        with self.db.session() as s:
            rows = [
                (r.id, r.kind, r.period, r.channel_id)
                for r in queries.lease_retries(s, now, now + LEASE)
            ]
            found = {c.id: (c, w) for c, w in queries.channels_with(s)}
        outcomes = []
        for row_id, kind, key, channel_id in rows:
            if channel_id not in found:
                continue
            ch, ws = found[channel_id]
            outcomes.append(self._post(row_id, ch, ws, kind, key, now))
        return outcomes

    def _post(
        self, row_id: int, ch: Channel, ws: Workspace, kind: str, key: str, now: datetime
    ) -> Outcome:
        def outcome(result: str, error: object = None) -> Outcome:
            return Outcome(ch.external_id, kind, key, result, str(error) if error else None)

        with self.db.session() as s:
            row = s.get(Outbox, row_id)
            progress = Progress(row.parts_sent, row.thread_ref, save=self._saver(row_id, now))
            attempts = row.attempts
        reply = report(kind, self.context(ch, ws, now))
        if reply is None:
            self._finish(row_id, OutboxStatus.SENT, now, note="nothing due")
            return outcome("nothing")
        poster = self.posters[ws.platform]
        backed_off = 0
        while True:
            try:
                poster.post(ch, ws, reply, progress)
                break
            except Permanent as err:
                self._finish(row_id, OutboxStatus.FAILED, now, note=str(err))
                with self.db.session() as s:
                    first = queries.stop_posts(s, ch.id, now, str(err))
                if first:
                    log.error(
                        "stopped scheduled posts to %s (%s): %s; they start again when someone "
                        "speaks there (or, on WeCom, when a group webhook is set)",
                        ch.external_id,
                        kind,
                        err,
                    )
                return outcome("failed", err)
            except Transient as err:
                # Within a one-shot run's patience the same attempt goes on (its lease holds,
                # and the post resumes after the parts already sent); past it, a later run's.
                slept = self.patience.wait(err, backed_off) if self.patience else None
                if slept is None:
                    result = self._later(row_id, attempts, now, err)
                    return outcome(result, err)
                backed_off += err.retry_after is None
                log.warning(
                    "%s of %s for %s: %s; trying again after waiting %.0f s",
                    kind,
                    ch.external_id,
                    key,
                    err,
                    slept,
                )
        self._finish(row_id, OutboxStatus.SENT, now)
        if ch.posts_stopped_at is not None:  # a forced post got through: the channel works again
            with self.db.session() as s:
                queries.resume_posts(s.get(Channel, ch.id))
        return outcome("sent")

    def _later(self, row_id: int, attempts: int, now: datetime, err: Transient) -> str:
        if attempts >= MAX_ATTEMPTS:
            self._finish(row_id, OutboxStatus.FAILED, now, note=f"gave up: {err}")
            log.error("gave up on outbox row %s after %s attempts: %s", row_id, attempts, err)
            return "failed"
        wait = BACKOFF[attempts - 1]
        if err.retry_after:
            wait = max(wait, timedelta(seconds=err.retry_after))
        with self.db.session() as s:
            row = s.get(Outbox, row_id)
            row.next_attempt_at, row.leased_until, row.last_error = now + wait, None, str(err)
        log.warning("outbox row %s: %s; trying again in %s", row_id, err, wait)
        return "retry"

    def _finish(self, row_id: int, status: OutboxStatus, now: datetime, note: str | None = None):
        with self.db.session() as s:
            row = s.get(Outbox, row_id)
            row.status, row.leased_until, row.last_error = status, None, note
            if status == OutboxStatus.SENT:
                row.sent_at = now

    def _saver(self, row_id: int, started: datetime) -> Callable[[Progress], None]:
        """Saves progress after each message and extends the lease while a long post goes on:
        `started` plus the time the post has taken so far (measured, not read off the wall
        clock, so a run at a pinned `now` leases from that `now`)."""
        began = time.monotonic()

        def save(progress: Progress) -> None:
            with self.db.session() as s:
                row = s.get(Outbox, row_id)
                row.parts_sent, row.thread_ref = progress.parts_sent, progress.thread_ref
                taken = timedelta(seconds=time.monotonic() - began)
                row.leased_until = started + taken + LEASE

        return save


def _days_said(ch: Channel, kind: str) -> str:
    days = schedule.BY_NAME[kind].days(ch)
    where = f"{days}" if days else "no days"
    if schedule.BY_NAME[kind].follows_holidays and ch.holidays:
        return f"{where}, less the public holidays of {ch.holidays}"
    return where


def _row_said(row: Outbox) -> str:
    if row.status == OutboxStatus.SENT:
        return f"sent at {row.sent_at:%Y-%m-%d %H:%M}Z" if row.sent_at else "sent"
    if row.status == OutboxStatus.PENDING:
        return "claimed and being posted (or waiting to retry)"
    return f"{row.status.value if hasattr(row.status, 'value') else row.status} ({row.last_error})"


def run_all(delivery: Delivery, now: datetime) -> list[Outcome]:
    """Everything due now, and every retry whose time has come (start-up catch-up, a tick)."""
    outcomes = delivery.retry_due(now)
    for kind in schedule.KINDS:
        outcomes.extend(delivery.run(kind.name, now))
    return outcomes
