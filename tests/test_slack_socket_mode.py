"""With SLACK_APP_TOKEN the same Slack door works over Socket Mode: envelopes in, acks out."""

from __future__ import annotations

from urllib.parse import parse_qsl

from bot.settings import get_settings
from bot.slack import SlackDoor, socket_mode_handler
from tests.conftest import count, task
from tests.fakes import slack as fk
from tests.fakes.socket_mode import FakeSocketMode


def test_a_slash_command_over_socket_mode_goes_through_the_inbox_once(sqlite_db):
    """Envelopes reach the door's inbox before their ack, as HTTP requests do: the same
    command sent again in a new envelope (Slack redelivers what it thinks was not acked) is
    acknowledged and not worked twice."""
    with fk.FakeSlack() as fake, FakeSocketMode() as socket_mode:
        fake.add_user("U1", "alice", tz="Asia/Shanghai")
        fake.fail_next(
            "apps.connections.open", status=200, body={"ok": True, "url": socket_mode.url}, times=5
        )
        settings = get_settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=fake.base_url,
            timezone="Asia/Shanghai",
        )
        app_token = settings.slack_app_token.get_secret_value()
        door = SlackDoor(settings, sqlite_db)
        handler = socket_mode_handler(door, app_token)
        handler.connect()
        try:
            socket_mode.wait_connected()
            body, _ = fk.slash_command(
                "unused", "add Book the studio due:2026-12-01", response_url=fake.response_url("sm")
            )
            payload = dict(parse_qsl(body.decode()))
            socket_mode.send(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": payload,
                }
            )
            assert socket_mode.wait_for_ack("env-1")["envelope_id"] == "env-1"
            [answer] = fake.wait_for("respond:sm")
            assert "Added #1" in str(answer.params["blocks"])
            assert task(sqlite_db, 1, workspace="T1").title == "Book the studio"
            assert fake.calls_to("apps.connections.open")[0].headers["authorization"] == (
                "Bearer xapp-test"
            )
            socket_mode.send(
                {
                    "envelope_id": "env-2",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "retry_attempt": 1,
                    "payload": payload,
                }
            )
            assert socket_mode.wait_for_ack("env-2")["envelope_id"] == "env-2"
            door.intake.drain(5)
            assert len(fake.calls_to("respond:sm")) == 1
            assert count(sqlite_db, "task") == 1
            with door.intake.inbox.engine.connect() as conn:
                keys = conn.exec_driver_sql("SELECT key, done_at IS NOT NULL FROM inbox").all()
            assert [(k, bool(d)) for k, d in keys] == [(f"command:{payload['trigger_id']}", True)]
        finally:
            handler.close()
