"""A reply's pictures on Slack: each uploaded with the external-upload flow (slack_sdk's
`files_upload_v2`: files.getUploadURLExternal, a POST of the bytes to the URL it returns,
files.completeUploadExternal) into the channel the answer is for, in its thread when there is
one. Files cannot be ephemeral: a chart asked for in a channel is shared in that channel. A
channel the bot may not post in (not_in_channel, channel_not_found: a private channel it was not
invited to) gets it in the asker's direct messages instead, saying where it was asked; so does a
picture of what only the asker may read (`Picture.private`: another channel's tasks)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.pictures import file_name, pictures_of, png
from handlers.messages import t
from handlers.reply import Picture, Reply

log = logging.getLogger(__name__)

NOT_HERE = frozenset({"not_in_channel", "channel_not_found"})
MAX_ALT = 1000  # files.getUploadURLExternal refuses a longer alt_txt (alt_txt_too_large)


def upload(
    client: WebClient,
    channel: str,
    picture: Picture,
    *,
    thread_ts: str | None = None,
    data: bytes | None = None,
    initial_comment: str | None = None,
) -> None:
    """One picture into `channel` (and `thread_ts`); SlackApiError as Slack answered."""
    client.files_upload_v2(
        channel=channel,
        file=data if data is not None else png(picture),
        filename=file_name(picture),
        title=picture.title,
        alt_txt=picture.alt[:MAX_ALT] or None,
        thread_ts=thread_ts,
        initial_comment=initial_comment,
    )


def post_pictures(
    client: WebClient,
    reply: Reply,
    channel: str,
    *,
    thread_ts: str | None = None,
    user: str | None = None,
) -> None:
    """Every picture of `reply` (its thread replies' too) into `channel`; when the bot may not
    post there, or the picture is the asker's alone, to `user` directly (never into the channel
    when there is no one to send it to). Drawn here, in the work pool."""
    dm: str | None = None
    refused = False  # the bot may not post in `channel`
    for _owner, picture in pictures_of(reply):
        if picture.private and not user:
            log.warning("a private picture with no one to send it to: %s", picture.name)
            continue
        data = png(picture)
        note = "picture_private_dm" if picture.private else "picture_in_dm"
        if not picture.private and not refused:
            try:
                upload(client, channel, picture, thread_ts=thread_ts, data=data)
                continue
            except SlackApiError as err:
                if err.response.get("error") not in NOT_HERE or not user:
                    raise
                log.info("cannot upload to %s (%s): to %s directly", channel, err, user)
                refused = True
        if dm is None:
            dm = client.conversations_open(users=user)["channel"]["id"]
        said = " · ".join(t(lang, note, channel=channel) for lang in ("en", "zh"))
        upload(client, dm, picture, data=data, initial_comment=said)
