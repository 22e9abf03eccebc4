"""`portfolio`, `project show` and `board` on a big workspace: 200 plans, 100,000 tasks and
20 KPIs with 365 actuals each (the issue's figures; `--kpis-per-plan 20` gives every plan 20,
4,000 KPIs and 1.46 million actuals in all). The server time of each command (dispatch, the
database included, rendering excluded) over `--runs` runs: p50, p95, max.

    python -m bench.plans_bench [--db sqlite:///tmp/plans.db] [--runs 50] [--quick]

The target (issue 12): p95 under 100 ms for `project show` and `portfolio`."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bot.console import ConsoleBot
from handlers import CoreConfig
from storage.db import Database, make_engine, upgrade
from storage.models import (
    Blocker,
    Channel,
    Kpi,
    KpiActual,
    KpiSplit,
    Member,
    Phase,
    Project,
    Task,
    Workspace,
)

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TARGET_MS = 100.0


def populate(db: Database, plans: int, tasks: int, kpis_per_plan: int, kpis: int) -> None:
    rng = random.Random(12)
    today = date(2026, 11, 26)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Workspace),
            [
                {
                    "id": 1,
                    "platform": "console",
                    "external_id": "console",
                    "created_at": NOW,
                    "next_task_number": tasks + 1,
                }
            ],
        )
        conn.execute(
            insert(Channel),
            [
                {
                    "id": c,
                    "workspace_id": 1,
                    "external_id": "general" if c == 1 else f"c{c}",
                    "tz": "Asia/Shanghai",
                    "lang": "en",
                    "created_at": NOW,
                }
                for c in range(1, 11)
            ],
        )
        conn.execute(
            insert(Member),
            [
                {
                    "id": m,
                    "workspace_id": 1,
                    "external_id": "alice" if m == 1 else f"u{m}",
                    "display_name": "alice" if m == 1 else f"u{m}",
                    "name_key": "alice" if m == 1 else f"u{m}",
                    "role": "admin" if m == 1 else "member",
                    "platform_admin": m == 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for m in range(1, 51)
            ],
        )
        project_rows, phase_rows = [], []
        for p in range(1, plans + 1):
            start = today - timedelta(days=rng.randint(5, 40))
            end = start + timedelta(days=rng.randint(30, 60))
            project_rows.append(
                {
                    "id": p,
                    "workspace_id": 1,
                    "name": f"plan{p}",
                    "key": f"plan{p}",
                    "created_at": NOW - timedelta(days=60),
                    "is_plan": True,
                    "goal": "GMV 500万",
                    "start_date": start,
                    "end_date": end,
                    "buffer_pct": 20,
                    "owner_id": 1,
                    "status": "open",
                    "updated_at": NOW,
                }
            )
            third = (end - start).days // 3
            for i in range(3):
                phase_rows.append(
                    {
                        "id": p * 3 + i,
                        "project_id": p,
                        "name": f"phase{i}",
                        "key": f"phase{i}",
                        "start_date": start + timedelta(days=i * third),
                        "end_date": end if i == 2 else start + timedelta(days=(i + 1) * third - 1),
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
        conn.execute(insert(Project), project_rows)
        conn.execute(insert(Phase), phase_rows)
        task_rows, blocker_rows = [], []
        statuses = ["todo"] * 4 + ["doing"] * 3 + ["blocked"] + ["done"] * 4 + ["cancelled"]
        for n in range(1, tasks + 1):
            status = rng.choice(statuses)
            task_rows.append(
                {
                    "id": n,
                    "workspace_id": 1,
                    "number": n,
                    "title": f"Task {n}",
                    "channel_id": rng.randint(1, 10),
                    "assignee_id": rng.randint(1, 50),
                    "creator_id": 1,
                    "project_id": 1 + n % plans,
                    "status": status,
                    "progress": rng.randint(0, 100),
                    "due_date": today + timedelta(days=rng.randint(-10, 40)) if n % 7 else None,
                    "created_at": NOW - timedelta(days=rng.randint(1, 30)),
                    "updated_at": NOW,
                    "closed_at": NOW - timedelta(days=rng.randint(0, 20))
                    if status in ("done", "cancelled")
                    else None,
                }
            )
            if status == "blocked":
                blocker_rows.append(
                    {
                        "task_id": n,
                        "reason": "waiting",
                        "reported_by_id": 1,
                        "reported_at": NOW - timedelta(days=rng.randint(0, 9)),
                    }
                )
        for i in range(0, len(task_rows), 10_000):
            conn.execute(insert(Task), task_rows[i : i + 10_000])
        conn.execute(insert(Blocker), blocker_rows)
        owners = (
            [(p, k) for p in range(1, plans + 1) for k in range(kpis_per_plan)]
            if kpis_per_plan
            else [(1 + k % plans, k) for k in range(kpis)]
        )
        kpi_rows, split_rows = [], []
        for kid, (p, k) in enumerate(owners, start=1):
            kpi_rows.append(
                {
                    "id": kid,
                    "project_id": p,
                    "name": f"KPI{k // 2}",
                    "key": f"kpi{k // 2}",
                    "label": ("电商", "线下")[k % 2],
                    "target": 1000.0,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            for i, amount in enumerate((100.0, 800.0, 100.0)):
                split_rows.append({"kpi_id": kid, "phase_id": p * 3 + i, "amount": amount})
        conn.execute(insert(Kpi), kpi_rows)
        conn.execute(insert(KpiSplit), split_rows)
        actual_rows: list[dict] = []
        for kid in range(1, len(owners) + 1):
            for d in range(365):
                actual_rows.append(
                    {
                        "kpi_id": kid,
                        "value": float(d),
                        "member_id": 1,
                        "source": "import",
                        "at": NOW - timedelta(days=365 - d),
                    }
                )
            if len(actual_rows) >= 50_000:
                conn.execute(insert(KpiActual), actual_rows)
                actual_rows = []
        if actual_rows:
            conn.execute(insert(KpiActual), actual_rows)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            for table in ("task", "project", "kpi", "kpi_actual", "blocker", "member", "channel"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        # as autovacuum leaves a table that has settled: statistics and the visibility map
        # (an index-only scan reads no table page)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(bot: ConsoleBot, command: str, runs: int) -> dict:
    assert not bot.reply(command).error, bot.say(command)  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reply = bot.reply(command)
        times.append((time.perf_counter() - start) * 1000)
        assert not reply.error
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return {"p50": statistics.median(times), "p95": p95, "max": times[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--kpis-per-plan", type=int, default=0, help="0: --kpis in all")
    parser.add_argument("--kpis", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args(argv)
    if args.quick:
        args.plans, args.tasks, args.runs = 20, 10_000, 20
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'plans.db'}"
    db = Database(make_engine(url))
    upgrade(db.engine)
    with db.engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM workspace")).scalar_one():
            print(f"{url} is not empty: the benchmark fills a new database", file=sys.stderr)
            return 2
    started = time.perf_counter()
    populate(db, args.plans, args.tasks, args.kpis_per_plan, args.kpis)
    print(
        f"populated in {time.perf_counter() - started:.1f}s: {args.plans} plans, "
        f"{args.tasks} tasks, KPIs {args.kpis_per_plan or args.kpis}"
        f"{' per plan' if args.kpis_per_plan else ''} × 365 actuals ({db.engine.dialect.name})"
    )
    bot = ConsoleBot(
        db, CoreConfig(default_tz="Asia/Shanghai"), user="alice", admins=["alice"], now=NOW
    )
    failed = False
    for command in ("portfolio", "project show +plan1", "board +plan1", "project list"):
        figures = timed(bot, command, args.runs)
        verdict = (
            ""
            if command.startswith(("board", "project list"))
            else (" PASS" if figures["p95"] < TARGET_MS else " FAIL")
        )
        failed |= verdict == " FAIL"
        print(
            f"{command:22} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
            f"max {figures['max']:7.1f} ms{verdict}"
        )
    db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
