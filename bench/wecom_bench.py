"""Encrypted intelligent-robot callbacks against `paceline serve`, beside a bare endpoint.

    .venv/bin/python -m bench.wecom_bench                  # 1,000 requests, 20 at a time
    .venv/bin/python -m bench.wecom_bench --quick          # 100 requests

Two servers run as subprocesses on 127.0.0.1, each on a free port:

* "paceline serve": the real `python -m bot serve` on a SQLite file in a temporary directory,
  its WeCom API (token, member directory) and every response_url pointed at a FakeWeCom
  (tests/fakes/wecom.py) in this process;
* "bare endpoint": bench/bare_wecom.py, the same server stack (bot.web.make_server: waitress,
  its THREADS, the same WSGI function and route) whose /wecom/aibot only checks the signature,
  decrypts with wechatpy's `WeChatCrypto(token, aes_key, "")` and answers 200.

Each request is a group message to the robot, `@Paceline 新建 压测任务 N @张三 周五前 +压测`,
encrypted and signed as WeCom does (tests/fakes/wecom.py `aibot_text`), with its own msgid and
its own response_url on the fake. All bodies are built before the timed run (encrypting is
WeCom's work, not ours), but only just before it: the door refuses a timestamp more than five
minutes off.

A client process (so that its timing does not share a GIL with the FakeWeCom) runs
`--concurrency` threads, one keep-alive `http.client` connection each. After a warm-up that is
not counted, it sends `--requests` callbacks and times each one from send to the end of the
response. For paceline it then waits for the work that follows the ack: every answer posted to
its response_url and every task in the database, and says how long after the last HTTP response
that finished. Target: p99 under 200 ms; the throughput against the bare endpoint is reported
beside it. For the run to count, no error either: every response 200, every answer posted once
and saying the task was added, every task stored once, nothing logged at ERROR by either server.

Nothing leaves the machine: servers, fake and client all use 127.0.0.1, proxies are cleared
from the servers' environment, and every wait is bounded. Exit status: 0 when all is met, 1 when
the target is missed or a request failed, 2 when the run itself could not be done.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

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
from tests.fakes import wecom as fw

PATH = "/wecom/aibot"
CORP_ID = "wwbench"
SECRET = "bench-app-secret"
AIBOT_TOKEN = "bench-aibot-token"
CHAT_ID = "wrk-bench-chat"
SENDER = "lisi"
USERS = [("zhangsan", "张三"), ("lisi", "李四"), ("wangfang", "王芳")]
CONTENT = "@Paceline 新建 压测任务 {n} @张三 周五前 +压测"
ADDED = "已新建 #"  # the start of the robot's answer when the task was added
ASSIGNED = "<@zhangsan>"  # ... and the owner @张三 resolved through the directory
RESPONSE = "aibot/response:"  # how the fake records a post to a response_url

# How each server is started (`--host` and `--port` are added).
PACELINE_SERVER = ["-m", "bot", "serve"]
BARE_SERVER = ["-m", "bench.bare_wecom"]


def server_env(fake: fw.FakeWeCom, aes_key: str, extra: dict[str, str]) -> dict[str, str]:
    return clean_env(
        WECOM_AIBOT_TOKEN=AIBOT_TOKEN,
        WECOM_AIBOT_ENCODING_AES_KEY=aes_key,
        WECOM_CORP_ID=CORP_ID,  # with the secret: the member directory (user/list) on the fake
        WECOM_SECRET=SECRET,
        WECOM_API_URL=fake.base_url,
        **extra,
    )


# --- requests ----------------------------------------------------------------------------------


def callbacks(fake: fw.FakeWeCom, aes_key: str, prefix: str, n: int) -> list[Request]:
    """`@Paceline 新建 压测任务 N @张三 周五前 +压测`, encrypted and signed now, one msgid and one
    response_url each."""
    requests = []
    for i in range(1, n + 1):
        name = f"{prefix}{i}"
        query, body = fw.aibot_text(
            AIBOT_TOKEN,
            aes_key,
            CONTENT.format(n=name),
            msgid=f"bench-{name}",
            chatid=CHAT_ID,
            userid=SENDER,
            response_url=fake.response_url(name),
        )
        requests.append((f"{PATH}?{urlencode(query)}", body, {"Content-Type": "application/json"}))
    return requests


def answers(fake: fw.FakeWeCom, prefix: str) -> dict[str, list[fw.Call]]:
    """The posts to each response_url of this batch, by response_code."""
    by_code: dict[str, list[fw.Call]] = {}
    for call in list(fake.calls):
        if call.method.startswith(RESPONSE + prefix):
            by_code.setdefault(call.method[len(RESPONSE) :], []).append(call)
    return by_code


def content(call: fw.Call) -> str:
    return str(((call.body or {}).get("markdown") or {}).get("content") or call.body or call.raw)


def wait_answers(fake: fw.FakeWeCom, prefix: str, n: int, db_path: Path, before: int):
    """Until every request has had an answer (the first post to each response_url counts)."""
    return wait_background(
        lambda: [calls[0] for calls in answers(fake, prefix).values()],
        lambda c: c.ok and ADDED in content(c) and ASSIGNED in content(c),
        content,
        n,
        db_path,
        before,
        lost_ok=True,
    )


def duplicate_tasks(db_path: Path, prefix: str) -> int:
    """Tasks of this batch stored more than once (the same title twice)."""
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        (total, distinct) = conn.execute(
            "SELECT count(*), count(DISTINCT title) FROM task WHERE title LIKE ?",
            (f"压测任务 {prefix}%",),
        ).fetchone()
        return total - distinct
    finally:
        conn.close()


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Extra:
    """What else paceline's run showed: answers posted twice, tasks stored twice."""

    duplicate_answers: int = 0
    duplicate_tasks: int = 0


@dataclass
class Verdict:
    p99_ok: bool
    ratio: float  # reported, not a target
    errors_ok: bool  # every request 200, every task added and answered once, no server errors

    @property
    def ok(self) -> bool:
        return self.p99_ok and self.errors_ok


def verdict(paceline: Figures, bare: Figures, extra: Extra, n: int) -> Verdict:
    bg = paceline.background
    work_ok = (
        bg is not None
        and bg.ok == n
        and bg.tasks == n
        and extra.duplicate_answers == 0
        and extra.duplicate_tasks == 0
    )
    return Verdict(
        p99_ok=paceline.p99 < P99_TARGET_MS,
        ratio=throughput_ratio(paceline, bare),
        errors_ok=paceline.load.errors == 0
        and bare.load.errors == 0
        and work_ok
        and not paceline.problems
        and not bare.problems,
    )


def background_line(paceline: Figures, extra: Extra, n: int) -> str:
    bg: Background | None = paceline.background
    if bg is None:
        return "work after the ack: not measured"
    after = bg.done_at - paceline.load.finished
    total = bg.done_at - paceline.load.started
    line = (
        f"work after the ack: {bg.replies}/{n} answers posted ({bg.ok} saying the task was "
        f"added), {bg.tasks}/{n} tasks stored"
    )
    if extra.duplicate_answers or extra.duplicate_tasks:
        line += (
            f" ({extra.duplicate_answers} answers posted twice, "
            f"{extra.duplicate_tasks} tasks stored twice)"
        )
    if bg.timed_out:
        line += f"; {n - bg.replies} answers still missing after {total:.0f} s"
    else:
        if bg.replies < n:
            line += f"; {n - bg.replies} not answered (their callback was refused)"
        line += (
            f"; the last answer came {after:.2f} s after the last HTTP response ({total:.2f} s "
            f"after the first request: {bg.tasks / total:.1f} tasks/s end to end)"
        )
    if bg.sample_error:
        line += f"; an error answer: {bg.sample_error!r}"
    return line


def summary(paceline: Figures, bare: Figures, extra: Extra, v: Verdict, n: int) -> list[str]:
    lines = [
        f"p99 {paceline.p99:.1f} ms (target < {P99_TARGET_MS:.0f} ms): {mark(v.p99_ok)}",
        f"throughput {paceline.rps:.1f} / {bare.rps:.1f} req/s = {v.ratio:.2f} of the bare "
        f"endpoint; p99 {paceline.p99:.1f} / {bare.p99:.1f} ms",
        f"errors: {paceline.load.errors} + {bare.load.errors} non-200, "
        f"{len(paceline.problems)} + {len(bare.problems)} server log errors "
        f"(target 0, and every task added and answered once): {mark(v.errors_ok)}",
        background_line(paceline, extra, n),
    ]
    return lines + [e for e in (first_error(paceline), first_error(bare)) if e]


def markdown(command: str, args, rows: list[Figures], extra: Extra, v: Verdict, meta: dict):
    out = markdown_head(command, args, meta, v.ok) + markdown_table(rows)
    out.append("")
    out.extend(f"- {line}" for line in summary(rows[0], rows[1], extra, v, args.requests))
    return "\n".join(out) + "\n"


# --- the run -----------------------------------------------------------------------------------


def timed_requests(fake: fw.FakeWeCom, aes_key: str, prefix: str, n: int, notes: list[str]):
    started = time.monotonic()
    requests = callbacks(fake, aes_key, prefix, n)
    notes.append(f"{n} callbacks encrypted in {time.monotonic() - started:.2f} s before the run")
    return requests


def measure_paceline(fake, aes_key: str, pool, args, workdir: Path) -> tuple[Figures, Extra]:
    db_path = workdir / "bench.db"
    env = server_env(fake, aes_key, {"DATABASE_URL": f"sqlite:///{db_path}"})
    notes: list[str] = []
    with server("paceline", PACELINE_SERVER, env, workdir) as srv:
        if args.warmup:  # also fills the server's member directory and access token
            warm = callbacks(fake, aes_key, "w", args.warmup)
            load_in(pool, srv.port, warm, min(args.concurrency, args.warmup))
            wait_answers(fake, "w", args.warmup, db_path, 0)
        fake.reset()
        before = task_count(db_path)
        requests = timed_requests(fake, aes_key, "b", args.requests, notes)
        cpu = srv.cpu_seconds()
        load = load_in(pool, srv.port, requests, args.concurrency)
        # A callback refused (not 200) is not worked on: WeCom would send it again.
        background = wait_answers(fake, "b", load.statuses.get(200, 0), db_path, before)
        figures = Figures("paceline serve", load, srv.cpu_seconds() - cpu, background)
        directory = len(fake.calls_to("user/list")) + len(fake.calls_to("user/simplelist"))
        notes.append(
            f"WeCom API calls during the run: {directory} user/list, "
            f"{len(fake.calls_to('gettoken'))} gettoken"
        )
    figures.problems = srv.problems()  # read after the server stopped: the whole log
    posts = answers(fake, "b")
    extra = Extra(
        duplicate_answers=sum(len(calls) - 1 for calls in posts.values()),
        duplicate_tasks=duplicate_tasks(db_path, "b"),
    )
    figures.notes.extend([*notes, f"paceline log warnings: {srv.warnings()}"])
    return figures, extra


def measure_bare(fake, aes_key: str, pool, args, workdir: Path) -> Figures:
    env = server_env(fake, aes_key, {})
    notes: list[str] = []
    with server("bare", BARE_SERVER, env, workdir) as srv:
        if args.warmup:
            warm = callbacks(fake, aes_key, "w", args.warmup)
            load_in(pool, srv.port, warm, min(args.concurrency, args.warmup))
        requests = timed_requests(fake, aes_key, "b", args.requests, notes)
        cpu = srv.cpu_seconds()
        load = load_in(pool, srv.port, requests, args.concurrency)
        figures = Figures("bare endpoint", load, srv.cpu_seconds() - cpu)
    figures.problems = srv.problems()
    figures.notes.append(f"bare log warnings: {srv.warnings()}")
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args("python -m bench.wecom_bench", __doc__.splitlines()[0], argv)
    command, meta = start_run("bench.wecom_bench", argv)
    aes_key = fw.new_aes_key()
    spawn = multiprocessing.get_context("spawn")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="paceline-bench-") as tmp,
            fw.FakeWeCom(corp_id=CORP_ID, secret=SECRET) as fake,
            spawn.Pool(1) as pool,
        ):
            for userid, name in USERS:
                fake.add_user(userid, name)
            workdir = Path(tmp)
            print("bare endpoint ...", flush=True)
            bare = measure_bare(fake, aes_key, pool, args, workdir)
            fake.reset()
            print("paceline serve ...", flush=True)
            paceline, extra = measure_paceline(fake, aes_key, pool, args, workdir)
    except (RuntimeError, TimeoutError, OSError, multiprocessing.TimeoutError) as err:
        print(f"benchmark failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    rows = [paceline, bare]
    v = verdict(paceline, bare, extra, args.requests)
    print()
    print(table(rows))
    print()
    for line in summary(paceline, bare, extra, v, args.requests) + paceline.notes + bare.notes:
        print(line)
    print_failures(rows)
    print(f"\nresult: {mark(v.ok)}\n")
    section = markdown(command, args, rows, extra, v, meta)
    print("--- Markdown for docs/benchmarks.md ---\n")
    print(section)
    if args.markdown:
        args.markdown.write_text(section)
    return 0 if v.ok else 1


if __name__ == "__main__":
    sys.exit(main())
