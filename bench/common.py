"""What the door benchmarks share (bench/slack_bench.py, bench/wecom_bench.py): the load client,
running a server as a subprocess, waiting for the work that follows the ack, and the figures.

Every wait here has a time limit, and `server()` stops its subprocess on the way out, even
when the run fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import math
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
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_REQUESTS = 1000
QUICK_REQUESTS = 100
DEFAULT_CONCURRENCY = 20
DEFAULT_WARMUP = 20
P99_TARGET_MS = 200.0

START_TIMEOUT_S = 30.0  # a server must answer GET /healthz within this
LOAD_TIMEOUT_S = 300.0  # one load run (all requests) must finish within this
BACKGROUND_TIMEOUT_S = 120.0  # paceline's replies and rows must all arrive within this
REQUEST_TIMEOUT_S = 30.0  # one HTTP request
POLL_S = 0.005
PROBLEM_LEVELS = ("ERROR", "CRITICAL")
LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")  # bot.cli.LOG_FORMAT

# Environment a server must not inherit: it would reach the network or change the setup.
SCRUB_PREFIXES = ("SLACK_", "WECOM_", "PACELINE_")
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

# One request as the client sends it: path (with its query string), body, headers; a POST, or a
# GET when the body is None.
Request = tuple[str, bytes | None, dict[str, str]]


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


def run_load(port: int, requests: list[Request], concurrency: int) -> Load:
    """Send every request over `concurrency` keep-alive connections; time each one."""
    work: queue.SimpleQueue[Request] = queue.SimpleQueue()
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
                    path, body, headers = work.get_nowait()
                except queue.Empty:
                    break
                start = time.perf_counter()
                try:
                    conn.request("GET" if body is None else "POST", path, body, headers)
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


def load_in(pool, port: int, requests: list[Request], concurrency: int) -> Load:
    """run_load in the client process; a client that dies or hangs ends in a timeout."""
    return pool.apply_async(run_load, (port, requests, concurrency)).get(LOAD_TIMEOUT_S + 30)


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without proxies or Paceline, Slack and WeCom settings, plus
    `settings`, loopback exempt from any proxy, and the repo on PYTHONPATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUB_NAMES and not k.startswith(SCRUB_PREFIXES)
    }
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PACELINE_LOG_LEVEL="WARNING",
        **settings,
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


# --- the work after the ack --------------------------------------------------------------------


def task_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM task").fetchone()[0]
    finally:
        conn.close()


@dataclass
class Background:
    """The work after the ack: one reply per request, `ok` of them saying the task was added."""

    replies: int
    ok: int
    tasks: int  # tasks stored by these requests
    done_at: float  # time.monotonic() when the last reply had arrived (or the wait gave up)
    sample_error: str = ""
    timed_out: bool = False  # replies < n: the wait gave up after BACKGROUND_TIMEOUT_S


def wait_background(
    replies: Callable[[], list[Any]],
    is_ok: Callable[[Any], bool],
    describe: Callable[[Any], str],
    n: int,
    db_path: Path,
    before: int,
    *,
    lost_ok: bool = False,
) -> Background:
    """Poll `replies()` until there are `n`; then count the tasks the requests stored.

    A task is committed before its reply is posted, so once all replies are in, so are the
    tasks. A reply that is not `is_ok` is an error answer (the task was not added); the first
    one is kept, as `describe` gives it. Replies still missing after BACKGROUND_TIMEOUT_S raise
    TimeoutError, or with `lost_ok` are reported as lost (`timed_out`, `replies` < n)."""
    deadline = time.monotonic() + BACKGROUND_TIMEOUT_S
    timed_out = False
    while True:
        now = time.monotonic()
        got = replies()
        if len(got) >= n:
            break
        if now > deadline:
            if lost_ok:
                timed_out = True
                break
            raise TimeoutError(
                f"after {BACKGROUND_TIMEOUT_S:.0f} s only {len(got)}/{n} replies arrived "
                f"({task_count(db_path) - before} tasks stored)"
            )
        time.sleep(POLL_S)
    failed = [reply for reply in got if not is_ok(reply)]
    sample = describe(failed[0])[:200] if failed else ""
    tasks = task_count(db_path) - before
    return Background(len(got), len(got) - len(failed), tasks, now, sample, timed_out)


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


def throughput_ratio(paceline: Figures, bare: Figures) -> float:
    return paceline.rps / bare.rps if bare.rps > 0 else math.nan


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


def markdown_table(rows: list[Figures]) -> list[str]:
    out = [
        "| target | requests | errors | p50 ms | p99 ms | max ms | req/s | server CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in rows:
        out.append(
            f"| {f.name} | {f.load.completed} | {f.load.errors} | {f.p50:.1f} | {f.p99:.1f} "
            f"| {f.max:.1f} | {f.rps:.1f} | {f.cpu_ms:.2f} |"
        )
    return out


def first_error(f: Figures) -> str | None:
    """The first logged error in short: its message and the exception it ends with."""
    if not f.problems:
        return None
    lines = f.problems[0].splitlines()
    head = re.sub(r"^\S+ \S+ ", "", lines[0])  # without the date and time
    # The exception line, not SQLAlchemy's "[SQL: ...]" and "(Background on this error ...)"
    ends = [line for line in lines[1:] if line.strip() and not line.startswith(("[", "("))]
    return f"{f.name}'s first logged error: {head}" + (f" ({ends[-1]})" if ends else "")


def print_failures(rows: list[Figures]) -> None:
    for f in rows:
        for failure in f.load.failures[:5]:
            print(f"{f.name}: {failure}")
        if f.problems:
            print(f"{f.name}: {len(f.problems)} error(s) in the server log; the first:")
            print(f.problems[0])


# --- the command line --------------------------------------------------------------------------


def parse_args(prog: str, description: str, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
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


def start_run(module: str, argv: list[str] | None) -> tuple[str, dict]:
    """The command as typed and the machine's particulars, printed; both go in the Markdown."""
    shown = sys.argv[1:] if argv is None else argv
    command = " ".join([f".venv/bin/python -m {module}", *map(shlex.quote, shown)])
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
    return command, meta


def markdown_head(command: str, args: argparse.Namespace, meta: dict, ok: bool) -> list[str]:
    return [
        f"### {meta['date']}: {mark(ok)}",
        "",
        "```",
        command,
        "```",
        "",
        f"{args.requests} requests at concurrency {args.concurrency} after {args.warmup} warm-up "
        f"requests; `nproc` {meta['nproc']}, Python {meta['python']}, {meta['system']}, "
        f"load average {meta['load']} at the start.",
        "",
    ]


class AnswersOnly:
    """The rest of bot/door.py's contract for a baseline door that only answers HTTP."""

    def poster(self):
        raise NotImplementedError("the baseline posts nothing")

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass
