"""The console door: a chat channel in the terminal, and the way most tests talk to the bot.

`ConsoleBot.say(text)` returns what the channel would show, synchronously; lines starting with
`/` steer the console itself (`/as bob` speaks as another member, `/channel ops` moves)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.console.pictures import shown
from handlers import Context, CoreConfig, Reply, dispatch
from handlers.reply import Person, resolve_mentions, resolve_moments
from storage.db import Database

PLATFORM = "console"


def render(reply: Reply, pictures: Path | None = None) -> str:
    """A Reply as terminal text: a title with its light, indented lines, fields and buttons;
    each picture written as a PNG file in the folder `pictures` and its path shown (without a
    folder, what it shows: a dry run writes nothing)."""

    def person(p: Person) -> str:
        return f"@{p.name}"

    zone = ZoneInfo(reply.tz)

    def text(value: str) -> str:
        value = resolve_mentions(value, reply.people, person)
        return resolve_moments(value, lambda when: when.astimezone(zone).strftime("%m-%d %H:%M"))

    mark = "⚠️ " if reply.error else f"{reply.light.emoji} " if reply.light else ""
    out = [mark + text(reply.title)]
    for label, value in reply.fields:
        out.append(f"  {label}: {text(value)}" if label else f"  {text(value)}")
    for line in reply.lines:
        prefix = f"{line.light.emoji} " if line.light else ""
        out.append(f"  {prefix}{text(line.text)}")
    if reply.actions:
        out.append("  " + "  ".join(f"[{a.label}: {a.command}]" for a in reply.actions))
    if not reply.secret:
        for picture in reply.pictures:
            out.extend("  " + line for line in shown(pictures, picture))
    for follow_up in reply.thread:  # thread replies on Slack; here, indented below
        out.append("")
        out.extend(
            "  ↳ " + line if i == 0 else "    " + line
            for i, line in enumerate(render(follow_up, pictures).splitlines())
        )
    return "\n".join(out)


class ConsoleBot:
    def __init__(
        self,
        db: Database,
        config: CoreConfig | None = None,
        *,
        workspace: str = "console",
        channel: str = "general",
        user: str = "me",
        admins: Iterable[str] | None = None,
        now: datetime | None = None,
        pictures_dir: Path | None = None,
    ) -> None:
        """`pictures_dir`: where the charts it shows are written (default ./pictures)."""
        self.db = db
        self.pictures_dir = pictures_dir if pictures_dir is not None else Path("pictures")
        self.config = config or CoreConfig()
        self.workspace, self.channel, self.user = workspace, channel, user
        self.admins = {a.casefold() for a in (admins if admins is not None else [user])}
        self.now = now

    def context(self) -> Context:
        return Context(
            db=self.db,
            platform=PLATFORM,
            workspace=self.workspace,
            channel=self.channel,
            channel_name=self.channel,
            user=self.user.casefold(),
            user_name=self.user,
            is_admin=self.user.casefold() in self.admins,
            now=self.now,
            config=self.config,
        )

    def reply(self, text: str) -> Reply:
        return dispatch(text, self.context())

    def say(self, text: str) -> str:
        line = text.strip()
        if line.startswith("/"):
            return self._console_command(line)
        return render(self.reply(line), self.pictures_dir)

    def _console_command(self, line: str) -> str:
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if name == "as" and arg:
            self.user = arg.lstrip("@")
            return f"(now speaking as @{self.user})"
        if name == "channel" and arg:
            self.channel = arg.lstrip("#")
            return f"(now in #{self.channel})"
        if name == "admin" and arg:
            self.admins.add(arg.lstrip("@").casefold())
            return f"(@{arg.lstrip('@')} is an admin in this console)"
        return (
            "console commands: /as NAME (speak as someone else), /channel NAME, "
            "/admin NAME, /quit — anything else goes to the bot; try `help` / `帮助`"
        )


def run(bot: ConsoleBot, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Interactive with line editing and history on a terminal; one command a line when piped."""
    if stdin.isatty():
        return _interactive(bot, stdout)
    for raw in stdin:
        line = raw.strip()
        if not line:
            continue
        if line in ("/quit", "/exit"):
            break
        print(f"> {line}", file=stdout)
        print(bot.say(line), file=stdout, flush=True)
    return 0


def _interactive(bot: ConsoleBot, stdout: TextIO) -> int:
    try:
        import readline
    except ImportError:  # Windows has no readline; input() still works
        readline = None
    history = Path.home() / ".paceline_history"
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    print(
        "Paceline console — type `help` or `帮助`; /as NAME switches speaker; Ctrl-D quits.",
        file=stdout,
    )
    try:
        while True:
            try:
                line = input(f"{bot.user} @ #{bot.channel}> ").strip()
            except EOFError:
                print(file=stdout)
                break
            except KeyboardInterrupt:
                print(file=stdout)
                continue
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            print(bot.say(line), file=stdout, flush=True)
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(history)
    return 0
