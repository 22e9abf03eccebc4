"""Scheduled posts to a WeCom group: through the group robot (群机器人) whose webhook an admin
set, at the robot's pace; a refused webhook pauses the group."""

from __future__ import annotations

import re

from bot.door import Clock, wall_clock
from bot.pictures import png
from bot.wecom import render
from bot.wecom.api import IMAGE_BYTES, Sender, WebhookRefused, WeComError
from handlers import Reply
from handlers.context import PostTarget
from handlers.reply import Picture
from storage import queries
from storage.db import Database


def group_robot(prefix: str) -> PostTarget:
    """A group's scheduled posts go through the group robot (群机器人) whose webhook an admin
    sets: only an address on WeCom's own API host, or its bare key."""

    def accept(value: str) -> str | None:
        url = value
        if "://" not in url and re.fullmatch(r"[A-Za-z0-9-]{8,100}", url):
            url = f"{prefix}?key={url}"
        if not url.startswith(prefix + "?") or "key=" not in url or len(url) > 500 or " " in url:
            return None
        return url

    return PostTarget(names={"en": "group robot", "zh": "群机器人"}, prefix=prefix, accept=accept)


class WeComPoster:
    """Scheduled posts to a WeCom group through the robot webhook its admin set: the summary
    first, then each follow-up, as a series of markdown messages (WeCom has no threads), each
    picture an image message after the messages of the reply it belongs to."""

    def __init__(self, sender: Sender, db: Database, *, clock: Clock = wall_clock) -> None:
        self.sender, self.db, self.clock = sender, db, clock

    def post(self, channel, workspace, reply: Reply, progress) -> None:
        from bot.delivery import Permanent, Transient

        if not channel.post_target:
            raise Permanent("no group robot webhook set (设置 webhook <url>)")
        if channel.post_target_refused_at is not None:
            raise Permanent("the group robot webhook was refused; waiting for a new one")
        for n, part in enumerate(_parts(reply)):
            if n < progress.parts_sent:
                continue
            try:
                if isinstance(part, Picture):
                    self.sender.image_to_group(channel.post_target, png(part, IMAGE_BYTES))
                else:
                    self.sender.to_group(channel.post_target, [part])
            except WebhookRefused as err:
                with self.db.session() as s:
                    queries.mark_target_refused(
                        s,
                        workspace.platform,
                        workspace.external_id,
                        channel.external_id,
                        self.clock(),
                    )
                raise Permanent(f"WeCom refused the webhook (errcode {err.errcode})") from err
            except (WeComError, OSError) as err:
                raise Transient(f"WeCom: {err}") from err
            progress.sent()


def _parts(reply: Reply) -> list[str | Picture]:
    """The markdown messages of a reply, then its pictures (image messages), then each
    follow-up's the same way: a digest's project, then its Gantt chart."""
    parts: list[str | Picture] = [
        *render.split(render.markdown_lines(reply), render.ROBOT_MARKDOWN_BYTES)
    ]
    parts.extend(reply.pictures)
    for follow_up in reply.thread:
        parts.extend(_parts(follow_up))
    return parts
