"""Screenshots of the dashboard on the demo campaign (bot/console/demo.py, the Double-11 plan),
taken by headless Chromium from a real `paceline serve` on 127.0.0.1, for docs/:

    .venv/bin/python -m bench.dashboard_shots            # docs/dashboard-*.png
    .venv/bin/python -m bench.dashboard_shots --out /tmp/shots

Each page (the portfolio and the project, 中文; the project in English) at a phone's size
(390×844) and a desktop's (1280×…). Needs Debian's `chromium` (exit status 2 without it). The
browser tests (tests/test_dashboard_browser.py) use the same helpers."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # the page's web font (the CJK one, fetched only where no system font has the characters)
    # is waited for before the picture is taken
    "--virtual-time-budget=15000",
)
PHONE = (390, 844)
DESKTOP = (1280, 900)
DESKTOP_TALL = (1280, 2000)  # a project page, whole


def chromium() -> str | None:
    """The Chromium binary on this machine, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(binary: str, args: list[str], url: str, timeout: float = 90) -> str:
    with tempfile.TemporaryDirectory(prefix="paceline-chromium-") as profile:
        done = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def dump_dom(binary: str, url: str) -> str:
    """The page's DOM after it loaded, as Chromium serialises it."""
    return _run(binary, ["--dump-dom"], url)


def screenshot(binary: str, url: str, path: Path, size: tuple[int, int], *flags: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(binary, [*flags, f"--screenshot={path}", f"--window-size={size[0]},{size[1]}"], url)
    if not path.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {path}")
    return path


@dataclass(frozen=True)
class Demo:
    base: str  # http://127.0.0.1:port
    links: dict[str, str]  # by language: the lead's dashboard link
    db_path: Path


@contextmanager
def demo_server(workdir: Path, now: datetime | None = None) -> Iterator[Demo]:
    """The demo campaign in a fresh SQLite file, served by `paceline serve`'s app (no door) on
    127.0.0.1, port 0; the links its lead (an admin) gets from `仪表盘` and `dashboard`."""
    from bot.console import ConsoleBot
    from bot.console.demo import CHANNEL, LEAD, run_demo
    from bot.settings import get_settings
    from bot.web import make_server
    from handlers import CoreConfig
    from storage.db import Database

    now = now or datetime.now(UTC)
    path = workdir / "demo.db"
    run_demo(path, now=now)
    db = Database.open(f"sqlite:///{path}")
    server = make_server(get_settings(_env_file=None), db, host="127.0.0.1", port=0, doors=[])
    thread = threading.Thread(target=server.run, name="dashboard-demo", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    try:
        config = CoreConfig(default_tz="Asia/Shanghai", default_lang="zh", public_url=base)
        bot = ConsoleBot(db, config, channel=CHANNEL, user=LEAD, admins=[LEAD], now=now)
        links = {}
        for lang, word in (("zh", "仪表盘"), ("en", "dashboard")):
            reply = bot.reply(word)
            if reply.error or not reply.lines[0].text.startswith(base):
                raise RuntimeError(f"no dashboard link: {reply.lines[0].text}")
            links[lang] = reply.lines[0].text
        yield Demo(base, links, path)
    finally:
        _stop(server, thread)
        db.dispose()


def _stop(server, thread: threading.Thread) -> None:
    """Requests in flight finish, then the sockets close inside the server's own loop."""
    from waitress import wasyncore

    server.task_dispatcher.shutdown()
    try:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    except OSError:
        wasyncore.close_all(server._map)
    thread.join(timeout=5)


def project_link(link: str, project_id: int = 1) -> str:
    return link.replace("/dashboard?", f"/dashboard/project?id={project_id}&", 1)


def shoot(binary: str, demo: Demo, out: Path) -> list[Path]:
    pages = {
        "portfolio-zh": (demo.links["zh"], DESKTOP),
        "project-zh": (project_link(demo.links["zh"]), DESKTOP_TALL),
        "project-en": (project_link(demo.links["en"]), DESKTOP_TALL),
    }
    made = []
    for name, (url, desktop) in pages.items():
        made.append(screenshot(binary, url, out / f"dashboard-{name}-phone.png", PHONE))
        made.append(screenshot(binary, url, out / f"dashboard-{name}-desktop.png", desktop))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_shots", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    binary = chromium()
    if binary is None:
        print("no chromium on this machine (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work, demo_server(Path(work)) as demo:
        for path in shoot(binary, demo, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
