# ruff: noqa: F811 (the fixtures of tests/test_slack.py and tests/test_wecom.py are parameters)
"""The real charts through the real doors, end to end: a plan made in chat, then `gantt`,
`kpi chart` and `buffer` asked for as a person would — Slack's slash command uploading the
Gantt through the external-upload flow of the local fake, the console writing the fever chart
(tests/test_charts_e2e_wecom.py: WeCom's group robot posting the KPI chart) —
and each picture checked as an image: a PNG of the chart's size, not blank, the lights'
colours in it."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from handlers.charts.canvas import LIGHT_COLOURS
from handlers.reply import Light
from tests.test_pictures_console import paths_in
from tests.test_pictures_slack import upload_steps
from tests.test_slack import (  # noqa: F401 (fixtures)
    every_payload_within_limits,
    fake,
    overrides,
    settings,
    slack,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def pixels(data: bytes) -> np.ndarray:
    assert data.startswith(PNG_MAGIC)
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def share_near(image: np.ndarray, colour: str, tolerance: int = 40) -> float:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(image - rgb).sum(axis=2) < tolerance).mean())


def inked(image: np.ndarray) -> float:
    return float((image.sum(axis=2) < 3 * 235).mean())


def test_gantt_by_slash_command_is_uploaded_as_a_real_chart(slack, fake):
    admin = {"user_id": "UADMIN", "user_name": "root", "channel_id": "C42"}
    slack.command("project new 双11大促 2026-11-01..2026-12-10", **admin)
    slack.command("phase add +双11大促 预热期 11-01..11-10", **admin)
    slack.command("add 写文案 +双11大促 phase:预热期 due:2026-11-05", **admin)  # overdue: red
    slack.command("add 主会场 +双11大促 due:2026-12-05", **admin)
    fake.calls.clear()
    [answer] = slack.command("gantt +双11大促", channel_id="C42")
    assert answer["response_type"] == "ephemeral"
    fake.wait_for("files.completeUploadExternal")
    slack.drain()
    assert upload_steps(fake) == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    [shared] = fake.shared_files()
    assert shared["channel_id"] == "C42"
    assert shared["filename"].endswith(".png") and "双11大促" in shared["filename"]
    image = pixels(shared["data"])
    assert image.shape[1] >= 700  # readable at Slack's preview width
    assert inked(image) > 0.02
    assert share_near(image, LIGHT_COLOURS[Light.RED]) > 0.0005  # the overdue task's bar


def test_buffer_in_the_console_writes_the_fever_chart(bot):
    bot.say("project new 双11大促 2026-11-01..2026-12-10 buffer:20%")
    bot.say("add 写文案 +双11大促 due:2026-12-09")
    bot.say("add 主会场 +双11大促 due:2026-11-20")
    said = bot.say("buffer +双11大促")
    [path] = paths_in(said)
    assert path.suffix == ".png" and path.exists()
    image = pixels(path.read_bytes())
    assert inked(image) > 0.02
    assert share_near(image, LIGHT_COLOURS[Light.YELLOW]) > 0.0005  # now: 88% used, yellow
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    assert ((r - g > 15) & (r - b > 15)).mean() > 0.05  # the red zone's tint, behind
    assert ((g - r > 8) & (g - b > 5)).mean() > 0.05  # the green zone's


def test_a_gantt_showing_other_channels_tasks_goes_to_the_asker_alone(slack, fake):
    """A manager's Gantt draws the plan's tasks of every channel; one uploaded into the channel
    asked from would show them to everyone there: it goes to the asker's DM instead. A member's
    (this channel's tasks only) is shared in the channel."""
    admin = {"user_id": "UADMIN", "user_name": "root"}
    slack.command("project new 双11大促 2026-11-01..2026-12-10", channel_id="C42", **admin)
    slack.command("add 写文案 +双11大促 due:2026-12-05", channel_id="C42", **admin)
    slack.command("add 法务审核 +双11大促 due:2026-12-06", channel_id="C7", **admin)  # elsewhere
    fake.calls.clear()
    slack.command("gantt +双11大促", channel_id="C42", **admin)
    fake.wait_for("files.completeUploadExternal")
    slack.drain()
    [shared] = fake.shared_files()
    [opened] = fake.calls_to("conversations.open")
    assert opened.params["users"] == "UADMIN" and shared["channel_id"] == "DUADMIN"
    assert "<#C42>" in shared["initial_comment"] and "only you" in shared["initial_comment"]
    fake.calls.clear()
    slack.command("gantt +双11大促", channel_id="C42")  # alice, a member: C42's tasks only
    fake.wait_for("files.completeUploadExternal")
    slack.drain()
    assert fake.shared_files()[-1]["channel_id"] == "C42"
    assert fake.calls_to("conversations.open") == []
