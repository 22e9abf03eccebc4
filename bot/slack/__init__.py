"""The Slack door: Bolt listeners (door.py), Block Kit rendering (blocks.py), scheduled posts."""

from bot.slack.door import SlackDoor, SlackPoster, neutral_mentions, socket_mode_handler

__all__ = ["SlackDoor", "SlackPoster", "neutral_mentions", "socket_mode_handler"]
