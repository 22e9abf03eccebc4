"""Operations: what `paceline serve` logs. HOST and PORT are honoured and the start-up line says
where it listens, without a logging error; refused requests are logged at WARNING with their
reason, at most once a minute per path and reason; and no token, secret, AES key or access
token is in any log line at any level, the SDKs' and HTTP libraries' DEBUG lines included."""

from __future__ import annotations

import io
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot import logs
from bot.door import Response
from bot.settings import get_settings
from bot.web import make_app
from tests.conftest import NOW
from tests.fakes import slack as fk
from tests.fakes import wecom as fw
from tests.fakes.pools import DoorHarness
from tests.test_cli import paceline  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parent.parent


# --- HOST, PORT and the start-up line -------------------------------------------------------------


def test_serve_listens_on_host_and_port_and_says_so_without_a_logging_error(tmp_path):
    """The real `paceline serve`, started as a platform starts it (HOST, PORT in the
    environment), asked for /healthz, then interrupted."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PACELINE_", "DATABASE_URL", "SLACK_", "WECOM_"))
        and k not in ("HOST", "PORT")
    }
    env.update(
        PYTHONPATH=str(ROOT),
        HOST="127.0.0.1",
        PORT="0",
        PACELINE_SCHEDULER="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr = Stderr(server)
    try:
        started = stderr.until("serving on", timeout=30)
        found = re.search(r"paceline serving on http://([\d.]+):(\d+)", started)
        assert found, started
        assert found.group(1) == "127.0.0.1"  # HOST, not 0.0.0.0
        port = int(found.group(2))
        assert port != 0  # the port it took, not the 0 it was given
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
            assert resp.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    rest = stderr.until(None, timeout=5)  # to the end
    assert server.returncode == 0, started + rest
    assert "Logging error" not in started + rest and "Traceback" not in started + rest


class Stderr:
    """A process's stderr, read line by line in a thread, so a silent process cannot hang a
    test: `until(marker)` is what it wrote up to the line with `marker`, or up to its end, or
    for at most `timeout` seconds."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            for line in iter(process.stderr.readline, ""):
                self.lines.put(line)
            self.lines.put(None)  # the end

        threading.Thread(target=read, daemon=True).start()

    def until(self, marker: str | None, timeout: float) -> str:
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            if marker is not None and marker in line:
                break
        return "".join(seen)


def test_host_and_port_come_from_the_environment_or_dotenv(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("HOST", "PORT", "PACELINE_HOST", "PACELINE_PORT"):
        monkeypatch.delenv(name, raising=False)
    assert (get_settings().host, get_settings().port) == ("0.0.0.0", 3000)
    (tmp_path / ".env").write_text("HOST=127.0.0.1\nPORT=8080\n")
    assert (get_settings().host, get_settings().port) == ("127.0.0.1", 8080)
    monkeypatch.setenv("PORT", "9090")
    assert get_settings().port == 9090


def test_serve_takes_host_and_port_from_the_settings_unless_given(monkeypatch, tmp_path):
    import bot.web
    from bot import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8080")
    called: list[tuple] = []

    def serve(settings, *, host=None, port=None):
        called.append((host or settings.host, port or settings.port))
        return 0

    monkeypatch.setattr(bot.web, "serve", serve)
    try:
        assert cli.main(["serve"]) == 0
        assert cli.main(["serve", "--host", "::1", "--port", "3001"]) == 0
    finally:
        logs.uninstall()
    assert called == [("127.0.0.1", 8080), ("::1", 3001)]


# --- refused requests -----------------------------------------------------------------------------


class Refusing:
    """A door that refuses everything with the status and reason it is told."""

    platform = "refusing"

    def __init__(self) -> None:
        self.answer = Response(401, b"invalid signature or stale timestamp")

    def routes(self):
        return {"/in": {"POST": lambda _request: self.answer}}


def wsgi(app, path: str, body: bytes = b"{}", query: str = "", headers: dict | None = None):
    """POST `body` to `path` through the WSGI app; the status it answered."""
    headers = headers or {}
    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": headers.get("Content-Type", ""),
        "wsgi.input": io.BytesIO(body),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    statuses = []
    app(environ, lambda status, _headers: statuses.append(int(status.split()[0])))
    return statuses[0]


def refusals(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.getMessage().startswith("refused")
    ]


def test_refused_requests_are_logged_with_their_reason_at_most_once_a_minute(sqlite_db, caplog):
    door = Refusing()
    now = [100.0]
    app = make_app(get_settings(), sqlite_db, [door], clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        assert [wsgi(app, "/in") for _ in range(50)] == [401] * 50
        door.answer = Response(403, b"bad signature")
        wsgi(app, "/in")
        now[0] += 59
        wsgi(app, "/in")
        door.answer = Response(401, b"invalid signature or stale timestamp")
        wsgi(app, "/in")
        now[0] += 2  # a minute after the first line
        wsgi(app, "/in")
        door.answer = Response(400, b"unreadable request")  # not a refusal: not logged here
        wsgi(app, "/in")
    assert refusals(caplog) == [
        "refused POST /in: invalid signature or stale timestamp "
        "(check the clock: is this server's time right?)",
        "refused POST /in: bad signature",
        "refused POST /in: invalid signature or stale timestamp "
        "(check the clock: is this server's time right?); "
        "50 more like it since the last such line",
    ]


@pytest.fixture
def both_doors(sqlite_db, monkeypatch):
    """Both real doors, their clocks at NOW, the fakes signing at NOW; the fakes' servers run."""
    monkeypatch.setattr(fk, "signing_clock", NOW.timestamp)
    monkeypatch.setattr(fw, "signing_clock", NOW.timestamp)
    with (
        fk.FakeSlack() as slack,
        fw.FakeWeCom(corp_id="wwcorp", secret=SECRETS["WECOM_SECRET"]) as wecom,
    ):
        slack.add_user("U1", "alice", tz="Asia/Shanghai")
        wecom.add_user("zhangsan", "张三")
        for name, value in SECRETS.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("WECOM_CORP_ID", "wwcorp")
        monkeypatch.setenv("WECOM_AGENT_ID", "1000002")
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        monkeypatch.setenv("WECOM_API_URL", wecom.base_url)
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
        yield slack, wecom


SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-1111-never-shown-bot-token",
    "SLACK_SIGNING_SECRET": "never-shown-signing-secret",
    "WECOM_SECRET": "never-shown-app-secret",
    "WECOM_TOKEN": "nevershownapptoken",
    "WECOM_ENCODING_AES_KEY": fw.new_aes_key(),
    "WECOM_AIBOT_TOKEN": "nevershownbottoken",
    "WECOM_AIBOT_ENCODING_AES_KEY": fw.new_aes_key(),
}


def test_stale_requests_to_either_door_say_check_the_clock(both_doors, sqlite_db, caplog):
    from bot.doors import configured_doors

    settings = get_settings()
    app = make_app(settings, sqlite_db, configured_doors(settings, sqlite_db, lambda: NOW))
    stale = int(NOW.timestamp()) - 600
    body, headers = fk.slash_command(SECRETS["SLACK_SIGNING_SECRET"], "add x", timestamp=stale)
    query, robot = fw.aibot_text(
        SECRETS["WECOM_AIBOT_TOKEN"],
        SECRETS["WECOM_AIBOT_ENCODING_AES_KEY"],
        "新建 x",
        timestamp=stale,
    )
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        assert wsgi(app, "/slack/events", body, headers=headers) == 401
        assert wsgi(app, "/wecom/aibot", robot, query=urlencode(query)) == 403
    assert refusals(caplog) == [
        "refused POST /slack/events: stale timestamp "
        "(check the clock: is this server's time right?)",
        "refused POST /wecom/aibot: stale or replayed timestamp "
        "(check the clock: is this server's time right?)",
    ]


# --- no secret in any log line --------------------------------------------------------------------

DEBUG_LOGGERS = ("", "bot", "urllib3", "requests", "slack_sdk", "slack_bolt", "wechatpy")


def test_no_secret_or_access_token_in_any_log_line_at_debug(
    paceline,  # noqa: F811
    both_doors,
    sqlite_db,
    monkeypatch,
    caplog,
):
    """Both doors at work with every logger at DEBUG, after the command line set logging up:
    signed requests in, Web API and server API calls out (the WeCom access token fetched with
    the app secret, then used), a stale request refused."""
    slack_fake, wecom_fake = both_doors
    assert paceline("db", "current").returncode == 0  # the command line sets logging up
    settings = get_settings()
    for name in DEBUG_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)

    # A harness serves one door: each gets the settings without the other's.
    slack_only = settings.model_copy(update={"wecom_corp_id": None, "wecom_aibot_token": None})
    wecom_only = settings.model_copy(update={"slack_bot_token": None})
    slack = DoorHarness()
    slack.open_doors(slack_only, sqlite_db, monkeypatch, clock=lambda: NOW)
    url = f"http://127.0.0.1:{slack.serve(slack_only, sqlite_db)}/slack/events"
    wecom = DoorHarness()
    wecom.open_doors(wecom_only, sqlite_db, monkeypatch, clock=lambda: NOW)
    base = f"http://127.0.0.1:{wecom.serve(wecom_only, sqlite_db)}"
    try:
        secret = SECRETS["SLACK_SIGNING_SECRET"]
        command = fk.slash_command(secret, "add Ship it", response_url=slack_fake.response_url())
        assert fk.post(url, *command)[0] == 200
        slack_fake.wait_for("respond:r")
        slack.door.client.chat_postMessage(channel="C1", text="hello")
        stale = fk.slash_command(secret, "add x", timestamp=int(NOW.timestamp()) - 600)
        assert fk.post(url, *stale)[0] == 401

        token, key = SECRETS["WECOM_AIBOT_TOKEN"], SECRETS["WECOM_AIBOT_ENCODING_AES_KEY"]
        robot = fw.aibot_text(token, key, "新建 写脚本", response_url=wecom_fake.response_url())
        assert fw.post(f"{base}/wecom/aibot?{urlencode(robot[0])}", robot[1])[0] == 200
        wecom_fake.wait_for("aibot/response:r")
        app = fw.app_text_message(
            SECRETS["WECOM_TOKEN"], SECRETS["WECOM_ENCODING_AES_KEY"], "wwcorp", "列表"
        )
        assert fw.post(f"{base}/wecom/callback?{urlencode(app[0])}", app[1])[0] == 200
        wecom.drain()
        assert wecom_fake.tokens_issued >= 1  # the app secret went out, a token came back
        access_token = wecom_fake.current_token
    finally:
        slack.close()
        wecom.close()

    lines = [
        record.getMessage() + "\n" + (record.exc_text or "") + (record.stack_info or "")
        for record in caplog.records
    ]
    text = "\n".join(lines)
    assert "corpsecret=***" in text and "access_token=***" in text  # redacted, not absent
    shown = {
        name: value
        for name, value in {**SECRETS, "the WeCom access token": access_token}.items()
        if value and value in text
    }
    assert not shown, f"in the log: {sorted(shown)}"
    assert not re.search(r"xox[bp]-\d", text)


# --- the redaction itself -------------------------------------------------------------------------

REDACTED = {
    "GET /cgi-bin/gettoken?corpid=ww1&corpsecret=s3cr3t-value HTTP/1.1": (
        "GET /cgi-bin/gettoken?corpid=ww1&corpsecret=*** HTTP/1.1"
    ),
    "POST /cgi-bin/message/send?access_token=AbC-123_x&debug=1": (
        "POST /cgi-bin/message/send?access_token=***&debug=1"
    ),
    "webhook/send?key=693a91f6-7xxx": "webhook/send?key=***",
    'body: {"errcode": 0, "access_token": "AbC123", "expires_in": 7200}': (
        'body: {"errcode": 0, "access_token": "***", "expires_in": 7200}'
    ),
    "body_params: {'token': 'xoxb-1-2-abc', 'channel': 'C1'}": (
        "body_params: {'token': '***', 'channel': 'C1'}"
    ),
    "Authorization: Bearer xoxb-123-456-abcdef": "Authorization: Bearer ***",
    "app token xapp-1-A1-123-abc in a message": "app token xapp-*** in a message",
    "postgresql+psycopg://paceline:hunter2pass@db:5432/paceline": (
        "postgresql+psycopg://paceline:***@db:5432/paceline"
    ),
    "posting to https://hooks.slack.com/commands/T1/123/abcDEF": (
        "posting to https://hooks.slack.com/***"
    ),
    "the known secret my-signing-secret-value, verbatim": "the known secret ***, verbatim",
    "msg_signature=abc&timestamp=1&nonce=2": "msg_signature=abc&timestamp=1&nonce=2",
    "nothing to hide: add Ship it @bob due:fri": "nothing to hide: add Ship it @bob due:fri",
}


@pytest.fixture
def redactor():
    installed = logs.install(["my-signing-secret-value", "abc", None])
    yield installed
    logs.uninstall()


@pytest.mark.parametrize(("line", "shown"), REDACTED.items(), ids=range(len(REDACTED)))
def test_what_is_redacted(redactor, caplog, line, shown):
    with caplog.at_level(logging.DEBUG, logger="x"):
        logging.getLogger("x").debug("%s", line)
    assert caplog.records[-1].getMessage() == shown


def test_a_traceback_is_redacted_too_and_installing_again_does_not_stack(redactor, caplog):
    assert logs.install(["another-secret-value"]).base is redactor.base
    with caplog.at_level(logging.ERROR, logger="x"):
        try:
            raise RuntimeError("GET https://x/gettoken?corpsecret=leaked-in-an-error")
        except RuntimeError:
            logging.getLogger("x").exception("failed for another-secret-value")
    assert "leaked-in-an-error" not in caplog.text and "another-secret-value" not in caplog.text
    assert "corpsecret=***" in caplog.text and "failed for ***" in caplog.text


def test_the_secrets_redacted_are_every_secret_setting_and_the_database_password(
    monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in (*SECRETS, "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings(
        database_url="postgresql+psycopg://paceline:db-password@db/paceline",
        slack_bot_token="xoxb-bot-token",
        wecom_encoding_aes_key="k" * 43,
    )
    assert sorted(settings.secret_values()) == sorted(["xoxb-bot-token", "k" * 43, "db-password"])
