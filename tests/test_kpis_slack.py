"""KPIs through Slack (issue 12): a plan's KPI defined by an admin, a number reported by a
member through signed slash commands against the local fake Slack, and an API token shown only
to the admin who asked (ephemeral, also when asked by @mention in a channel)."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import ApiToken, KpiActual
from tests.conftest import count
from tests.test_slack import (  # noqa: F401  (fixtures)
    blocks_text,
    every_payload_within_limits,
    fake,
    member,
    overrides,
    settings,
    slack,
)


def test_a_kpi_defined_reported_and_shown_through_slack(slack, fake, db):  # noqa: F811
    admin = {"user_id": "UADMIN", "user_name": "root"}
    [answer] = slack.command("project new 双11大促 2026-11-01..2026-12-10", **admin)
    assert answer["response_type"] == "in_channel"
    [answer] = slack.command("kpi +双11大促 GMV target:500万", **admin)
    assert answer["response_type"] == "in_channel"
    assert "KPI GMV defined for +双11大促" in blocks_text(answer)
    [answer] = slack.command("kpi GMV 50万")  # alice, a member, reports the number
    assert answer["response_type"] == "in_channel"
    text = blocks_text(answer)
    assert "GMV of +双11大促: 500k recorded" in text and "pace" in text
    with Session(db.engine) as s:
        [row] = s.exec(select(KpiActual)).all()
    assert (row.value, row.source, row.member_id) == (500_000, "chat", member(db, "U1").id)
    [answer] = slack.command("指标 +双11大促")
    assert answer["response_type"] == "ephemeral"  # a look is the speaker's
    assert "GMV：实际 50万 / 目标 500万" in blocks_text(answer)


def test_an_api_token_is_shown_only_to_the_admin_who_asked(slack, fake, db):  # noqa: F811
    [answer] = slack.command("settings api-token", user_id="UADMIN", user_name="root")
    assert answer["response_type"] == "ephemeral" and "pl_" in blocks_text(answer)
    slack.mention("<@UBOT> settings api-token", event_id="EvTok", user="UADMIN")
    [posted] = fake.wait_for("chat.postEphemeral")
    assert posted.params["user"] == "UADMIN" and "pl_" in blocks_text(posted.params)
    slack.drain()
    assert fake.calls_to("chat.postMessage") == []
    assert count(db, "api_token") == 2
    with Session(db.engine) as s:
        assert all(len(t.token_hash) == 64 for t in s.exec(select(ApiToken)))
    [answer] = slack.command("settings api-token")  # alice is no admin
    assert "Only an admin can make or revoke API tokens." in blocks_text(answer)
