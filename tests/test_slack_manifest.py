"""The Slack app manifest matches what the server serves."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import Settings

MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yml"


def test_manifest_points_everything_at_the_one_events_url():
    m = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    [command] = m["features"]["slash_commands"]
    assert command["command"] == Settings.model_fields["slack_command"].default
    assert command["should_escape"] is True  # mentions arrive as <@U…>, which the door reads
    urls = [
        command["url"],
        m["settings"]["event_subscriptions"]["request_url"],
        m["settings"]["interactivity"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "app_home_opened",
    }
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    # commands: /task · chat:write: answers and thread replies · users:read: users.info
    assert {"commands", "chat:write", "users:read", "app_mentions:read"} <= scopes
    # files:write: charts uploaded (files_upload_v2) · im:write: a chart sent by DM where the
    # bot may not post (conversations.open)
    assert {"files:write", "im:write"} <= scopes
