"""Signed `/task add …` slash commands against `paceline serve`, beside a bare Bolt app.

    .venv/bin/python -m bench.slack_bench                  # 1,000 requests, 20 at a time
    .venv/bin/python -m bench.slack_bench --quick          # 100 requests

Two servers run as subprocesses on 127.0.0.1, each on a free port:

* "paceline serve": the real `python -m bot serve` on a SQLite file in a temporary directory,
  its Slack Web API and every response_url pointed at a FakeSlack (tests/fakes/slack.py) in
  this process;
* "bare Bolt": bench/bare_bolt.py, the same server stack (bot.web.make_server: waitress, 16
  threads, the same WSGI function) with a Bolt app whose `/task` listener only acks.

A client process (so that its timing does not share a GIL with the FakeSlack) runs
`--concurrency` threads, one keep-alive `http.client` connection each. After a warm-up that is
not counted, it sends `--requests` signed requests and times each one from send to the end of
the response. For paceline it then waits for the work that follows the ack: every reply posted
to its response_url and every task in the database, and says how long after the last HTTP
response that finished. Targets: p99 under 200 ms and at least half the bare app's throughput;
and, for the run to count, no error: every response 200, every task added, nothing logged at
ERROR by either server.

Nothing leaves the machine: servers, fake and client all use 127.0.0.1, proxies are cleared
from the servers' environment, and every wait is bounded. Exit status: 0 when all is met, 1 when
a target is missed or a request failed, 2 when the run itself could not be done.
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    P99_TARGET_MS,
    Background,
    Figures,
    Request,
    clean_env,
    first_error,
    load_in,
    mark,
    markdown_head,
    markdown_table,
    parse_args,
    print_failures,
    server,
    start_run,
    table,
    task_count,
    throughput_ratio,
    wait_background,
)
from tests.fakes import slack as fk

PATH = "/slack/events"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
RATIO_TARGET = 0.5

# How each server is started (`--host` and `--port` are added).
PACELINE_SERVER = ["-m", "bot", "serve"]
BARE_SERVER = ["-m", "bench.bare_bolt"]


def server_env(fake: fk.FakeSlack, extra: dict[str, str]) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.base_url, **extra
    )


# --- requests ----------------------------------------------------------------------------------


def task_commands(fake: fk.FakeSlack, prefix: str, n: int) -> list[Request]:
    """`/task add Bench task N <@U2|bob> due:fri +bench`, signed now, one response_url each."""
    commands = [
        fk.slash_command(
            SECRET,
            f"add Bench task {prefix}{i} <@U2|bob> due:fri +bench",
            response_url=fake.response_url(f"{prefix}{i}"),
            trigger_id=f"trig.{prefix}{i}",
        )
        for i in range(1, n + 1)
    ]
    return [(PATH, body, headers) for body, headers in commands]


def replies(fake: fk.FakeSlack, prefix: str) -> list[fk.Call]:
    return [c for c in list(fake.calls) if c.method.startswith(f"respond:{prefix}")]


def wait_replies(fake: fk.FakeSlack, prefix: str, n: int, db_path: Path, before: int):
    """Every request's reply (in_channel when the task was added) and the tasks stored."""
    return wait_background(
        lambda: replies(fake, prefix),
        lambda c: c.params.get("response_type") == "in_channel",
        lambda c: str(c.params.get("text") or c.params),
        n,
        db_path,
        before,
    )


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Verdict:
    p99_ok: bool
    ratio: float
    ratio_ok: bool
    errors_ok: bool  # every request answered 200, every task added, no server errors

    @property
    def ok(self) -> bool:
        return self.p99_ok and self.ratio_ok and self.errors_ok


def verdict(paceline: Figures, bare: Figures, n: int) -> Verdict:
    ratio = throughput_ratio(paceline, bare)
    bg = paceline.background
    work_ok = bg is not None and bg.ok == n and bg.tasks == n
    return Verdict(
        p99_ok=paceline.p99 < P99_TARGET_MS,
        ratio=ratio,
        ratio_ok=ratio >= RATIO_TARGET,
        errors_ok=paceline.load.errors == 0
        and bare.load.errors == 0
        and work_ok
        and not paceline.problems
        and not bare.problems,
    )


def background_line(paceline: Figures, n: int) -> str:
    bg: Background | None = paceline.background
    if bg is None:
        return "background work: not measured"
    after = bg.done_at - paceline.load.finished
    total = bg.done_at - paceline.load.started
    line = (
        f"work after the ack: {bg.replies}/{n} replies posted ({bg.ok} in_channel), "
        f"{bg.tasks}/{n} tasks stored; the last reply came {after:.2f} s after the last HTTP "
        f"response ({total:.2f} s after the first request: {n / total:.1f} tasks/s end to end)"
    )
    if bg.sample_error:
        line += f"; an error reply: {bg.sample_error!r}"
    return line


def summary(paceline: Figures, bare: Figures, v: Verdict, n: int) -> list[str]:
    lines = [
        f"p99 {paceline.p99:.1f} ms (target < {P99_TARGET_MS:.0f} ms): {mark(v.p99_ok)}",
        f"throughput {paceline.rps:.1f} / {bare.rps:.1f} req/s = {v.ratio:.2f} of the bare app "
        f"(target >= {RATIO_TARGET}): {mark(v.ratio_ok)}",
        f"errors: {paceline.load.errors} + {bare.load.errors} non-200, "
        f"{len(paceline.problems)} + {len(bare.problems)} server log errors "
        f"(target 0, and every task added): {mark(v.errors_ok)}",
        background_line(paceline, n),
    ]
    return lines + [e for e in (first_error(paceline), first_error(bare)) if e]


def markdown(command: str, args, rows: list[Figures], v: Verdict, meta: dict) -> str:
    out = markdown_head(command, args, meta, v.ok) + markdown_table(rows)
    out.append("")
    out.extend(f"- {line}" for line in summary(rows[0], rows[1], v, args.requests))
    return "\n".join(out) + "\n"


# --- the run -----------------------------------------------------------------------------------


def measure_paceline(fake, pool, args, workdir: Path) -> Figures:
    db_path = workdir / "bench.db"
    env = server_env(fake, {"DATABASE_URL": f"sqlite:///{db_path}"})
    with server("paceline", PACELINE_SERVER, env, workdir) as srv:
        if args.warmup:  # also fills the server's users.info cache
            warm = task_commands(fake, "w", args.warmup)
            load_in(pool, srv.port, warm, min(args.concurrency, args.warmup))
            wait_replies(fake, "w", args.warmup, db_path, 0)
        fake.reset()
        before = task_count(db_path)
        requests = task_commands(fake, "b", args.requests)
        cpu = srv.cpu_seconds()
        load = load_in(pool, srv.port, requests, args.concurrency)
        background = wait_replies(fake, "b", args.requests, db_path, before)
        figures = Figures("paceline serve", load, srv.cpu_seconds() - cpu, background)
        figures.notes.append(f"users.info calls during the run: {len(fake.calls_to('users.info'))}")
    figures.problems = srv.problems()  # read after the server stopped: the whole log
    figures.notes.append(f"paceline log warnings: {srv.warnings()}")
    return figures


def measure_bare(fake, pool, args, workdir: Path) -> Figures:
    env = server_env(fake, {})
    with server("bare", BARE_SERVER, env, workdir) as srv:
        if args.warmup:
            warm = task_commands(fake, "w", args.warmup)
            load_in(pool, srv.port, warm, min(args.concurrency, args.warmup))
        requests = task_commands(fake, "b", args.requests)
        cpu = srv.cpu_seconds()
        load = load_in(pool, srv.port, requests, args.concurrency)
        figures = Figures("bare Bolt (ack)", load, srv.cpu_seconds() - cpu)
    figures.problems = srv.problems()
    figures.notes.append(f"bare log warnings: {srv.warnings()}")
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args("python -m bench.slack_bench", __doc__.splitlines()[0], argv)
    command, meta = start_run("bench.slack_bench", argv)
    spawn = multiprocessing.get_context("spawn")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="paceline-bench-") as tmp,
            fk.FakeSlack() as fake,
            spawn.Pool(1) as pool,
        ):
            fake.add_user("U1", "alice", tz="Asia/Shanghai")
            fake.add_user("U2", "bob", tz="America/New_York")
            workdir = Path(tmp)
            print("bare Bolt app ...", flush=True)
            bare = measure_bare(fake, pool, args, workdir)
            fake.reset()
            print("paceline serve ...", flush=True)
            paceline = measure_paceline(fake, pool, args, workdir)
    except (RuntimeError, TimeoutError, OSError, multiprocessing.TimeoutError) as err:
        print(f"benchmark failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    rows = [paceline, bare]
    v = verdict(paceline, bare, args.requests)
    print()
    print(table(rows))
    print()
    for line in summary(paceline, bare, v, args.requests) + paceline.notes + bare.notes:
        print(line)
    print_failures(rows)
    print(f"\nresult: {mark(v.ok)}\n")
    section = markdown(command, args, rows, v, meta)
    print("--- Markdown for docs/benchmarks.md ---\n")
    print(section)
    if args.markdown:
        args.markdown.write_text(section)
    return 0 if v.ok else 1


if __name__ == "__main__":
    sys.exit(main())
