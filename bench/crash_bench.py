"""Lose nothing acknowledged: requests acked by `paceline serve`, which is then killed (SIGKILL)
or stopped (SIGTERM, as every deploy does) at once, and started again.

    .venv/bin/python -m bench.crash_bench                   # 300 requests, every case
    .venv/bin/python -m bench.crash_bench --quick           # 100 requests
    .venv/bin/python -m bench.crash_bench --platform slack --database sqlite --signal kill

Each case: a fresh database (a SQLite file, or a PostgreSQL database made for the run), the
real `python -m bot serve` against a fake Slack or WeCom in this process, `--requests` signed
`/task add …` commands (or encrypted robot callbacks) sent `--concurrency` at a time by a client
process; the moment the last one is acknowledged, the signal; then the same server started
again, and a wait until every acknowledged request has had its reply. Counted: requests
acknowledged (200), tasks stored (distinct titles) and stored twice, replies per request
(exactly one each). Target: 0 lost, 0 duplicated, every reply once.

After a SIGKILL on PostgreSQL, the requests the dead process held are taken up once their
lease has run out: the servers run with PACELINE_INBOX_LEASE_SECONDS=10 (default 120) so the
case takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import slack_bench as sb
from bench import wecom_bench as wb
from bench.common import Request, load_in, mark, server, start_run, tail
from tests.fakes import slack as fk
from tests.fakes import wecom as fw

LEASE_SECONDS = 10
RECOVERY_TIMEOUT_S = 120
PG_URL = os.environ.get(
    "PACELINE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class Case:
    platform: str  # slack | wecom
    database: str  # sqlite | postgres
    how: str  # kill | term


@dataclass
class Outcome:
    case: Case
    acked: int
    done_before: int  # replies that had arrived when the signal went
    stored: int  # distinct tasks of the batch
    duplicated: int  # tasks stored more than once
    replied: int  # requests with at least one reply
    replied_twice: int  # requests with more than one
    recovery_s: float  # from the restart to the last reply
    problems: list[str]

    @property
    def lost(self) -> int:
        return self.acked - min(self.stored, self.replied)

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.replied_twice == 0


class Database:
    """A fresh database for a case, and the tasks a batch stored in it."""

    def __init__(self, kind: str, workdir: Path, name: str) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'crash.db'}"
            return
        base = make_url(PG_URL)
        self.admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.name = name
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.url = base.set(database=name).render_as_string(hide_password=False)

    def titles(self, pattern: str) -> tuple[int, int]:
        """(tasks, distinct titles) whose title is LIKE `pattern`."""
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                total, distinct = conn.execute(
                    text("SELECT count(*), count(DISTINCT title) FROM task WHERE title LIKE :p"),
                    {"p": pattern},
                ).one()
                return int(total), int(distinct)
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.kind == "postgres":
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


class Platform:
    """What differs between Slack and WeCom: the fake, the requests, the replies, the titles."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "slack":
            self.fake = fk.FakeSlack()
            self.fake.add_user("U1", "alice", tz="Asia/Shanghai", display_name="alice")
            self.fake.add_user("U2", "bob", tz="America/New_York", display_name="bob")
        else:
            self.aes_key = fw.new_aes_key()
            self.fake = fw.FakeWeCom(corp_id=wb.CORP_ID, secret=wb.SECRET)
            for userid, name in wb.USERS:
                self.fake.add_user(userid, name)

    def __enter__(self) -> Platform:
        self.fake.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.fake.__exit__(*exc)

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        if self.name == "slack":
            return sb.server_env(self.fake, extra)
        return wb.server_env(self.fake, self.aes_key, extra)

    def requests(self, prefix: str, n: int) -> list[Request]:
        if self.name == "slack":
            return sb.task_commands(self.fake, prefix, n)
        return wb.callbacks(self.fake, self.aes_key, prefix, n)

    def title_pattern(self, prefix: str) -> str:
        return f"Bench task {prefix}%" if self.name == "slack" else f"压测任务 {prefix}%"

    def replies(self, prefix: str) -> Counter:
        """Posts each request's response_url took, by request (WeCom refuses a second one:
        what it refused, nobody saw)."""
        mark_ = f"respond:{prefix}" if self.name == "slack" else f"{wb.RESPONSE}{prefix}"
        return Counter(
            c.method
            for c in list(self.fake.calls)
            if c.method.startswith(mark_) and getattr(c, "ok", True)
        )


def run_case(case: Case, args: argparse.Namespace, pool, workdir: Path, n: int) -> Outcome:
    prefix = f"{case.platform[0]}{case.database[0]}{case.how[0]}-"
    db = Database(case.database, workdir, f"paceline_crash_{prefix[:-1]}")
    try:
        with Platform(case.platform) as platform:
            env = platform.env(
                {
                    "DATABASE_URL": db.url,
                    "PACELINE_SCHEDULER": "false",
                    "PACELINE_INBOX_LEASE_SECONDS": str(LEASE_SECONDS),
                }
            )
            with server("first", sb.PACELINE_SERVER, env, workdir) as first:
                load = load_in(pool, first.port, platform.requests(prefix, n), args.concurrency)
                first.proc.send_signal(signal.SIGKILL if case.how == "kill" else signal.SIGTERM)
                try:
                    first.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    raise RuntimeError(
                        f"the server did not stop:\n{tail(first.log_path)}"
                    ) from None
                done_before = len(platform.replies(prefix))
                problems = first.problems()
            acked = load.statuses.get(200, 0)
            restarted = time.monotonic()
            with server("again", sb.PACELINE_SERVER, env, workdir) as again:
                deadline = restarted + RECOVERY_TIMEOUT_S
                while len(platform.replies(prefix)) < acked and time.monotonic() < deadline:
                    time.sleep(0.1)
                recovery = time.monotonic() - restarted
                time.sleep(1)  # anything posted twice would come now
                problems += again.problems()
            replies = platform.replies(prefix)
            total, distinct = db.titles(platform.title_pattern(prefix))
            return Outcome(
                case,
                acked,
                done_before,
                distinct,
                total - distinct,
                len(replies),
                sum(1 for count in replies.values() if count > 1),
                recovery,
                problems,
            )
    finally:
        db.drop()


def table(outcomes: list[Outcome], n: int) -> list[str]:
    rows = [
        "| platform | database | signal | acked | replied before the signal | stored | lost "
        "| stored twice | replied twice | recovery s | result |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for o in outcomes:
        c = o.case
        rows.append(
            f"| {c.platform} | {c.database} | {c.how} | {o.acked}/{n} | {o.done_before} "
            f"| {o.stored} | {o.lost} | {o.duplicated} | {o.replied_twice} "
            f"| {o.recovery_s:.1f} | {mark(o.ok)} |"
        )
    return rows


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.crash_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, metavar="N")
    parser.add_argument("--quick", action="store_true", help="100 requests")
    parser.add_argument("--concurrency", type=int, default=20, metavar="N")
    parser.add_argument("--platform", choices=("slack", "wecom", "both"), default="both")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--signal", choices=("kill", "term", "both"), default="both")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table here")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests = 100
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    command, meta = start_run("bench.crash_bench", argv)
    pick = {"both": None}
    cases = [
        Case(p, d, h)
        for p in ("slack", "wecom")
        if pick.get(args.platform, args.platform) in (None, p)
        for d in ("sqlite", "postgres")
        if pick.get(args.database, args.database) in (None, d)
        for h in ("kill", "term")
        if pick.get(args.signal, args.signal) in (None, h)
    ]
    outcomes: list[Outcome] = []
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        for case in cases:
            print(f"{case.platform} / {case.database} / {case.how} ...", flush=True)
            with tempfile.TemporaryDirectory(prefix="paceline-crash-") as tmp:
                outcome = run_case(case, args, pool, Path(tmp), args.requests)
            outcomes.append(outcome)
            print(
                f"  acked {outcome.acked}, stored {outcome.stored}, lost {outcome.lost}, "
                f"twice {outcome.duplicated}/{outcome.replied_twice}, "
                f"recovered in {outcome.recovery_s:.1f} s: {mark(outcome.ok)}",
                flush=True,
            )
            for problem in outcome.problems:
                print(f"  server log: {problem[:300]}")
    ok = all(o.ok for o in outcomes)
    lines = [
        f"### {meta['date']}: {mark(ok)}",
        "",
        f"```\n{command}\n```",
        "",
        f"{args.requests} requests at concurrency {args.concurrency}; `nproc` {meta['nproc']}, "
        f"Python {meta['python']}, load average {meta['load']} at the start.",
        "",
        *table(outcomes, args.requests),
    ]
    print("\n" + "\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
