"""The web server's own limits, over real sockets on loopback: a body over the 1 MiB the doors
take is refused before it is spooled, and hundreds of slow clients leave room for a health probe
and a signed command. Counts and times are bounded; every socket is closed when a test ends."""

from __future__ import annotations

import socket
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bot.settings import get_settings
from bot.web import MAX_BODY
from tests.conftest import NOW, count
from tests.fakes import slack as fk
from tests.fakes.pools import DoorHarness

SECRET = "test-signing-secret"
CHUNK = 64 * 1024
UPLOAD = 8 * 1024 * 1024  # far over MAX_BODY; the measured attack sent 1 GB, the same way
SLOW_CLIENTS = 300


@pytest.fixture
def fake():
    with fk.FakeSlack() as server:
        server.add_user("U1", "alice", tz="Asia/Shanghai", display_name="alice")
        yield server


@pytest.fixture
def serving(sqlite_db, fake, monkeypatch):
    """`paceline serve` with the Slack door on 127.0.0.1, port 0: (the port, the harness)."""
    monkeypatch.setattr(fk, "signing_clock", NOW.timestamp)
    settings = get_settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.base_url,
        timezone="Asia/Shanghai",
    )
    harness = DoorHarness()
    harness.open_doors(settings, sqlite_db, monkeypatch, clock=lambda: NOW)
    port = harness.serve(settings, sqlite_db)
    yield port, harness
    harness.close()


@pytest.fixture
def spool(tmp_path: Path, monkeypatch) -> Path:
    """Where waitress spools request bodies (its TemporaryFile), kept on disk to be measured."""
    where = tmp_path / "spool"
    where.mkdir()

    def kept(mode: str = "w+b", *args, **kwargs):
        return tempfile.NamedTemporaryFile(mode, *args, dir=where, delete=False, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", kept)
    return where


def spooled(where: Path) -> int:
    return sum(path.stat().st_size for path in where.iterdir())


def read_answer(sock: socket.socket) -> bytes:
    """What the server sent before it closed (or reset) the connection."""
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return answer


def test_a_chunked_upload_far_over_the_limit_is_refused_before_it_is_spooled(serving, spool):
    port, _ = serving
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: paceline\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        try:
            while sent < UPLOAD:
                sock.sendall(b"%x\r\n" % CHUNK + b"x" * CHUNK + b"\r\n")
                sent += CHUNK
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading and closed: refused
        answer = read_answer(sock)
    assert spooled(spool) <= MAX_BODY + 2 * CHUNK, f"{spooled(spool)} bytes spooled to disk"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 5


def test_a_declared_length_over_the_limit_is_refused_before_its_body(serving, spool):
    port, _ = serving
    with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: paceline\r\n"
            b"Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
        )
        answer = read_answer(sock)  # no body sent: the answer comes without waiting for it
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert spooled(spool) == 0


def test_a_body_a_little_over_the_limit_gets_a_413_on_a_connection_that_survives(serving):
    port, _ = serving
    body = b"x" * (MAX_BODY + 1000)
    status, _, _ = fk.post(f"http://127.0.0.1:{port}/slack/events", body, fk.sign(body, SECRET))
    assert status == 413  # read whole, refused by the app: not a connection reset


def test_a_body_of_exactly_the_limit_still_reaches_the_door(serving, sqlite_db):
    port, _ = serving
    body = b"x" * MAX_BODY
    status, _, _ = fk.post(f"http://127.0.0.1:{port}/slack/events", body, fk.sign(body, SECRET))
    assert status == 400  # the door read it (signed, but no request Slack sends), not a 413
    assert count(sqlite_db, "task") == 0


def test_hundreds_of_slow_clients_leave_room_for_health_and_a_signed_command(serving, fake):
    port, harness = serving
    slow: list[socket.socket] = []
    try:
        for _ in range(SLOW_CLIENTS):  # each connects, sends one byte of a request, and hangs
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            slow.append(sock)
            sock.sendall(b"P")
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            assert resp.status == 200
        probe = time.monotonic() - started
        started = time.monotonic()
        command = fk.slash_command(SECRET, "add Ship it", response_url=fake.response_url("r"))
        status, _, _ = fk.post(f"http://127.0.0.1:{port}/slack/events", *command)
        ack = time.monotonic() - started
        assert status == 200
        assert probe < 2 and ack < 2, f"health probe {probe:.2f} s, command ack {ack:.2f} s"
        [answer] = fake.wait_for("respond:r", timeout=10)
        assert "Ship it" in str(answer.params)
    finally:
        for sock in slow:
            sock.close()
    harness.drain()


@pytest.mark.parametrize(
    ("soft", "hard", "raised_to", "limit"),
    [
        (1024, 65536, 2200, 1000),  # the usual soft limit: raised, all 1000 connections
        (1024, 1024, None, 412),  # a hard limit of 1024: as many as fit, with a warning
        (65536, 65536, None, 1000),  # plenty: left alone
        (256, 256, None, 100),  # never fewer than waitress's own default
    ],
)
def test_the_connection_limit_fits_the_open_files_the_process_may_have(
    monkeypatch, caplog, soft, hard, raised_to, limit
):
    import resource

    from bot.web import connection_limit

    raised: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (soft, hard))
    monkeypatch.setattr(resource, "setrlimit", lambda _which, limits: raised.append(limits))
    assert connection_limit(1000) == limit
    assert raised == ([(raised_to, hard)] if raised_to else [])
    assert ("open files limited" in caplog.text) == (limit < 1000)
