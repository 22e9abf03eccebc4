"""Scheduled posts to a console channel (and every dry run): printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.console.door import render
from handlers import Reply
from storage.models import Channel, Workspace

if TYPE_CHECKING:
    from bot.delivery import Progress


class ConsolePoster:
    """Console channels (and dry runs): the post is printed, its pictures written as PNG files
    in `pictures` (their paths printed); without a folder (a dry run) only what they show."""

    def __init__(self, out: TextIO = sys.stdout, pictures: Path | None = None) -> None:
        self.out, self.pictures = out, pictures

    def post(self, channel: Channel, workspace: Workspace, reply: Reply, progress: Progress):
        shown = render(reply, self.pictures)
        print(f"#{channel.name or channel.external_id}:\n{shown}\n", file=self.out)
        progress.sent()
