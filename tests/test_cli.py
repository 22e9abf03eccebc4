"""The command line as a user runs it: piped console scripts, the demo, migrations, the server.

The commands run in-process through `bot.cli.main(argv)` (a subprocess per command cost most of
this file's time); one test, the console on a real terminal, still starts `python -m bot`, which
proves the entry point."""

from __future__ import annotations

import inspect
import io
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import cli, console, delivery, logs
from bot.settings import get_settings
from bot.web import make_server
from storage import db as storage_db
from storage.db import head_revision
from tests.fakes.pools import stop_server

ROOT = Path(__file__).resolve().parent.parent
PINNED = "2026-11-26T10:00+08:00"


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


class _CurrentStdout:
    """Writes to whatever sys.stdout is at the time of writing (capsys's, during a test)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def _rebind_streams(monkeypatch: pytest.MonkeyPatch, fn: object, **streams: object) -> None:
    """Give `fn`'s stream parameters new defaults. bot.console.run, ConsolePoster and
    Delivery.run default to sys.stdin / sys.stdout as they were when their module was imported
    (pytest's capture at collection), which capsys never sees."""
    params = inspect.signature(fn).parameters.values()  # type: ignore[arg-type]
    assert streams.keys() & {p.name for p in params}, f"{fn} has none of {sorted(streams)}"
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is not p.empty
    ]
    if positional:
        defaults = tuple(streams.get(p.name, p.default) for p in positional)
        monkeypatch.setattr(fn, "__defaults__", defaults)
    if getattr(fn, "__kwdefaults__", None):
        kwdefaults = {k: streams.get(k, v) for k, v in fn.__kwdefaults__.items()}  # type: ignore[attr-defined]
        monkeypatch.setattr(fn, "__kwdefaults__", kwdefaults)


@pytest.fixture
def paceline(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path):
    """`paceline ARGS` as a user runs it in an empty directory (tmp_path) with no PACELINE_* or
    DATABASE_URL in the environment: the exit code, stdout and stderr. In-process, through
    bot.cli.main; every engine a command opens is disposed when it returns, as at a process's
    exit."""
    for name in list(os.environ):
        if name.startswith(("PACELINE_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    follow = _CurrentStdout()
    _rebind_streams(monkeypatch, console.ConsolePoster.__init__, out=follow)
    _rebind_streams(monkeypatch, delivery.Delivery.run, out=follow)
    engines: list = []
    make_engine = storage_db.make_engine

    def tracked_make_engine(url: str, **kwargs):
        engine = make_engine(url, **kwargs)
        engines.append(engine)
        return engine

    monkeypatch.setattr(storage_db, "make_engine", tracked_make_engine)
    alembic_log = logging.getLogger("alembic")
    alembic_level = alembic_log.level  # main() quiets alembic; leave it as it was

    def run(*args: str, stdin: str = "") -> Ran:
        _rebind_streams(monkeypatch, console.run, stdin=io.StringIO(stdin), stdout=follow)
        capsys.readouterr()
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse: --help, usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            while engines:
                engines.pop().dispose()
            alembic_log.setLevel(alembic_level)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    yield run
    logs.uninstall()  # main() redacts every log record of the process; not past this test


def test_piped_console_plays_a_whole_team(paceline, tmp_path):
    script = "\n".join(
        [
            "settings tz Asia/Shanghai",
            "add Write warm-up copy @bob due:fri +double11",
            "新建 写预热文案 @张三 周五前 +双11",
            "/as bob",
            "start 1",
            "progress 1 60%",
            "/as 张三",
            "阻塞 2 设计资源不足 原因:资源",
            "list",
            "",
        ]
    )
    out = paceline(
        "console",
        "--user",
        "alice",
        "--channel",
        "double11",
        "--now",
        PINNED,
        stdin=script,
    )
    assert out.returncode == 0, out.stderr
    assert "Added #1" in out.stdout and "已新建 #2" in out.stdout  # as each was asked
    assert "(now speaking as @bob)" in out.stdout
    assert "#1 is 60% done" in out.stdout
    listing = out.stdout.rsplit("> list", 1)[1]
    assert "🔴 #2 写预热文案 · @张三" in listing and "设计资源不足" in listing
    assert "#1 Write warm-up copy · @bob · Due Fri Nov 27" in listing
    assert (tmp_path / "paceline.db").exists(), "the default database is a SQLite file in cwd"


def test_console_state_persists_between_runs(paceline):
    first = paceline(
        "console",
        "--user",
        "alice",
        "--now",
        PINNED,
        stdin="add Book the live-stream studio due:2026-12-01\n",
    )
    assert first.returncode == 0, first.stderr
    second = paceline("console", "--user", "alice", "--now", PINNED, stdin="show 1\n")
    assert "#1 Book the live-stream studio" in second.stdout


def test_console_rejects_a_naive_pinned_clock(paceline):
    out = paceline("console", "--now", "2026-11-26T10:00", stdin="")
    assert out.returncode == 2
    assert "zone offset" in out.stderr


def test_demo_prints_a_campaign_with_lights(paceline, tmp_path):
    out = paceline("demo", "--path", "demo.db", "--now", PINNED)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "双11" in text
    assert "🔴" in text and "🟡" in text and "🟢" in text
    assert "逾期" in text  # some tasks are overdue
    assert "阻塞原因：法务排期已满" in text  # one is blocked, with its reason
    assert "Design KV banners" in text  # English and Chinese tasks side by side
    # the plan: three phases, GMV by phase for two channels, one red by pace with the move
    assert "🔴 灯色依据：指标 GMV 电商 进度 63%（低于 80%）" in text
    assert "电商 63% vs 线下 134%：建议把资源从线下调往电商" in text
    assert "缓冲 8 天 · 已用 38%（8 天中的 3 天）" in text  # partly used
    assert all(phase in text for phase in ("预热期", "爆发期 ▶ 进行中", "长尾期"))
    assert "看板 +双11大促" in text and "▍阻塞 · 1 项" in text
    assert "🔴 +双11大促：GMV 电商 进度 63%" in text  # the portfolio line
    assert (tmp_path / "demo.db").exists()
    # the charts: PNG files beside the database, their paths printed (the digest's Gantt too)
    charts = sorted((tmp_path / "demo-pictures").glob("*.png"))
    names = {p.name for p in charts}
    assert {"gantt-双11大促.png", "kpi-双11大促-gmv.png", "fever-双11大促.png"} <= names
    assert all(str(p) in text and p.read_bytes().startswith(b"\x89PNG") for p in charts)
    # a dashboard link for `paceline serve` on this database (the default local address)
    links = [w for w in text.split() if w.startswith("http://localhost:3000/dashboard?k=")]
    assert len(links) == 1
    assert "DATABASE_URL=sqlite:///demo.db paceline serve" in text
    again = paceline("demo", "--path", "demo.db", "--now", PINNED, "--lang", "en")
    assert again.returncode == 0, again.stderr
    english = again.stdout
    assert "light decided by KPI GMV 电商 at 63% of pace" in english
    assert "move resources from 线下 to 电商" in english
    assert "Board +双11大促" in english and "Portfolio · 1 open project" in english
    assert english.count("#1 ") <= 1, "a second demo starts from a fresh file"
    assert "Gantt · +双11大促" in english and "Buffer fever chart · +双11大促" in english
    assert len(list((tmp_path / "demo-pictures").glob("*.png"))) == len(charts)  # the last run's


def test_db_upgrade_reports_the_revision(paceline, tmp_path):
    out = paceline("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert out.returncode == 0, out.stderr
    assert f"revision {head_revision()}" in out.stdout


def test_bad_settings_are_reported_not_raised(paceline, tmp_path):
    (tmp_path / ".env").write_text("PACELINE_TIMEZONE=Mars/Olympus\n")
    out = paceline("console", stdin="")
    assert out.returncode == 2
    assert "Mars/Olympus" in out.stderr


def test_help_lists_the_commands(paceline):
    out = paceline("--help")
    for command in ("console", "demo", "serve", "db"):
        assert command in out.stdout


@pytest.fixture
def server(sqlite_db):
    srv = make_server(get_settings(), sqlite_db, host="127.0.0.1", port=0)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    stop_server(srv, thread)


def test_server_answers_healthz(server):
    with urllib.request.urlopen(f"{server}/healthz", timeout=5) as resp:
        assert resp.status == 200
        assert json.load(resp) == {"status": "ok"}


def test_server_answers_404_for_unknown_paths(server):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{server}/nope", timeout=5)
    assert err.value.code == 404


def test_offline_guard_blocks_the_internet():
    with pytest.raises(RuntimeError, match="network"):
        urllib.request.urlopen("http://example.com", timeout=5)


def test_interactive_console_on_a_terminal_prompts_and_keeps_history(tmp_path):
    """On a real (pseudo) terminal: a greeting, a prompt per line, and a history file.

    The one test that starts a real process (`python -m bot`): the smoke test of the entry
    point, which the in-process tests above skip."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACELINE_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path), TERM="dumb")
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--user", "alice", "--now", PINNED],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env=env,
    )
    os.close(terminal)
    output = b""

    def read_until(marker: bytes, times: int = 1) -> None:
        nonlocal output
        while output.count(marker) < times:
            ready, _, _ = select.select([controller], [], [], 60)
            assert ready, f"no {marker!r} in {output!r}"
            output += os.read(controller, 4096)

    prompt = b"alice @ #general> "
    read_until(prompt)
    os.write(controller, b"add Book the studio tomorrow\n")
    read_until(b"Added #1")
    read_until(prompt, times=2)  # input() waits again, so Ctrl-D reaches it
    os.write(controller, b"\x04")  # Ctrl-D
    assert proc.wait(timeout=60) == 0
    os.close(controller)
    assert b"Paceline console" in output
    assert "add Book the studio tomorrow" in (tmp_path / ".paceline_history").read_text()


def test_remind_digest_and_outbox_from_the_command_line(paceline, tmp_path):
    script = "add Write copy @bob due:2026-11-24\nadd Book studio due:2026-11-26 +launch\n"
    made = paceline("console", "--now", "2026-11-23T10:00+00:00", stdin=script)
    assert made.returncode == 0, made.stderr
    thursday = ("--now", "2026-11-26T09:45+00:00")  # the console channel keeps UTC

    dry = paceline("remind", "--dry-run", *thursday)
    assert "Morning check" in dry.stdout and "remind general 2026-11-26: dry-run" in dry.stdout
    assert "— would post the message above" in dry.stdout
    assert paceline("outbox").stdout.strip() == "nothing pending or failed"
    # a dry run long past the time, on a Saturday: no skipped row, no warning, and it says why
    saturday = paceline("remind", "--dry-run", "--now", "2026-11-28T15:00+00:00")
    assert saturday.returncode == 0 and "Morning check" not in saturday.stdout
    assert (
        "remind general 2026-11-27: dry-run — nothing would be posted: today (Sat Nov 28) "
        "is not a remind day here (mon,tue,wed,thu,fri)"
    ) in saturday.stdout
    assert "skipped" not in saturday.stdout + saturday.stderr
    assert paceline("outbox", "--all").stdout.strip() == "the outbox is empty"

    first = paceline("remind", *thursday)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Morning check") == 1 and ": sent" in first.stdout
    again = paceline("remind", *thursday)
    assert "Morning check" not in again.stdout and "2026-11-26: taken" in again.stdout
    sent = paceline("remind", "--dry-run", *thursday)
    assert "Morning check" not in sent.stdout
    assert "2026-11-26: dry-run — nothing would be posted: already sent at" in sent.stdout
    listing = paceline("outbox", "--all").stdout
    assert "sent" in listing and "remind" in listing and "#general" in listing

    refused = paceline("remind", "--force", *thursday)
    assert refused.returncode == 2 and "--force needs --channel" in refused.stderr
    forced = paceline("remind", "--channel", "general", "--force", *thursday)
    assert forced.stdout.count("Morning check") == 1

    digest = paceline("digest", "--dry-run", "--now", "2026-11-30T10:05+00:00")
    assert "Weekly stand-up" in digest.stdout and "+launch" in digest.stdout

    import sqlite3

    with sqlite3.connect(tmp_path / "paceline.db") as conn:
        conn.execute(
            "UPDATE channel SET posts_stopped_at = '2026-11-26 09:45:00.000000', "
            "posts_stopped_why = 'channel_not_found'"
        )
    assert "posts to #general stopped since 2026-11-26 09:45Z — channel_not_found" in (
        paceline("outbox").stdout
    )
    friday = paceline("remind", "--now", "2026-11-27T09:45+00:00")
    assert "Morning check" not in friday.stdout and "2026-11-27: stopped" in friday.stdout
