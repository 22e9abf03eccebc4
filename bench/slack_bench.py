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

import argparse
import contextlib
import http.client
import math
import multiprocessing
import os
import platform
import queue
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes import slack as fk

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PATH = "/slack/events"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
DEFAULT_REQUESTS = 1000
QUICK_REQUESTS = 100
DEFAULT_CONCURRENCY = 20
DEFAULT_WARMUP = 20
P99_TARGET_MS = 200.0
RATIO_TARGET = 0.5

START_TIMEOUT_S = 30.0  # a server must answer GET /healthz within this
LOAD_TIMEOUT_S = 300.0  # one load run (all requests) must finish within this
BACKGROUND_TIMEOUT_S = 120.0  # paceline's replies and rows must all arrive within this
REQUEST_TIMEOUT_S = 30.0  # one HTTP request
POLL_S = 0.005
PROBLEM_LEVELS = ("ERROR", "CRITICAL")
LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")  # bot.cli.LOG_FORMAT

# How each server is started (`--host` and `--port` are added).
PACELINE_SERVER = ["-m", "bot", "serve"]
BARE_SERVER = ["-m", "bench.bare_bolt"]

# Environment a server must not inherit: it would reach the network or change the setup.
SCRUB_PREFIXES = ("SLACK_", "PACELINE_")
SCRUB_NAMES = {
    "DATABASE_URL",
    "PORT",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
}


# --- the load client (runs in its own process) -------------------------------------------------


@dataclass
class Load:
    """What one load run measured. Times are time.monotonic() (one clock for all processes)."""

    latencies_ms: list[float]
    statuses: dict[int, int]
    failures: list[str]
    started: float
    finished: float

    @property
    def completed(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200) + len(self.failures)

    @property
    def wall_s(self) -> float:
        return self.finished - self.started


def run_load(port: int, requests: list[tuple[bytes, dict]], concurrency: int) -> Load:
    """Send every request over `concurrency` keep-alive connections; time each one."""
    work: queue.SimpleQueue[tuple[bytes, dict]] = queue.SimpleQueue()
    for item in requests:
        work.put(item)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures: list[str] = []
    ends: list[float] = []
    ready = threading.Barrier(concurrency + 1, timeout=REQUEST_TIMEOUT_S)

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        mine: list[float] = []
        codes: dict[int, int] = {}
        last = 0.0
        try:
            conn.connect()  # outside the timed part
            ready.wait()
            while True:
                try:
                    body, headers = work.get_nowait()
                except queue.Empty:
                    break
                start = time.perf_counter()
                try:
                    conn.request("POST", PATH, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as err:
                    with lock:
                        failures.append(f"{type(err).__name__}: {err}")
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
                    continue
                mine.append((time.perf_counter() - start) * 1000)
                last = time.monotonic()
                codes[response.status] = codes.get(response.status, 0) + 1
                if response.will_close:
                    conn.close()
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                for status, n in codes.items():
                    statuses[status] = statuses.get(status, 0) + n
                ends.append(last)

    threads = [
        threading.Thread(target=worker, name=f"client-{i}", daemon=True) for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(LOAD_TIMEOUT_S)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"load run still going after {LOAD_TIMEOUT_S:.0f} s")
    return Load(latencies, statuses, failures, started, max([started, *ends]))


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(fake: fk.FakeSlack, extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUB_NAMES and not k.startswith(SCRUB_PREFIXES)
    }
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        PACELINE_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@dataclass
class Running:
    port: int
    proc: subprocess.Popen
    log_path: Path

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log(self) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []

    def problems(self) -> list[str]:
        """Each ERROR or CRITICAL record in the server's log, with its traceback, and any
        traceback printed outside a log record (a thread that died)."""
        records: list[list[str]] = []
        keep = False
        for line in self.log():
            if LOG_RECORD.match(line):
                keep = any(f" {level} " in line for level in PROBLEM_LEVELS)
                if keep:
                    records.append([line])
            elif keep:
                records[-1].append(line)
            elif line.startswith("Traceback") or line.startswith("Exception in thread"):
                records.append([line])
                keep = True
        return ["\n".join(record) for record in records]

    def warnings(self) -> str:
        """The server's WARNING lines, counted by kind ("Task queue depth is 3" → "…is N")."""
        kinds: dict[str, int] = {}
        for line in self.log():
            if " WARNING " in line:
                kind = re.sub(r"\d+", "N", line.split(" WARNING ", 1)[1])[:90]
                kinds[kind] = kinds.get(kind, 0) + 1
        return "; ".join(f"{n}x {kind}" for kind, n in kinds.items()) or "none"


@contextlib.contextmanager
def server(name: str, args: list[str], env: dict[str, str], workdir: Path) -> Iterator[Running]:
    """Run `python <args> --host 127.0.0.1 --port N` until GET /healthz answers."""
    port = free_port()
    log_path = workdir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, *args, "--host", HOST, "--port", str(port)],
            cwd=workdir,  # away from the repo's .env
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(proc, port, log_path)
        yield Running(port, proc, log_path)
    finally:
        stop(proc)


def wait_healthy(proc: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{tail(log_path)}")
        conn = http.client.HTTPConnection(HOST, port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"no answer on /healthz after {START_TIMEOUT_S:.0f} s:\n{tail(log_path)}")


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C (the servers close cleanly on it), then SIGKILL if that takes too long."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- requests ----------------------------------------------------------------------------------


def task_commands(fake: fk.FakeSlack, prefix: str, n: int) -> list[tuple[bytes, dict]]:
    """`/task add Bench task N <@U2|bob> due:fri +bench`, signed now, one response_url each."""
    return [
        fk.slash_command(
            SECRET,
            f"add Bench task {prefix}{i} <@U2|bob> due:fri +bench",
            response_url=fake.response_url(f"{prefix}{i}"),
            trigger_id=f"trig.{prefix}{i}",
        )
        for i in range(1, n + 1)
    ]


def replies(fake: fk.FakeSlack, prefix: str) -> list[fk.Call]:
    return [c for c in list(fake.calls) if c.method.startswith(f"respond:{prefix}")]


def task_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM task").fetchone()[0]
    finally:
        conn.close()


@dataclass
class Background:
    """The work after the ack: one reply per request (in_channel when the task was added)."""

    replies: int
    in_channel: int
    tasks: int  # tasks stored by these requests
    done_at: float  # time.monotonic() when the last reply had arrived
    sample_error: str = ""


def wait_background(fake: fk.FakeSlack, prefix: str, n: int, db_path: Path, before: int):
    """Poll until every request has had its reply; then count the tasks they stored.

    A task is committed before its reply is posted, so once all replies are in, so are the
    tasks. A reply that is not in_channel is an error answer (the task was not added)."""
    deadline = time.monotonic() + BACKGROUND_TIMEOUT_S
    while True:
        now = time.monotonic()
        got = replies(fake, prefix)
        if len(got) >= n:
            break
        if now > deadline:
            raise TimeoutError(
                f"after {BACKGROUND_TIMEOUT_S:.0f} s only {len(got)}/{n} replies arrived "
                f"({task_count(db_path) - before} tasks stored)"
            )
        time.sleep(POLL_S)
    failed = [c for c in got if c.params.get("response_type") != "in_channel"]
    sample = str(failed[0].params.get("text") or failed[0].params)[:200] if failed else ""
    return Background(len(got), len(got) - len(failed), task_count(db_path) - before, now, sample)


# --- figures -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Figures:
    name: str
    load: Load
    cpu_s: float = math.nan  # the server's CPU time over the run (and its background work)
    background: Background | None = None
    problems: list[str] = field(default_factory=list)  # the server's logged errors
    notes: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.load.latencies_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.load.latencies_ms, 99)

    @property
    def max(self) -> float:
        return max(self.load.latencies_ms, default=math.nan)

    @property
    def rps(self) -> float:
        return self.load.completed / self.load.wall_s if self.load.wall_s > 0 else math.nan

    @property
    def cpu_ms(self) -> float:
        """Server CPU milliseconds per request."""
        return self.cpu_s * 1000 / self.load.completed if self.load.completed else math.nan


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
    ratio = paceline.rps / bare.rps if bare.rps > 0 else math.nan
    bg = paceline.background
    work_ok = bg is not None and bg.in_channel == n and bg.tasks == n
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


def mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(rows: list[Figures]) -> str:
    head = f"{'target':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}"
    head += f"{'max ms':>9}{'req/s':>9}{'CPU ms/req':>12}"
    lines = [head, "-" * len(head)]
    for f in rows:
        lines.append(
            f"{f.name:<16}{f.load.completed:>9}{f.load.errors:>8}{f.p50:>9.1f}{f.p99:>9.1f}"
            f"{f.max:>9.1f}{f.rps:>9.1f}{f.cpu_ms:>12.2f}"
        )
    return "\n".join(lines)


def background_line(paceline: Figures, n: int) -> str:
    bg = paceline.background
    if bg is None:
        return "background work: not measured"
    after = bg.done_at - paceline.load.finished
    total = bg.done_at - paceline.load.started
    line = (
        f"work after the ack: {bg.replies}/{n} replies posted ({bg.in_channel} in_channel), "
        f"{bg.tasks}/{n} tasks stored; the last reply came {after:.2f} s after the last HTTP "
        f"response ({total:.2f} s after the first request: {n / total:.1f} tasks/s end to end)"
    )
    if bg.sample_error:
        line += f"; an error reply: {bg.sample_error!r}"
    return line


def first_error(f: Figures) -> str | None:
    """The first logged error in short: its message and the exception it ends with."""
    if not f.problems:
        return None
    lines = f.problems[0].splitlines()
    head = re.sub(r"^\S+ \S+ ", "", lines[0])  # without the date and time
    return f"{f.name}'s first logged error: {head}" + (f" ({lines[-1]})" if len(lines) > 1 else "")


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


def markdown(command: str, args: argparse.Namespace, rows: list[Figures], v: Verdict, meta: dict):
    out = [
        f"### {meta['date']}: {mark(v.ok)}",
        "",
        "```",
        command,
        "```",
        "",
        f"{args.requests} requests at concurrency {args.concurrency} after {args.warmup} warm-up "
        f"requests; `nproc` {meta['nproc']}, Python {meta['python']}, {meta['system']}, "
        f"load average {meta['load']} at the start.",
        "",
        "| target | requests | errors | p50 ms | p99 ms | max ms | req/s | server CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in rows:
        out.append(
            f"| {f.name} | {f.load.completed} | {f.load.errors} | {f.p50:.1f} | {f.p99:.1f} "
            f"| {f.max:.1f} | {f.rps:.1f} | {f.cpu_ms:.2f} |"
        )
    out.append("")
    out.extend(f"- {line}" for line in summary(rows[0], rows[1], v, args.requests))
    return "\n".join(out) + "\n"


# --- the run -----------------------------------------------------------------------------------


def load_in(pool, port: int, requests: list[tuple[bytes, dict]], concurrency: int) -> Load:
    """run_load in the client process; a client that dies or hangs ends in a timeout."""
    return pool.apply_async(run_load, (port, requests, concurrency)).get(LOAD_TIMEOUT_S + 30)


def measure_paceline(fake, pool, args, workdir: Path) -> Figures:
    db_path = workdir / "bench.db"
    env = server_env(fake, {"DATABASE_URL": f"sqlite:///{db_path}"})
    with server("paceline", PACELINE_SERVER, env, workdir) as srv:
        if args.warmup:  # also fills the server's users.info cache
            warm = task_commands(fake, "w", args.warmup)
            load_in(pool, srv.port, warm, min(args.concurrency, args.warmup))
            wait_background(fake, "w", args.warmup, db_path, 0)
        fake.reset()
        before = task_count(db_path)
        requests = task_commands(fake, "b", args.requests)
        cpu = srv.cpu_seconds()
        load = load_in(pool, srv.port, requests, args.concurrency)
        background = wait_background(fake, "b", args.requests, db_path, before)
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.slack_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, metavar="N")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, metavar="N")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_REQUESTS} requests instead of --requests"
    )
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, metavar="N")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the section here")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests = QUICK_REQUESTS
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests: 1 to 100000")
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency: 1 to 256")
    if not 0 <= args.warmup <= 1000:
        parser.error("--warmup: 0 to 1000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shown = sys.argv[1:] if argv is None else argv
    command = " ".join([".venv/bin/python -m bench.slack_bench", *map(shlex.quote, shown)])
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    print(
        f"{command}\n{meta['date']}, nproc {meta['nproc']}, Python {meta['python']}, "
        f"load average {meta['load']}\n",
        flush=True,
    )
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
    for f in rows:
        for failure in f.load.failures[:5]:
            print(f"{f.name}: {failure}")
        if f.problems:
            print(f"{f.name}: {len(f.problems)} error(s) in the server log; the first:")
            print(f.problems[0])
    print(f"\nresult: {mark(v.ok)}\n")
    section = markdown(command, args, rows, v, meta)
    print("--- Markdown for docs/benchmarks.md ---\n")
    print(section)
    if args.markdown:
        args.markdown.write_text(section)
    return 0 if v.ok else 1


if __name__ == "__main__":
    sys.exit(main())
