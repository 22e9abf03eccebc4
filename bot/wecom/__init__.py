"""The WeCom (企业微信) door: callbacks (door.py), the server API and senders (api.py), markdown
and text rendering (render.py), scheduled posts to a group's robot (poster.py)."""

from bot.wecom.door import WeComDoor, answer, build, neutral_mentions, refused
from bot.wecom.poster import WeComPoster, group_robot

__all__ = [
    "WeComDoor",
    "WeComPoster",
    "answer",
    "build",
    "group_robot",
    "neutral_mentions",
    "refused",
]
