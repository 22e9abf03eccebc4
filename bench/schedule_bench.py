"""Every channel's scheduled posts at scale: building each reminder and digest, and sending them.

    .venv/bin/python -m bench.schedule_bench            # 100,000 tasks in 1,000 channels
    .venv/bin/python -m bench.schedule_bench --quick    # 10,000 tasks in 100 channels

Setup (not measured): a SQLite file in a temporary directory, migrated by
`storage.db.Database.open`, filled in bulk with SQLAlchemy core `insert()`: 5 Slack workspaces,
1,000 channels of skewed sizes (log-normal: most hold 40-150 tasks, a few over 800), 100,000
tasks (exactly 10% open and overdue, 2% due today, 4% blocked with an open blocker, 40% closed,
5% of them closed this week), 200 projects, each a plan (issue 12: dates around `now`, a
20% buffer, 3 phases; the first plan with 20 KPIs split over them with 365 daily actuals each
(the issue's figure; `--kpi-projects all`: every plan), from
bench/plans_bench.py), a team of members per channel, a `created` event
for every task and status / progress / due events for a share of them, many within the last
week. `now` is Monday 2026-11-30 02:00 UTC (10:00 in Shanghai), when every channel's reminder
(09:30) and digest (Monday 10:00) is due.

Then, each in a fresh process spawned for it (so the setup's memory is not counted):

1. **build**: every channel's reminder, then every channel's digest, exactly as the scheduler
   builds them, `handlers.dispatch.report(kind, ctx)` with the Context of
   `bot.delivery.Delivery.context(channel, workspace, now)`, one thread. Wall time (the best of
   two passes) and the process's max RSS (`resource.getrusage`); another process runs it under
   `tracemalloc` for the Python heap's peak and counts the SQL statements per report.
2. **plain SQL**: the queries that fetch the same rows (with each plan's phases, KPIs, splits,
   latest actuals, and its open tasks in every channel counted as the digest counts them), as raw
   `sqlalchemy.text` with `.fetchall()` and nothing else, one connection per report as the
   build has one session (the best of two passes).
3. **the build's SELECTs, raw**: the statements the build sent, recorded in step 1's traced
   run, replayed with `.fetchall()` and nothing else: the database's share of the build.
4. **send**: `Delivery.run("remind", now)` through a `SlackPoster` whose `WebClient` points at
   a FakeSlack (tests/fakes/slack.py) in this process, paced as in production (one message a
   second per channel), 32 channels side by side (`Delivery`'s pool, `PACELINE_POST_WORKERS`;
   `--workers`). Each channel's own time is measured, and the same reminders are sent again
   with one worker, one channel after another, to set beside it. Then the digest (a parent and
   one thread reply per project, also paced) to every channel (`--digest-channels N`: the
   first N only).

Targets: build at most 3x the plain queries, max RSS under 300 MB, and sending bounded by the
slowest channels and the pool, not by the sum. Everything stays on 127.0.0.1 and every wait is
bounded. Exit status: 0 when all is met, 1 when a target is missed or a post failed, 2 when the
run itself could not be done.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import gc
import io
import logging
import math
import multiprocessing
import os
import pstats
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text, update

from bench import plans_bench
from bench.common import SCRUB_NAMES, mark, percentile, start_run
from bot.delivery import POST_WORKERS
from storage.db import Database
from storage.models import (
    Blocker,
    Channel,
    Kpi,
    KpiSplit,
    Member,
    Outbox,
    Phase,
    Project,
    Task,
    TaskEvent,
    Workspace,
)
from tests.fakes import slack as fk

RATIO_TARGET = 3.0
RSS_TARGET_MB = 300.0
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Shanghai
TOKEN = "xoxb-bench"
BOT_USER = "paceline-bot"  # bot.delivery.BOT_USER, made in setup as after a first run
SEND_WORKERS = POST_WORKERS  # Delivery's default pool
SEED = 20261130

BUILD_TIMEOUT_S = 900.0  # one measuring process (all channels) must finish within this
SEND_TIMEOUT_S = 420.0  # one Delivery.run must finish within this
INSERT_BATCH = 10_000


@dataclass(frozen=True)
class Scale:
    tasks: int
    channels: int
    projects: int
    workspaces: int = 5
    kpis_per_project: int = 20  # every project is a plan with 3 phases; these KPIs …
    actuals: int = 365  # … with these daily actuals each …
    kpi_projects: int | None = 1  # … on the first plan (issue 12's 20 KPIs); None: every plan


FULL = Scale(tasks=100_000, channels=1_000, projects=200)
QUICK = Scale(tasks=10_000, channels=100, projects=20)

# The channels' zones: every one is past 10:00 on Monday at NOW, so both posts are due.
ZONES = (
    ("Asia/Shanghai", 0.7),
    ("Asia/Singapore", 0.1),
    ("Asia/Hong_Kong", 0.1),
    ("Asia/Tokyo", 0.1),
)
CAUSES = ("resources", "dependency", "approval", "scope", "technical", "external", "other")
TITLES_EN = (
    "Write warm-up copy",
    "Design the key visual",
    "Book influencer slots",
    "Legal review of the terms",
    "Set up the coupon pool",
    "Schedule community posts",
    "Collect week-one data",
    "Brief the live-stream host",
)
TITLES_ZH = (
    "写预热文案",
    "设计主视觉",
    "预约达人档期",
    "法务审核活动规则",
    "配置优惠券池",
    "排期社群推送",
    "收集首周数据",
    "直播主播对稿",
)
PROJECT_NAMES = ("Double11", "双11", "Launch", "新品发布", "Content", "内容日历", "618", "年货节")


# --- setup: the database ------------------------------------------------------------------------


@dataclass
class Shape:
    """What setup made, for the report."""

    workspaces: int = 0
    channels: int = 0
    members: int = 0
    projects: int = 0
    tasks: int = 0
    overdue: int = 0
    due_today: int = 0
    blocked: int = 0
    open: int = 0
    closed_this_week: int = 0
    blockers: int = 0
    events: int = 0
    events_this_week: int = 0
    phases: int = 0
    kpis: int = 0
    actuals: int = 0
    sizes: list[int] = field(default_factory=list)  # tasks per channel
    seconds: float = 0.0
    db_mb: float = 0.0


def channel_sizes(rng: random.Random, scale: Scale) -> list[int]:
    """Tasks per channel, log-normal (median about 0.7 of the mean, a long tail), summing to
    exactly scale.tasks; at least 5 each."""
    raw = [rng.lognormvariate(0.0, 0.8) for _ in range(scale.channels)]
    factor = scale.tasks / sum(raw)
    sizes = [max(5, round(r * factor)) for r in raw]
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    i = 0
    while (diff := scale.tasks - sum(sizes)) != 0:
        j = order[i % len(order)]
        if diff > 0 or sizes[j] > 5:
            sizes[j] += 1 if diff > 0 else -1
        i += 1
    return sizes


def _at(day: date, rng: random.Random) -> datetime:
    """A moment during a (Shanghai) working day, as UTC."""
    local = datetime.combine(day, clock(9), ZoneInfo("Asia/Shanghai"))
    return (local + timedelta(seconds=rng.randrange(10 * 3600))).astimezone(UTC)


def _before_now(moment: datetime) -> datetime:
    return min(moment, NOW - timedelta(minutes=1))


def setup(url: str, scale: Scale) -> Shape:
    """Migrate and fill the database (in a child process: the rows built here would otherwise
    stay in the parent's memory, and a child forked from a big parent starts with a big
    ru_maxrss)."""
    db = Database.open(url)
    try:
        return populate(db, scale)
    finally:
        db.dispose()


def populate(db: Database, scale: Scale) -> Shape:
    """Fill the database (see the module docstring). Deterministic for a scale."""
    rng = random.Random(SEED)
    started = time.perf_counter()
    shape = Shape()
    today = NOW.astimezone(ZoneInfo("Asia/Shanghai")).date()
    week_start = NOW - timedelta(days=7)
    created0 = NOW - timedelta(days=400)

    workspaces = [
        dict(
            id=w + 1,
            platform="slack",
            external_id=f"T{w + 1:08d}",
            name=f"Workspace {w + 1}",
            next_task_number=1,
            created_at=created0,
        )
        for w in range(scale.workspaces)
    ]
    channels_per_ws = -(-scale.channels // scale.workspaces)
    members: list[dict] = []
    ws_members: dict[int, list[int]] = defaultdict(list)
    for w in range(1, scale.workspaces + 1):
        members.append(
            dict(
                id=len(members) + 1,
                workspace_id=w,
                external_id=BOT_USER,
                display_name="Paceline",
                name_key="paceline",
                tz=None,
                role="member",
                created_at=created0,
                updated_at=created0,
            )
        )
        for m in range(channels_per_ws * 2):
            zh = rng.random() < 0.6
            name = f"{'张三李四王五赵六'[m % 4 * 2 : m % 4 * 2 + 2]}{m}" if zh else f"member{m}"
            members.append(
                dict(
                    id=len(members) + 1,
                    workspace_id=w,
                    external_id=f"U{w:02d}{m:06d}",
                    display_name=name,
                    name_key=name.casefold(),
                    tz="Asia/Shanghai",
                    role="admin" if m % 50 == 0 else "member",
                    created_at=created0,
                    updated_at=created0,
                )
            )
            ws_members[w].append(len(members))
    projects: list[dict] = []
    ws_projects: dict[int, list[int]] = defaultdict(list)
    for p in range(scale.projects):
        w = p % scale.workspaces + 1
        name = f"{PROJECT_NAMES[p % len(PROJECT_NAMES)]}-{p + 1}"
        projects.append(
            dict(id=p + 1, workspace_id=w, name=name, key=name.casefold(), created_at=created0)
        )
        ws_projects[w].append(p + 1)

    channels: list[dict] = []
    teams: dict[int, list[int]] = {}
    channel_projects: dict[int, list[int]] = {}
    for c in range(scale.channels):
        w = c % scale.workspaces + 1
        tz = rng.choices([z for z, _ in ZONES], [p for _, p in ZONES])[0]
        lang = "zh" if rng.random() < 0.6 else "en"
        channels.append(plans_bench.channel_row(c + 1, w, f"C{c + 1:08d}", tz, lang, created0))
        teams[c + 1] = rng.sample(ws_members[w], rng.randint(4, 12))
        channel_projects[c + 1] = rng.sample(ws_projects[w], min(len(ws_projects[w]), 2 + c % 5))

    sizes = channel_sizes(rng, scale)
    # Exact shares: 10% overdue, 2% due today, 5% due in 1-2 days, 38% later, 5% without a
    # date, 5% closed this week, the rest (35%) closed before.
    n = scale.tasks
    counts = {
        "overdue": n // 10,
        "today": n * 2 // 100,
        "soon": n * 5 // 100,
        "later": n * 38 // 100,
        "nodue": n * 5 // 100,
        "closed_week": n * 5 // 100,
    }
    counts["closed_old"] = n - sum(counts.values())
    kinds = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(kinds)

    tasks: list[dict] = []
    blockers: list[dict] = []
    events: list[dict] = []
    numbers = Counter()

    def add_event(task_id, actor, field_, old, new, at, note=None):
        events.append(
            dict(task_id=task_id, actor_id=actor, field=field_, old=old, new=new, note=note, at=at)
        )
        shape.events_this_week += at >= week_start

    k = 0
    for c, size in zip(range(1, scale.channels + 1), sizes, strict=True):
        w = channels[c - 1]["workspace_id"]
        zh = channels[c - 1]["lang"] == "zh"
        team = teams[c]
        for _ in range(size):
            kind = kinds[k]
            k += 1
            task_id = k
            numbers[w] += 1
            creator = rng.choice(team)
            assignee = rng.choice(team) if rng.random() < 0.95 else None
            project = rng.choice(channel_projects[c]) if rng.random() < 0.9 else None
            closed_at = None
            due: date | None
            if kind == "overdue":
                due = today - timedelta(days=rng.randint(1, 30))
                created = _at(due - timedelta(days=rng.randint(5, 45)), rng)
            elif kind == "closed_week":
                closed_at = NOW - timedelta(seconds=rng.randrange(7 * 86400 - 3600))
                created = closed_at - timedelta(days=rng.randint(2, 40))
                due = (closed_at + timedelta(days=rng.randint(-3, 5))).date()
            elif kind == "closed_old":
                closed_at = NOW - timedelta(days=rng.randint(8, 200), hours=rng.randint(0, 23))
                created = closed_at - timedelta(days=rng.randint(2, 40))
                due = (closed_at + timedelta(days=rng.randint(-3, 5))).date()
            else:
                created = _before_now(_at(today - timedelta(days=rng.randint(0, 60)), rng))
                due = {
                    "today": today,
                    "soon": today + timedelta(days=rng.randint(1, 2)),
                    "later": today + timedelta(days=rng.randint(3, 60)),
                    "nodue": None,
                }[kind]
            if closed_at is not None:
                status = "done" if rng.random() < 0.9 else "cancelled"
                progress = 100 if status == "done" else rng.randrange(0, 80, 10)
            else:
                shape.open += 1
                blocked = rng.random() < (0.2 if kind == "overdue" else 0.03)
                status = "blocked" if blocked else ("doing" if rng.random() < 0.55 else "todo")
                progress = 0 if status == "todo" else rng.randrange(0, 95, 5)
            shape.overdue += kind == "overdue"
            shape.due_today += kind == "today"
            shape.closed_this_week += kind == "closed_week"
            title = rng.choice(TITLES_ZH if zh else TITLES_EN) + f" {numbers[w]}"
            add_event(task_id, creator, "created", None, None, created)
            last = created
            if status in ("doing", "blocked", "done"):
                started_at = _before_now(created + timedelta(hours=rng.randint(1, 96)))
                if closed_at is not None:
                    started_at = min(started_at, closed_at - timedelta(minutes=5))
                add_event(task_id, assignee or creator, "status", "todo", "doing", started_at)
                last = started_at
            if status == "doing" and rng.random() < 0.5:
                at = max(last, NOW - timedelta(seconds=rng.randrange(7 * 86400)))
                old = max(0, progress - 20)
                add_event(task_id, assignee or creator, "progress", str(old), str(progress), at)
                last = at
            if status == "blocked":
                at = max(last, NOW - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 20)))
                at = _before_now(at)
                reporter = assignee or creator
                blockers.append(
                    dict(
                        task_id=task_id,
                        reason=rng.choice(("设计资源不足", "waiting for legal", "供应商延期")),
                        cause=rng.choice(CAUSES),
                        reported_by_id=reporter,
                        reported_at=at,
                        resolved_by_id=None,
                        resolved_at=None,
                        note=None,
                    )
                )
                add_event(task_id, reporter, "status", "doing", "blocked", at)
                last = at
            elif closed_at is None and rng.random() < 0.03:  # a blocker met and cleared
                at = _before_now(created + timedelta(hours=rng.randint(2, 200)))
                blockers.append(
                    dict(
                        task_id=task_id,
                        reason="waiting for review",
                        cause="approval",
                        reported_by_id=creator,
                        reported_at=at,
                        resolved_by_id=creator,
                        resolved_at=_before_now(at + timedelta(hours=5)),
                        note="approved",
                    )
                )
            if due is not None and closed_at is None and rng.random() < 0.04:  # slipped
                at = max(last, NOW - timedelta(seconds=rng.randrange(7 * 86400)))
                old_due = due - timedelta(days=rng.randint(2, 10))
                add_event(task_id, creator, "due", old_due.isoformat(), due.isoformat(), at)
                last = at
            if closed_at is not None:
                add_event(task_id, assignee or creator, "status", "doing", status, closed_at)
                last = closed_at
            shape.blocked += status == "blocked"
            tasks.append(
                dict(
                    id=task_id,
                    workspace_id=w,
                    number=numbers[w],
                    title=title,
                    channel_id=c,
                    assignee_id=assignee,
                    creator_id=creator,
                    project_id=project,
                    start_date=created.date() if rng.random() < 0.5 else None,
                    due_date=due,
                    status=status,
                    progress=progress,
                    created_at=created,
                    updated_at=last,
                    closed_at=closed_at,
                )
            )
    for ws in workspaces:
        ws["next_task_number"] = numbers[ws["id"]] + 1
    # Every project a plan (issue 12): dates around today, a 20% buffer, three phases, KPIs
    # split over them with a year of daily actuals. Their own random stream, so the tasks
    # above stay the ones the earlier runs measured.
    plan_rng = random.Random(SEED + 12)
    plans, phases = plans_bench.plan_rows(plan_rng, [p["id"] for p in projects], today, created0)
    for p in projects:
        p.update(plans[p["id"]])

    with db.engine.begin() as conn:
        for model, rows in (
            (Workspace, workspaces),
            (Member, members),
            (Channel, channels),
            (Project, projects),
            (Phase, phases),
            (Task, tasks),
            (Blocker, blockers),
            (TaskEvent, events),
        ):
            for i in range(0, len(rows), INSERT_BATCH):
                conn.execute(insert(model.__table__), rows[i : i + INSERT_BATCH])
        conn.execute(
            text(
                "UPDATE task SET phase_id = (SELECT phase.id FROM phase"
                " WHERE phase.project_id = task.project_id"
                " AND task.due_date BETWEEN phase.start_date AND phase.end_date)"
                " WHERE project_id IS NOT NULL AND due_date IS NOT NULL"
            )
        )
        kpi_rows = plans_bench.kpi_rows(
            plan_rng,
            [p["id"] for p in projects][: scale.kpi_projects],
            scale.kpis_per_project,
            created0,
        )
        for i in range(0, len(kpi_rows), INSERT_BATCH):
            conn.execute(insert(Kpi.__table__), kpi_rows[i : i + INSERT_BATCH])
        kpis = [
            (int(r[0]), int(r[1]), float(r[2]))
            for r in conn.execute(text("SELECT id, project_id, target FROM kpi ORDER BY id"))
        ]
        phases_of: dict[int, list[int]] = defaultdict(list)
        for phase_id, project_id in conn.execute(
            text("SELECT id, project_id FROM phase ORDER BY project_id, start_date")
        ):
            phases_of[project_id].append(phase_id)
        splits = plans_bench.split_rows(kpis, phases_of)
        for i in range(0, len(splits), INSERT_BATCH):
            conn.execute(insert(KpiSplit.__table__), splits[i : i + INSERT_BATCH])
    shape.actuals = plans_bench.bulk(
        db,
        "kpi_actual",
        ("kpi_id", "value", "at", "member_id", "source"),
        plans_bench.prepared(db, plans_bench.actual_rows(plan_rng, kpis, scale.actuals, NOW)),
    )
    shape.phases, shape.kpis = len(phases), len(kpis)
    raw = db.engine.raw_connection()  # outside a transaction: fold the WAL into the file
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    shape.workspaces, shape.channels, shape.members = len(workspaces), len(channels), len(members)
    shape.projects, shape.tasks, shape.blockers = len(projects), len(tasks), len(blockers)
    shape.events, shape.sizes = len(events), sizes
    shape.seconds = time.perf_counter() - started
    return shape


# --- measuring, in a fresh process each ----------------------------------------------------------


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _hwm_mb() -> float:
    """The peak RSS of this process image (Linux VmHWM), a cross-check of ru_maxrss."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return math.nan


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _quiet_logging() -> list[logging.LogRecord]:
    """Keeps WARNING and above, to count them, and prints nothing."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    root.handlers[:] = [Keep(logging.WARNING)]
    root.setLevel(logging.WARNING)
    return records


def settle() -> None:
    """bot.web.settle, without importing the web server and both doors' SDKs into a process that
    measures the build's memory."""
    gc.collect()
    gc.freeze()


def _targets(db: Database) -> list:
    from storage import queries

    with db.session() as s:
        return list(queries.channels_with(s))


def build_all(url: str, mode: str = "time", passes: int = 1, profile_channels: int = 0) -> dict:
    """Every channel's reminder, then every channel's digest, through report(); the best of
    `passes`. `mode`: "time" (wall time and max RSS), "trace" (tracemalloc's peak and the SQL
    statements per report) or "profile" (cProfile of the first `profile_channels` channels)."""
    from bot.delivery import Delivery
    from handlers import CoreConfig
    from handlers.dispatch import report

    problems = _quiet_logging()
    db = Database.open(url, migrate=False)
    delivery = Delivery(db, CoreConfig(default_tz="Asia/Shanghai"), {})
    targets = _targets(db)
    settle()  # as `paceline serve` does (bot.web.settle) before its scheduler builds anything
    if mode == "profile":
        targets = targets[:profile_channels]
    statements: Counter = Counter()
    current = ["remind"]
    sent: list[tuple[str, list]] = []  # each report's SELECTs as the driver got them
    if mode == "trace":

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(conn, cursor, statement, params, context, executemany):
            verb = statement.split(None, 1)[0].upper()
            statements[(current[0], verb)] += 1
            if verb == "SELECT":
                sent[-1][1].append((statement, params))

    rss_before = _rss_mb()
    if mode == "trace":
        tracemalloc.start()
    profiler = cProfile.Profile() if mode == "profile" else None
    best: dict | None = None
    for _ in range(passes):
        per: dict[str, list[float]] = {"remind": [], "digest": []}
        made = Counter()
        started, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        for kind in ("remind", "digest"):
            current[0] = kind
            for ch, ws in targets:
                sent.append((kind, []))
                t0 = time.perf_counter()
                reply = report(kind, delivery.context(ch, ws, NOW))
                per[kind].append(time.perf_counter() - t0)
                if reply is None:
                    made[f"{kind} nothing due"] += 1
                elif reply.error:
                    made[f"{kind} error"] += 1
                else:
                    made[f"{kind} replies"] += 1
                    made[f"{kind} lines"] += len(reply.lines) + sum(
                        len(r.lines) for r in reply.thread
                    )
                    made[f"{kind} thread replies"] += len(reply.thread)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
        if best is None or wall < best["wall"]:
            best = {"wall": wall, "cpu": cpu, "per": per, "made": dict(made)}
    out = {
        **best,
        "channels": len(targets),
        "passes": passes,
        "rss_before": rss_before,
        "maxrss": _maxrss_mb(),
        "hwm": _hwm_mb(),
        "problems": [r.getMessage() for r in problems if r.levelno >= logging.ERROR][:5],
        "statements": {f"{k} {v}": n // passes for (k, v), n in statements.items()},
    }
    if mode == "trace":
        out["traced_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out["sent"] = sent
    if profiler is not None:
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        out["profile"] = buf.getvalue()
    db.dispose()
    return out


# The plain queries: the rows report() fetches, and nothing more.
CHANNEL_SQL = text(
    "SELECT channel.* FROM channel JOIN workspace ON channel.workspace_id = workspace.id "
    "WHERE workspace.platform = :platform AND workspace.external_id = :ws "
    "AND channel.external_id = :ch"
)
OPEN = "('todo', 'doing', 'blocked')"
REMIND_SQL = [
    CHANNEL_SQL,
    text(
        f"SELECT * FROM task WHERE channel_id = :c AND status IN {OPEN} AND due_date < :tomorrow "
        "ORDER BY due_date IS NULL, due_date, number"
    ),
    text(
        "SELECT * FROM member WHERE id IN (SELECT assignee_id FROM task WHERE channel_id = :c "
        f"AND status IN {OPEN} AND due_date < :tomorrow)"
    ),
    text(
        "SELECT blocker.* FROM blocker JOIN task ON blocker.task_id = task.id "
        "WHERE task.channel_id = :c AND task.status = 'blocked' AND task.due_date < :tomorrow "
        "AND blocker.resolved_at IS NULL"
    ),
]
DIGEST_PROJECTS = (
    "(SELECT project_id FROM task WHERE channel_id = :c "
    f"AND (status IN {OPEN} OR closed_at >= :start))"
)
DIGEST_SQL = [
    CHANNEL_SQL,
    text(
        f"SELECT * FROM task WHERE channel_id = :c AND (status IN {OPEN} OR closed_at >= :start) "
        "ORDER BY number"
    ),
    text(
        "SELECT task_event.* FROM task_event JOIN task ON task_event.task_id = task.id "
        "WHERE task.channel_id = :c AND task_event.at >= :start AND task_event.at < :end "
        "ORDER BY task_event.at, task_event.id"
    ),
    text(
        "SELECT task_id, max(at) FROM task_event WHERE task_id IN "
        f"(SELECT id FROM task WHERE channel_id = :c AND status IN {OPEN}) GROUP BY task_id"
    ),
    text(
        "SELECT * FROM member WHERE id IN (SELECT assignee_id FROM task WHERE channel_id = :c "
        f"AND (status IN {OPEN} OR closed_at >= :start))"
    ),
    text(
        "SELECT * FROM project WHERE id IN (SELECT project_id FROM task WHERE channel_id = :c "
        f"AND (status IN {OPEN} OR closed_at >= :start))"
    ),
    text(
        "SELECT blocker.* FROM blocker JOIN task ON blocker.task_id = task.id "
        "WHERE task.channel_id = :c AND task.status = 'blocked' AND blocker.resolved_at IS NULL"
    ),
    # each plan's state (handlers/plan_state.py `states`): its phases, KPIs, their splits and
    # latest actuals, and its open tasks in every channel counted: the red ones, the first and
    # last due dates, the oldest open blocker of a blocked task
    text(f"SELECT phase.* FROM phase WHERE project_id IN {DIGEST_PROJECTS}"),
    text(f"SELECT kpi.* FROM kpi WHERE project_id IN {DIGEST_PROJECTS}"),
    text(
        "SELECT kpi_split.* FROM kpi_split JOIN kpi ON kpi_split.kpi_id = kpi.id "
        f"WHERE kpi.project_id IN {DIGEST_PROJECTS}"
    ),
    text(
        "SELECT a.* FROM kpi JOIN kpi_actual a ON a.id = (SELECT b.id FROM kpi_actual b "
        "WHERE b.kpi_id = kpi.id ORDER BY b.at DESC, b.id DESC LIMIT 1) "
        f"WHERE kpi.project_id IN {DIGEST_PROJECTS}"
    ),
    text(
        "SELECT p.id, "
        "(SELECT count(*) FROM task t WHERE t.project_id = p.id AND t.status = 'blocked'), "
        "(SELECT count(*) FROM task t WHERE t.project_id = p.id AND t.status IN ('todo', 'doing')"
        " AND t.due_date < :today), "
        f"(SELECT min(t.due_date) FROM task t WHERE t.project_id = p.id AND t.status IN {OPEN}), "
        f"(SELECT max(t.due_date) FROM task t WHERE t.project_id = p.id AND t.status IN {OPEN}) "
        f"FROM project p WHERE p.id IN {DIGEST_PROJECTS}"
    ),
    text(
        "SELECT task.project_id, min(blocker.reported_at) FROM task JOIN blocker"
        " ON blocker.task_id = task.id AND blocker.resolved_at IS NULL"
        f" WHERE task.project_id IN {DIGEST_PROJECTS} AND task.status = 'blocked'"
        " GROUP BY task.project_id"
    ),
]


def _stored(moment: datetime) -> str:
    """A moment as SQLAlchemy stores it in SQLite: naive UTC text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def plain_params(ch: Channel, ws: Workspace) -> dict:
    """The bounds report() works out from the channel's zone (reports.digest, week_of)."""
    zone = ZoneInfo(ch.tz)
    today = NOW.astimezone(zone).date()
    return {
        "platform": ws.platform,
        "ws": ws.external_id,
        "ch": ch.external_id,
        "c": ch.id,
        "today": today.isoformat(),
        "tomorrow": (today + timedelta(days=1)).isoformat(),
        "start": _stored(datetime.combine(today - timedelta(days=7), clock(0), zone)),
        "end": _stored(datetime.combine(today, clock(0), zone)),
    }


def plain_all(url: str, passes: int = 2) -> dict:
    """The plain queries for every channel, reminders then digests; the best of `passes`."""
    _quiet_logging()
    db = Database.open(url, migrate=False)
    params = [plain_params(ch, ws) for ch, ws in _targets(db)]
    settle()  # the same as the build gets
    best: dict | None = None
    for _ in range(passes):
        per: dict[str, list[float]] = {"remind": [], "digest": []}
        rows = Counter()
        started = time.perf_counter()
        for kind, queries_ in (("remind", REMIND_SQL), ("digest", DIGEST_SQL)):
            for p in params:
                t0 = time.perf_counter()
                with db.engine.connect() as conn:
                    for q in queries_:
                        rows[kind] += len(conn.execute(q, p).fetchall())
                per[kind].append(time.perf_counter() - t0)
        wall = time.perf_counter() - started
        if best is None or wall < best["wall"]:
            best = {"wall": wall, "per": per, "rows": dict(rows)}
    best.update(channels=len(params), maxrss=_maxrss_mb(), passes=passes)
    db.dispose()
    return best


def replay_all(url: str, sent: list[tuple[str, list]], passes: int = 2) -> dict:
    """The build's own SELECTs, as the driver received them, replayed raw with `.fetchall()`
    and nothing else, one connection per report; the best of `passes`. What the database
    costs of the build, so the rest is Python's."""
    _quiet_logging()
    db = Database.open(url, migrate=False)
    settle()
    best: dict | None = None
    for _ in range(passes):
        per: dict[str, list[float]] = {"remind": [], "digest": []}
        rows = Counter()
        started = time.perf_counter()
        for kind, statements in sent:
            t0 = time.perf_counter()
            with db.engine.connect() as conn:
                for sql, params in statements:
                    rows[kind] += len(conn.exec_driver_sql(sql, params).fetchall())
            per[kind].append(time.perf_counter() - t0)
        wall = time.perf_counter() - started
        if best is None or wall < best["wall"]:
            best = {"wall": wall, "per": per, "rows": dict(rows)}
    best.update(channels=len(sent) // 2, maxrss=_maxrss_mb(), passes=passes)
    db.dispose()
    return best


# --- sending --------------------------------------------------------------------------------------


def send_all(url: str, base_url: str, kind: str, workers: int) -> dict:
    """Delivery.run(kind, NOW) to a FakeSlack, each channel's post timed."""
    for name in SCRUB_NAMES:  # the WebClient would take a proxy from the environment
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    from slack_sdk import WebClient

    from bot.delivery import Delivery
    from bot.pacing import Pacer
    from bot.slack import SlackPoster
    from handlers import CoreConfig

    problems = _quiet_logging()

    class CountingPacer(Pacer):
        """The real pacing, counting each channel's messages and the time it waited."""

        def __init__(self) -> None:
            super().__init__(limit=1, per=1.0)
            self.sends: Counter = Counter()
            self.waited: defaultdict[str, float] = defaultdict(float)

        def wait(self, key: str) -> float:
            waited = super().wait(key)
            self.sends[key] += 1
            self.waited[key] += waited
            return waited

    class TimedDelivery(Delivery):
        """Delivery as it is, with each channel's claim, build and post timed."""

        durations: dict[str, float] = {}  # noqa: RUF012 (one instance)

        def _claim_and_post(self, ch, ws, kind_, key, now):
            t0 = time.perf_counter()
            try:
                return super()._claim_and_post(ch, ws, kind_, key, now)
            finally:
                self.durations[ch.external_id] = time.perf_counter() - t0

    db = Database.open(url, migrate=False)
    pacer = CountingPacer()
    poster = SlackPoster(WebClient(token=TOKEN, base_url=base_url, timeout=30), pacer)
    delivery = TimedDelivery(
        db, CoreConfig(default_tz="Asia/Shanghai"), {"slack": poster}, workers=workers
    )
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = delivery.run(kind, NOW)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.dispose()
    return {
        "kind": kind,
        "workers": workers,
        "wall": wall,
        "cpu": cpu,
        "results": dict(Counter(o.result for o in outcomes)),
        "durations": dict(delivery.durations),
        "sends": dict(pacer.sends),
        "waited": dict(pacer.waited),
        "maxrss": _maxrss_mb(),
        "problems": [r.getMessage() for r in problems if r.levelno >= logging.ERROR][:5],
        "warnings": len([r for r in problems if r.levelno == logging.WARNING]),
    }


@dataclass
class Sending:
    kind: str
    channels: int  # channels the run was for
    wall: float
    results: dict
    posted: int  # chat.postMessage calls the fake received
    durations: dict[str, float]
    sends: dict[str, int]
    waited: dict[str, float]
    workers: int
    problems: list[str]
    warnings: int
    cpu: float  # the sending process's CPU seconds (user + system)

    @property
    def sum_s(self) -> float:
        """One channel after another: the sum of each channel's own time."""
        return sum(self.durations.values())

    @property
    def pacing_floor_s(self) -> float:
        """What pacing alone costs one channel after another: (messages - 1) s a channel."""
        return float(sum(max(0, n - 1) for n in self.sends.values()))

    @property
    def slowest_s(self) -> float:
        return max(self.durations.values(), default=math.nan)

    @property
    def bound_s(self) -> float:
        """The slowest channel or the sum shared by the pool, whichever is more."""
        return max(self.slowest_s, self.sum_s / self.workers)

    @property
    def ok(self) -> bool:
        """Every channel's post went out and, side by side, the wall time stayed near the
        bound (the pool's rounds make it a little more) and well below the sum."""
        sent = self.results.get("sent", 0) + self.results.get("nothing", 0)
        if self.workers == 1:
            return sent == self.channels and not self.problems
        bounded = self.wall <= 1.5 * self.bound_s + 5 and self.wall < self.sum_s
        return sent == self.channels and not self.problems and bounded


def measure_send(
    pool, url: str, fake: fk.FakeSlack, kind: str, channels: int, workers: int = SEND_WORKERS
) -> Sending:
    before = len(fake.calls_to("chat.postMessage"))
    got = pool.apply_async(send_all, (url, fake.base_url, kind, workers)).get(SEND_TIMEOUT_S)
    posted = len(fake.calls_to("chat.postMessage")) - before
    return Sending(
        kind=kind,
        channels=channels,
        wall=got["wall"],
        results=got["results"],
        posted=posted,
        durations=got["durations"],
        sends=got["sends"],
        waited=got["waited"],
        workers=got["workers"],
        problems=got["problems"],
        warnings=got["warnings"],
        cpu=got["cpu"],
    )


def only_channels(db: Database, kind: str, n: int) -> None:
    """Turn `kind` off in every channel but the first n (setup for a smaller sending run)."""
    column = Channel.digest_day if kind == "digest" else Channel.remind_time
    with db.engine.begin() as conn:
        conn.execute(update(Channel).where(Channel.id > n).values({column.key: None}))
        conn.execute(Outbox.__table__.delete())


# --- figures ------------------------------------------------------------------------------------


def ms(values: list[float], p: float) -> float:
    return percentile(values, p) * 1000


@dataclass
class Verdict:
    ratio: float
    ratio_ok: bool
    rss_ok: bool
    errors_ok: bool  # no report came back as an error, nothing logged at ERROR
    send_ok: bool  # every channel's post went out, bounded by the slowest and the pool

    @property
    def ok(self) -> bool:
        return self.ratio_ok and self.rss_ok and self.errors_ok and self.send_ok


def verdict(build: dict, plain: dict, sends: list[Sending]) -> Verdict:
    ratio = build["wall"] / plain["wall"] if plain["wall"] > 0 else math.nan
    errors = build["made"].get("remind error", 0) + build["made"].get("digest error", 0)
    return Verdict(
        ratio=ratio,
        ratio_ok=ratio <= RATIO_TARGET,
        rss_ok=build["maxrss"] < RSS_TARGET_MB,
        errors_ok=errors == 0 and not build["problems"],
        send_ok=bool(sends) and all(s.ok for s in sends),
    )


def shape_line(shape: Shape) -> str:
    sizes = sorted(shape.sizes)
    return (
        f"{shape.tasks:,} tasks in {shape.channels:,} channels ({shape.workspaces} Slack "
        f"workspaces; tasks a channel: median {percentile(sizes, 50):.0f}, p99 "
        f"{percentile(sizes, 99):.0f}, max {sizes[-1]}), {shape.overdue:,} overdue, "
        f"{shape.due_today:,} due today, {shape.blocked:,} blocked ({shape.blockers:,} blocker "
        f"rows), {shape.open:,} open, {shape.closed_this_week:,} closed this week; "
        f"{shape.projects} plans ({shape.phases} phases, {shape.kpis:,} KPIs, "
        f"{shape.actuals:,} KPI actuals), {shape.members:,} members, {shape.events:,} task events "
        f"({shape.events_this_week:,} in the last week); database {shape.db_mb:.0f} MB, "
        f"set up in {shape.seconds:.1f} s (not measured)"
    )


OWN = "the build's SELECTs, raw"


def table(build: dict, plain: dict, own: dict) -> str:
    head = f"{'measure':<34}{'wall s':>8}{'remind ms p50/p99/max':>24}{'digest ms p50/p99/max':>24}"
    lines = [head, "-" * len(head)]
    measures = (("plain SQL (same rows)", plain), (OWN, own), ("report() remind + digest", build))
    for name, got in measures:
        cells = []
        for kind in ("remind", "digest"):
            per = got["per"][kind]
            cells.append(f"{ms(per, 50):.1f}/{ms(per, 99):.1f}/{max(per) * 1000:.1f}")
        lines.append(f"{name:<34}{got['wall']:>8.2f}{cells[0]:>24}{cells[1]:>24}")
    return "\n".join(lines)


def send_table(sends: list[Sending]) -> str:
    head = (
        f"{'send':<8}{'pool':>5}{'channels':>9}{'posted':>8}{'wall s':>8}{'sum s':>8}"
        f"{'pacing s':>10}{'slowest s':>11}{'bound s':>9}"
    )
    lines = [head, "-" * len(head)]
    for s in sends:
        lines.append(
            f"{s.kind:<8}{s.workers:>5}{s.channels:>9}{s.posted:>8}{s.wall:>8.1f}{s.sum_s:>8.1f}"
            f"{s.pacing_floor_s:>10.0f}{s.slowest_s:>11.1f}{s.bound_s:>9.1f}"
        )
    return "\n".join(lines)


def build_lines(build: dict, trace: dict, plain: dict, own: dict, v: Verdict) -> list[str]:
    made = build["made"]
    per_report = {k: n / build["channels"] for k, n in trace["statements"].items()}
    sql = ", ".join(f"{k} {n:.1f}" for k, n in sorted(per_report.items()))
    return [
        f"build {build['wall']:.2f} s (best of {build['passes']} passes, {build['cpu']:.2f} s "
        f"CPU) for {build['channels']} reminders and "
        f"{build['channels']} digests ({made.get('remind replies', 0)} reminders, "
        f"{made.get('remind nothing due', 0)} with nothing due; {made.get('digest replies', 0)} "
        f"digests with {made.get('digest thread replies', 0)} thread replies; "
        f"{made.get('remind lines', 0) + made.get('digest lines', 0):,} lines)",
        f"plain SQL {plain['wall']:.2f} s (best of {plain['passes']} passes; "
        f"{plain['rows']['remind'] + plain['rows']['digest']:,} rows)",
        f"build / plain = {v.ratio:.1f}x (target <= {RATIO_TARGET:.0f}x): {mark(v.ratio_ok)}",
        f"{OWN} {own['wall']:.2f} s (best of {own['passes']} passes; "
        f"{own['rows']['remind'] + own['rows']['digest']:,} rows): the database's share; "
        f"build / {OWN} = {build['wall'] / own['wall']:.1f}x (no target: the rest is Python)",
        f"max RSS {build['maxrss']:.0f} MB (getrusage; VmHWM {build['hwm']:.0f} MB; "
        f"{build['rss_before']:.0f} MB before the first report; target < "
        f"{RSS_TARGET_MB:.0f} MB): {mark(v.rss_ok)}; tracemalloc peak "
        f"{trace['traced_peak']:.1f} MB (a separate run under tracemalloc, "
        f"{trace['wall']:.0f} s)",
        f"SQL statements per report: {sql}",
        f"errors: {made.get('remind error', 0) + made.get('digest error', 0)} error replies, "
        f"{len(build['problems'])} logged errors: {mark(v.errors_ok)}",
    ]


def send_lines(s: Sending, sends: list[Sending]) -> list[str]:
    messages = sorted(s.sends.values())
    results = ", ".join(f"{k} {n}" for k, n in sorted(s.results.items()))
    head = (
        f"send {s.kind} to {s.channels} channels, {s.workers} side by side: {s.wall:.1f} s "
        f"({s.cpu:.1f} s CPU), {s.posted} messages posted ({results}); messages a channel: "
        f"median {percentile(messages, 50):.0f}, max {messages[-1] if messages else 0}"
    )
    if s.workers == 1:
        pooled = [p for p in sends if p.kind == s.kind and p.workers > 1]
        line = (
            f"send {s.kind} to {s.channels} channels one after another (1 worker), measured: "
            f"{s.wall:.1f} s ({s.cpu:.1f} s CPU), {s.posted} messages ({results}); pacing alone "
            f"{s.pacing_floor_s:.0f} s of it"
        )
        if pooled:
            line += (
                f"; side by side ({pooled[0].workers} workers) took {pooled[0].wall:.1f} s, "
                f"{s.wall / pooled[0].wall:.1f}x less: {mark(s.ok)}"
            )
        return [line, *(f"  logged error: {p}" for p in s.problems)]
    return [
        head,
        f"  one channel after another would take at least the sum of each channel's own time "
        f"less its GIL waits, and never less than its pacing alone: {s.pacing_floor_s:.0f} s "
        f"(1 s before every message but a channel's first); the sum measured side by side is "
        f"{s.sum_s:.1f} s",
        f"  the bound: max(slowest channel {s.slowest_s:.1f} s, sum / {s.workers} workers "
        f"{s.sum_s / s.workers:.1f} s) = {s.bound_s:.1f} s; wall {s.wall:.1f} s: {mark(s.ok)}"
        + (f"; {s.warnings} warnings logged" if s.warnings else ""),
        *(f"  logged error: {p}" for p in s.problems),
    ]


def markdown(
    command: str,
    meta: dict,
    shape: Shape,
    build: dict,
    trace: dict,
    plain: dict,
    own: dict,
    sends: list[Sending],
    v: Verdict,
) -> str:
    out = [
        f"### {meta['date']}: {mark(v.ok)}",
        "",
        "```",
        command,
        "```",
        "",
        f"`nproc` {meta['nproc']}, Python {meta['python']}, {meta['system']}, load average "
        f"{meta['load']} at the start. {shape_line(shape)}.",
        "",
        "| measure | wall s | remind ms p50 / p99 / max | digest ms p50 / p99 / max |",
        "|---|---:|---:|---:|",
    ]
    measures = (("plain SQL, same rows", plain), (OWN, own), ("`report()` remind + digest", build))
    for name, got in measures:
        cells = [
            f"{ms(got['per'][k], 50):.1f} / {ms(got['per'][k], 99):.1f} / "
            f"{max(got['per'][k]) * 1000:.1f}"
            for k in ("remind", "digest")
        ]
        out.append(f"| {name} | {got['wall']:.2f} | {cells[0]} | {cells[1]} |")
    out += [
        "",
        "| send | pool | channels | messages | wall s | sum of channels s | pacing alone s "
        "| slowest channel s | bound s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sends:
        out.append(
            f"| {s.kind} | {s.workers} | {s.channels} | {s.posted} | {s.wall:.1f} | {s.sum_s:.1f} "
            f"| {s.pacing_floor_s:.0f} | {s.slowest_s:.1f} | {s.bound_s:.1f} |"
        )
    out.append("")
    out.extend(f"- {line}" for line in build_lines(build, trace, plain, own, v))
    for s in sends:
        out.extend(f"- {line.strip()}" for line in send_lines(s, sends))
    return "\n".join(out) + "\n"


# --- the run ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.schedule_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="10,000 tasks in 100 channels instead of 100,000/1,000"
    )
    parser.add_argument(
        "--digest-channels",
        type=int,
        metavar="N",
        help="send the digest to the first N channels (default: all; 0: skip)",
    )
    parser.add_argument(
        "--remind-channels",
        type=int,
        metavar="N",
        help="send the reminder to the first N channels (default: all)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also profile (cProfile) building the first N channels' posts",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=SEND_WORKERS,
        metavar="N",
        help=f"Delivery's pool for the side-by-side runs (default {SEND_WORKERS}, as in the bot)",
    )
    parser.add_argument(
        "--no-sequential",
        dest="sequential",
        action="store_false",
        help="skip sending the reminders again with one worker (one channel after another)",
    )
    parser.add_argument(
        "--kpi-projects",
        default="1",
        help="how many plans carry 20 KPIs: 1 (default, the issue's figure) or `all`",
    )
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the section here")
    args = parser.parse_args(argv)
    args.scale = dataclasses.replace(
        QUICK if args.quick else FULL,
        kpi_projects=None if args.kpi_projects == "all" else int(args.kpi_projects),
    )
    if args.digest_channels is None:
        args.digest_channels = args.scale.channels
    if args.remind_channels is None:
        args.remind_channels = args.scale.channels
    if not 1 <= args.workers <= 256:
        parser.error("--workers: 1 to 256")
    for name in ("digest_channels", "remind_channels", "profile"):
        if not 0 <= getattr(args, name) <= args.scale.channels:
            parser.error(f"--{name.replace('_', '-')}: 0 to {args.scale.channels}")
    return args


def run(args: argparse.Namespace, workdir: Path, pool) -> tuple:
    db_path = workdir / "schedule.db"
    url = f"sqlite:///{db_path}"

    def child(fn, *fn_args, timeout=BUILD_TIMEOUT_S):
        return pool.apply_async(fn, fn_args).get(timeout)

    print("setup ...", flush=True)
    shape = child(setup, url, args.scale)
    shape.db_mb = db_path.stat().st_size / 2**20
    print(shape_line(shape), flush=True)
    db = Database.open(url, migrate=False)

    print("plain SQL ...", flush=True)
    plain = child(plain_all, url)
    print(f"  {plain['wall']:.2f} s", flush=True)
    print("build (report) ...", flush=True)
    build = child(build_all, url, "time", 2)
    print(f"  {build['wall']:.2f} s, max RSS {build['maxrss']:.0f} MB", flush=True)
    print("build under tracemalloc ...", flush=True)
    trace = child(build_all, url, "trace")
    print(f"  peak {trace['traced_peak']:.1f} MB", flush=True)
    print("the build's own SELECTs replayed raw ...", flush=True)
    own = child(replay_all, url, trace.pop("sent"))
    print(f"  {own['wall']:.2f} s", flush=True)
    profile = None
    if args.profile:
        print(f"build under cProfile ({args.profile} channels) ...", flush=True)
        profile = child(build_all, url, "profile", 1, args.profile)
    sends: list[Sending] = []
    with fk.FakeSlack() as fake:
        for kind, n in (("remind", args.remind_channels), ("digest", args.digest_channels)):
            if n == 0:
                continue
            only_channels(db, kind, n)
            print(f"send {kind} to {n} channels ...", flush=True)
            sends.append(measure_send(pool, url, fake, kind, n, workers=args.workers))
            print(f"  {sends[-1].wall:.1f} s, {sends[-1].posted} messages", flush=True)
            if kind == "remind" and args.sequential:
                only_channels(db, kind, n)  # the same posts again (a clean outbox)
                print(f"send {kind} to {n} channels one after another ...", flush=True)
                sends.append(measure_send(pool, url, fake, kind, n, workers=1))
                print(f"  {sends[-1].wall:.1f} s, {sends[-1].posted} messages", flush=True)
    db.dispose()
    return shape, plain, own, build, trace, profile, sends


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command, meta = start_run("bench.schedule_bench", argv)
    spawn = multiprocessing.get_context("spawn")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="paceline-schedule-") as tmp,
            # a fresh process for each measurement: the setup's memory is not counted
            spawn.Pool(1, maxtasksperchild=1) as pool,
        ):
            shape, plain, own, build, trace, profile, sends = run(args, Path(tmp), pool)
    except (RuntimeError, OSError, multiprocessing.TimeoutError) as err:
        print(f"benchmark failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    v = verdict(build, plain, sends)
    print()
    print(table(build, plain, own))
    print()
    print(send_table(sends))
    print()
    for line in build_lines(build, trace, plain, own, v):
        print(line)
    for s in sends:
        for line in send_lines(s, sends):
            print(line)
    for problem in build["problems"]:
        print(f"logged error while building: {problem}")
    if profile is not None:
        print(f"\n--- cProfile, {profile['channels']} channels ---\n")
        print(profile["profile"])
    print(f"\nresult: {mark(v.ok)}\n")
    section = markdown(command, meta, shape, build, trace, plain, own, sends, v)
    print("--- Markdown for docs/benchmarks.md ---\n")
    print(section)
    if args.markdown:
        args.markdown.write_text(section)
    return 0 if v.ok else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
