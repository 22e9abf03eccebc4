"""Scheduled posts to a Slack channel, at Slack's pace, each message once."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.pacing import Pacer
from bot.slack import blocks as kit
from handlers import Reply

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
        from bot.delivery import Permanent, Transient

        messages = kit.messages(reply, with_thread=False)
        for follow_up in reply.thread:
            messages.extend(kit.messages(follow_up, with_thread=False))
        for n, message in enumerate(messages):
            if n < progress.parts_sent:
                continue  # posted before a crash or a retry
            self.pacer.wait(channel.external_id)
            try:
                answer = self.client.chat_postMessage(
                    channel=channel.external_id,
                    text=message.text,
                    blocks=message.blocks,
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
            except OSError as err:  # timeouts and refused connections
                raise Transient(f"Slack unreachable: {err}") from err
            progress.sent(answer["ts"] if n == 0 else None)
