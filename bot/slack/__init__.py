"""The Slack door: Bolt listeners (door.py), Block Kit rendering (blocks.py), who people are
(people.py) and scheduled posts (poster.py)."""

from bot.slack.door import SlackDoor, build, neutral_mentions, socket_mode_handler
from bot.slack.poster import SlackPoster

__all__ = ["SlackDoor", "SlackPoster", "build", "neutral_mentions", "socket_mode_handler"]
