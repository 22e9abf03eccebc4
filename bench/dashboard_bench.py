"""The dashboard's portfolio on a big workspace, read by 10 people at once, while Slack's slash
commands keep arriving at the same server.

    .venv/bin/python -m bench.dashboard_bench              # 200 plans, 100,000 tasks
    .venv/bin/python -m bench.dashboard_bench --quick      # 20 plans, 10,000 tasks, fewer requests

Setup (not measured): the workspace of bench/plans_bench.py (200 plans of 3 phases, 100,000
tasks over 20 channels, 20 KPIs with 365 actuals) in a SQLite file, filled in bulk; the
installation's dashboard secret and an admin's link (`/dashboard?k=…`, role admin: every
project) signed as `dashboard` signs one. Then the real `python -m bot serve` (its Slack door on,
its Web API and response_urls pointed at a FakeSlack in this process, the scheduler off) on
127.0.0.1.

Measured, each request timed by a client process from send to the end of the response:

1. the portfolio alone: `--readers` (10) keep-alive connections, each asking for
   `GET /dashboard?k=…` again as soon as it has the page (no pause: harder than people who
   read a page a minute), `--pages` requests in all;
2. Slack alone: `--slack-requests` signed `/task add …` commands, 20 at a time (as
   bench/slack_bench.py), every reply waited for;
3. both at once, from two client processes: the readers as in 1, and acks in chunks of 100
   (20 at a time) for as long as the readers read, `--slack-requests` at least.

Targets: the portfolio's p95 under 300 ms at 10 readers, and Slack's acks' p99 under 200 ms
while they read. Exit status 0 when both are met, 1 when not, 2 when the run could not be done.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from bench.common import (
    P99_TARGET_MS,
    Figures,
    Load,
    Request,
    load_in,
    mark,
    percentile,
    print_failures,
    run_load,
    server,
    start_run,
    task_count,
)
from bench.plans_bench import FULL, QUICK, Scale, populate
from bench.slack_bench import PACELINE_SERVER, server_env, task_commands, wait_replies
from tests.fakes import slack as fk

P95_TARGET_MS = 300.0
READERS = 10
SLACK_CONCURRENCY = 20
CHUNK = 100


@dataclass(frozen=True)
class Run:
    name: str
    figures: Figures
    p95: float


def dashboard_paths(db_path: Path, scale: Scale) -> list[str]:
    """Fill the database; the paths of the portfolio links of its admin and its four managers
    (each sees every project), valid for 30 days."""
    from sqlmodel import Session

    from handlers.dashboard import SECRET_NAME, Claims, new_secret, sign
    from storage import queries
    from storage.db import Database
    from storage.models import Role

    db = Database.open(f"sqlite:///{db_path}")
    try:
        shape = populate(db, scale)
        print(f"workspace: {shape.projects} plans, {shape.tasks} tasks", flush=True)
        now = datetime.now(UTC)
        with Session(db.engine) as s:
            secret = queries.site_secret(s, SECRET_NAME, new_secret(), now)
            s.commit()
        paths = []
        for member in range(1, 6):  # populate's member 1 is an admin, 2 to 5 managers
            role = Role.ADMIN if member == 1 else Role.MANAGER
            claims = Claims(1, member, role, "zh", member, now + timedelta(days=30))
            paths.append(f"/dashboard?k={quote(sign(secret, claims), safe='')}")
        return paths
    finally:
        db.dispose()


def page_requests(paths: list[str], n: int) -> list[Request]:
    """`n` portfolio requests, the links taking turns."""
    headers = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br"}  # as browsers ask
    return [(paths[i % len(paths)], None, headers) for i in range(n)]


def p95(load: Load) -> float:
    return percentile(load.latencies_ms, 95)


def figures(name: str, load: Load, srv, cpu: float) -> Run:
    return Run(name, Figures(name, load, srv.cpu_seconds() - cpu), p95(load))


def merged(loads: list[Load]) -> Load:
    statuses: dict[int, int] = {}
    for load in loads:
        for status, n in load.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return Load(
        [ms for load in loads for ms in load.latencies_ms],
        statuses,
        [f for load in loads for f in load.failures],
        loads[0].started,
        loads[-1].finished,
    )


def measure(args: argparse.Namespace, workdir: Path) -> list[Run]:
    db_path = workdir / "bench.db"
    path = dashboard_paths(db_path, QUICK if args.quick else FULL)
    spawn = multiprocessing.get_context("spawn")
    runs: list[Run] = []
    with fk.FakeSlack() as fake, spawn.Pool(2) as pool:
        fake.add_user("U1", "alice", tz="Asia/Shanghai")
        fake.add_user("U2", "bob", tz="America/New_York")
        env = server_env(
            fake, {"DATABASE_URL": f"sqlite:///{db_path}", "PACELINE_SCHEDULER": "false"}
        )
        with server("paceline", PACELINE_SERVER, env, workdir) as srv:
            first = run_load(srv.port, page_requests(path, 1), 1)  # fails loudly if refused
            if first.statuses != {200: 1}:
                raise RuntimeError(f"the portfolio answered {first.statuses} {first.failures}")
            load_in(pool, srv.port, page_requests(path, 2 * READERS), READERS)
            load_in(pool, srv.port, task_commands(fake, "w", 20), SLACK_CONCURRENCY)
            wait_replies(fake, "w", 20, db_path, 0)
            fake.reset()

            print("the portfolio alone ...", flush=True)
            cpu = srv.cpu_seconds()
            load = load_in(pool, srv.port, page_requests(path, args.pages), args.readers)
            runs.append(figures("portfolio alone", load, srv, cpu))

            print("Slack alone ...", flush=True)
            before = task_count(db_path)
            cpu = srv.cpu_seconds()
            slack = task_commands(fake, "a", args.slack_requests)
            load = load_in(pool, srv.port, slack, SLACK_CONCURRENCY)
            wait_replies(fake, "a", args.slack_requests, db_path, before)
            runs.append(figures("Slack acks alone", load, srv, cpu))
            fake.reset()

            print("both at once ...", flush=True)
            before = task_count(db_path)
            cpu = srv.cpu_seconds()
            readers = pool.apply_async(
                run_load, (srv.port, page_requests(path, args.pages), args.readers)
            )
            time.sleep(0.1)  # the readers first: the acks are timed while they read
            chunks: list[Load] = []
            sent = 0
            # acks in chunks of 100 for as long as the readers read (and --slack-requests at least)
            while not readers.ready() or sent < args.slack_requests:
                chunk = task_commands(fake, f"b{len(chunks)}x", CHUNK)
                chunks.append(load_in(pool, srv.port, chunk, SLACK_CONCURRENCY))
                sent += CHUNK
            pages_load, acks_load = readers.get(600), merged(chunks)
            wait_replies(fake, "b", sent, db_path, before)
            both_cpu = srv.cpu_seconds() - cpu
            for name, load in (
                ("portfolio, Slack beside", pages_load),
                ("Slack acks, portfolio beside", acks_load),
            ):
                runs.append(Run(name, Figures(name, load, both_cpu), p95(load)))
            overlap = min(pages_load.finished, acks_load.finished) - max(
                pages_load.started, acks_load.started
            )
            runs[-1].figures.notes.append(
                f"readers read for {pages_load.wall_s:.1f} s; acks were sent for "
                f"{acks_load.wall_s:.1f} s, {overlap:.1f} s of it while they read"
            )
        for run in runs:
            run.figures.problems = srv.problems()
    return runs


def verdict(runs: list[Run]) -> tuple[bool, list[str]]:
    by = {r.name: r for r in runs}
    pages = by["portfolio, Slack beside"]
    acks = by["Slack acks, portfolio beside"]
    errors = sum(r.figures.load.errors for r in runs)
    ok_pages = pages.p95 < P95_TARGET_MS and by["portfolio alone"].p95 < P95_TARGET_MS
    ok_acks = acks.figures.p99 < P99_TARGET_MS
    lines = [
        f"portfolio p95 {by['portfolio alone'].p95:.0f} ms alone, {pages.p95:.0f} ms with Slack "
        f"beside (target < {P95_TARGET_MS:.0f}): {mark(ok_pages)}",
        f"Slack acks p99 {by['Slack acks alone'].figures.p99:.0f} ms alone, "
        f"{acks.figures.p99:.0f} ms with the portfolio read beside (target < "
        f"{P99_TARGET_MS:.0f}): {mark(ok_acks)}",
        f"errors: {errors}; server problems logged: {len(runs[0].figures.problems)}",
    ]
    return ok_pages and ok_acks and errors == 0 and not runs[0].figures.problems, lines


def table(runs: list[Run]) -> list[str]:
    out = [
        "| what | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        f = r.figures
        out.append(
            f"| {r.name} | {f.load.completed} | {f.load.errors} | {f.p50:.1f} | {r.p95:.1f} "
            f"| {f.p99:.1f} | {f.max:.1f} | {f.rps:.1f} |"
        )
    return out


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the workspace")
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--pages", type=int, default=1000, help="portfolio requests per run")
    parser.add_argument("--slack-requests", type=int, default=500)
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.slack_requests = min(args.pages, 300), min(args.slack_requests, 100)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    start_run("bench.dashboard_bench", argv)
    try:
        with tempfile.TemporaryDirectory(prefix="paceline-dashboard-bench-") as tmp:
            runs = measure(args, Path(tmp))
    except (RuntimeError, TimeoutError, OSError, multiprocessing.TimeoutError) as err:
        print(f"benchmark failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    ok, lines = verdict(runs)
    print()
    print("\n".join(table(runs)))
    print()
    print("\n".join(lines + [n for r in runs for n in r.figures.notes]))
    print_failures([runs[0].figures])
    print(f"\nresult: {mark(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
