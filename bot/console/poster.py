"""Scheduled posts to a console channel (and every dry run): printed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from bot.console.door import render
from handlers import Reply
from storage.models import Channel, Workspace

if TYPE_CHECKING:
    from bot.delivery import Progress


class ConsolePoster:
    """Console channels (and dry runs): the post is printed."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out

    def post(self, channel: Channel, workspace: Workspace, reply: Reply, progress: Progress):
        print(f"#{channel.name or channel.external_id}:\n{render(reply)}\n", file=self.out)
        progress.sent()
