"""The WeCom (企业微信) door: callbacks (door.py), the server API and senders (api.py), markdown
and text rendering (render.py), scheduled posts to a group's robot."""

from bot.wecom.door import Answer, WeComDoor, WeComPoster, group_robot, neutral_mentions, refused

__all__ = ["Answer", "WeComDoor", "WeComPoster", "group_robot", "neutral_mentions", "refused"]
