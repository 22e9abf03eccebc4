"""The Slack door end to end: signed HTTP requests into `paceline serve` on port 0, and the real
slack_sdk client talking to a local fake Web API that records every call."""

from __future__ import annotations

import threading

import pytest

from bot.settings import get_settings
from bot.web import Doors, make_server
from tests.conftest import count, snapshot
from tests.fakes import slack as fk

SECRET = "test-signing-secret"


@pytest.fixture
def fake():
    with fk.FakeSlack() as server:
        server.add_user("U1", "alice", tz="Asia/Shanghai", display_name="alice")
        server.add_user("U2", "bob", tz="America/New_York", display_name="bob")
        server.add_user("UADMIN", "root", is_admin=True)
        yield server


@pytest.fixture
def settings(fake):
    return get_settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.base_url,
        timezone="Asia/Shanghai",
    )


@pytest.fixture
def slack_url(settings, db):
    doors = Doors(settings, db)
    server = make_server(settings, db, host="127.0.0.1", port=0, doors=doors)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/slack/events"
    server.close()
    thread.join(timeout=5)


def send(url: str, built: tuple[bytes, dict]) -> tuple[int, bytes]:
    status, _, body = fk.post(url, *built)
    return status, body


def test_slash_command_adds_a_task_and_answers_in_channel(slack_url, fake, db):
    r = fake.response_url("r")
    status, _ = send(
        slack_url,
        fk.slash_command(
            SECRET, "add Write warm-up copy <@U2|bob> due:2026-12-01 +double11", response_url=r
        ),
    )
    assert status == 200
    [answer] = [c.params for c in fake.wait_for("respond:r")]
    assert answer["response_type"] == "in_channel"
    text = str(answer["blocks"])
    assert "Added #1" in text and "<@U2>" in text
    assert count(db, "task") == 1


def test_errors_are_ephemeral_and_change_nothing(slack_url, fake, db):
    before = snapshot(db)
    r = fake.response_url("e")
    status, _ = send(slack_url, fk.slash_command(SECRET, "done 99", response_url=r))
    assert status == 200
    [answer] = [c.params for c in fake.wait_for("respond:e")]
    assert answer["response_type"] == "ephemeral"
    assert "#99" in str(answer["blocks"])
    assert snapshot(db) == before


def test_forged_request_is_401(slack_url, fake, db):
    body, headers = fk.slash_command("wrong-secret", "add x")
    status, _ = send(slack_url, (body, headers))
    assert status == 401
    assert count(db, "task") == 0
