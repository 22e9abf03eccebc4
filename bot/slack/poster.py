"""Scheduled posts to a Slack channel, at Slack's pace, each message once."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.pacing import Pacer
from bot.slack import blocks as kit
from bot.slack.pictures import upload
from handlers import Reply
from handlers.reply import Picture

PERMANENT_SLACK_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
        "restricted_action",
        "team_access_not_granted",
    }
)


class SlackPoster:
    """Scheduled posts to a Slack channel: the first message, then every further message and
    every follow-up as replies in its thread (a digest's projects; a long reminder's pages)."""

    def __init__(self, client: WebClient, pacer: Pacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or Pacer(limit=1, per=1.0)  # Slack: about a message a second a channel

    def post(self, channel, workspace, reply: Reply, progress) -> None:
        """Each part once: the messages, and after a reply's messages its pictures, uploaded
        into the thread (part 0, the parent, is always a message). A part counts as sent once
        Slack confirmed it, so a retry resumes after the last confirmed part."""
        from bot.delivery import Permanent, Transient

        parts = _parts(reply)
        for n, part in enumerate(parts):
            if n < progress.parts_sent:
                continue  # posted before a crash or a retry
            self.pacer.wait(channel.external_id)
            try:
                if isinstance(part, Picture):
                    upload(self.client, channel.external_id, part, thread_ts=progress.thread_ref)
                    progress.sent()
                    continue
                answer = self.client.chat_postMessage(
                    channel=channel.external_id,
                    text=part.text,
                    blocks=part.blocks,
                    thread_ts=progress.thread_ref if n else None,
                )
            except SlackApiError as err:
                code = err.response.get("error")
                if code in PERMANENT_SLACK_ERRORS:
                    raise Permanent(f"Slack: {code}") from err
                retry = (
                    err.response.headers.get("Retry-After")
                    if err.response.status_code == 429
                    else None
                )
                raise Transient(
                    f"Slack: {code or err.response.status_code}", float(retry) if retry else None
                ) from err
            except (OSError, SlackRequestError) as err:  # timeouts, refused connections
                raise Transient(f"Slack unreachable: {err}") from err
            progress.sent(answer["ts"] if n == 0 else None)


def _parts(reply: Reply) -> list[kit.Message | Picture]:
    """What a scheduled post sends, in order: the reply's messages, its pictures, then each
    follow-up's messages and pictures (a digest: a project's thread reply, then its Gantt)."""
    parts: list[kit.Message | Picture] = [*kit.messages(reply, with_thread=False)]
    parts.extend(reply.pictures)
    for follow_up in reply.thread:
        parts.extend(kit.messages(follow_up, with_thread=False))
        parts.extend(follow_up.pictures)
    return parts
