"""A local fake of the Slack Web API, and builders for signed requests as Slack sends them.

``FakeSlack`` serves the Web API on 127.0.0.1 (a free port) so that the real
``slack_sdk.WebClient`` (and everything in slack-bolt built on it) can be pointed at it with
``WebClient(base_url=fake.base_url)``. Every request is recorded as a :class:`Call`.

The module-level builders (``slash_command``, ``event``, ``block_action``, ``view_submission``,
``url_verification``) return ``(body, headers)`` signed the way Slack signs requests to an app:
``X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{timestamp}:{body}"))``, at ``timestamp``
or else at ``signing_clock()``: the wall clock, unless a test pins it to the clock it hands
the door (``monkeypatch.setattr(fk, "signing_clock", NOW.timestamp)``).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.fakes.server import Failure, Headers, RecordingHandler, RecordingServer, post

__all__ = [
    "AUTH_TEST",
    "Call",
    "FakeSlack",
    "app_home_opened",
    "app_mention",
    "block_action",
    "event",
    "pings",
    "post",
    "sign",
    "slash_command",
    "url_verification",
    "view_submission",
]

AUTH_TEST: dict[str, Any] = {
    "ok": True,
    "url": "https://paceline-test.slack.com/",
    "team": "Paceline Test",
    "user": "paceline",
    "team_id": "T1",
    "user_id": "UBOT",
    "bot_id": "B1",
    "bot_user_id": "UBOT",
}

# Form fields whose values Slack's clients send as JSON text; Call.params holds them decoded.
JSON_FIELDS = frozenset(
    {"attachments", "blocks", "metadata", "unfurls", "user_auth_blocks", "view", "payload", "files"}
)
# files.getUploadURLExternal refuses a longer alt_txt (alt_txt_too_large).
MAX_ALT_TXT = 1000
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,20}$")

# When a request is signed (and an event sent, a button clicked) if the builder is not told:
# epoch seconds, the wall clock unless a test pins it.
signing_clock: Callable[[], float] = time.time

_FIRST_TS = 1_700_000_000_000_000  # microseconds; ts values are 1700000000.000100, .000200, ...


# What Slack reads as a mention where it parses markup: a person or bot (`<@U123>`, `<@U123|bob>`),
# a user group (`<!subteam^S123|@team>`) and the broadcasts `<!here>`, `<!channel>`,
# `<!everyone>` (and the old `<!group>`), each with an optional `|label`. Slack parses a
# message's top-level `text` (unless `mrkdwn` is false: it is also what the notification shows)
# and every `mrkdwn` text object; `plain_text` objects are shown as they are. `&lt;!here&gt;` is
# the characters "<!here>", shown, never parsed ("Formatting message text": escape &, <, >).
_MENTION = re.compile(
    r"<(@[UWB][A-Z0-9]+|!here|!channel|!everyone|!group|!subteam\^[A-Za-z0-9]+)(?:\|[^>]*)?>"
)


def _mrkdwn_texts(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        for inner in value.values():
            yield from _mrkdwn_texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _mrkdwn_texts(inner)


def pings(params: dict) -> list[str]:
    """Whom a message or a view would notify, as Slack reads it: every mention in its `text`
    (unless `mrkdwn` is false) and in each mrkdwn text object of its blocks, attachments or
    view, in order: "@U2", "!here", "!subteam^S1", ..."""
    texts: list[str] = []
    if isinstance(params.get("text"), str) and params.get("mrkdwn") not in (False, "false"):
        texts.append(params["text"])
    for key in ("blocks", "attachments", "view"):
        texts.extend(_mrkdwn_texts(params.get(key)))
    return [m.group(1) for text in texts for m in _MENTION.finditer(text)]


@dataclass
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", "users.info", "respond:r", ...
    params: dict  # query string + form fields or JSON body, JSON-valued fields decoded
    headers: dict[str, str] = field(default_factory=Headers)
    raw: bytes = b""

    @property
    def pings(self) -> list[str]:
        """Whom this message or view would notify (see :func:`pings`)."""
        return pings(self.params)


def _decode_json_fields(params: dict) -> dict:
    for key in JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def _parse_params(query: str, raw: bytes, content_type: str) -> dict:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if raw:
        text = raw.decode("utf-8", errors="replace")
        if "json" in content_type or (not content_type and text.lstrip().startswith("{")):
            body = json.loads(text)
            if isinstance(body, dict):
                params.update(body)
            else:
                params["_json"] = body
        elif "x-www-form-urlencoded" in content_type:
            params.update(parse_qsl(text, keep_blank_values=True))
        elif "multipart/form-data" not in content_type:
            params["_body"] = text
    return _decode_json_fields(params)


def _default_error(status: int) -> str:
    if status == 429:
        return "ratelimited"
    if status >= 500:
        return "internal_error"
    return "fake_failure"


class _Handler(RecordingHandler):
    server_version = "FakeSlack/1.0"

    def handle_request(self, http_method: str) -> None:
        url = urlsplit(self.path)
        raw = self.read_body()
        if url.path.startswith("/upload/"):  # the upload URL files.getUploadURLExternal gave
            call = Call(method="upload", params={"file_id": url.path[len("/upload/") :]}, raw=raw)
            call.headers = Headers(self.headers.items())
            status, answer = self.fake._take_upload(call, http_method)
            self.send_answer(status, answer, {"Content-Type": "text/plain; charset=utf-8"})
            return
        if url.path.startswith("/api/"):
            method = url.path[len("/api/") :]
        elif url.path.startswith("/respond/"):
            method = "respond:" + url.path[len("/respond/") :]
        else:
            self.send_answer(404, b'{"ok": false, "error": "unknown_path"}')
            return
        content_type = self.headers.get("Content-Type", "").lower()
        try:
            params = _parse_params(url.query, raw, content_type)
        except ValueError:
            params = {"_body": raw.decode("utf-8", errors="replace")}
        call = Call(method=method, params=params, headers=Headers(self.headers.items()), raw=raw)
        failure = self.fake._record(call)
        if self.fake._hangs(call):
            self.fake._released.wait(timeout=60)  # the caller times out, or is killed, first
            self.send_answer(500, b'{"ok": false, "error": "fake_hang"}')
        elif failure is not None:
            self.send_answer(failure.status, failure.body, failure.headers)
        elif method.startswith("respond:"):
            self.send_answer(200, b'{"ok": true}')
        else:
            self.send_answer(200, json.dumps(self.fake._answer(method, params)).encode())


class FakeSlack(RecordingServer[Call]):
    """A Slack Web API on 127.0.0.1 (port 0) that records every call.

    Use as a context manager, or call :meth:`start` and :meth:`stop`::

        with FakeSlack(users={"U1": {...}}) as fake:
            client = WebClient(token="xoxb-test", base_url=fake.base_url)
            client.chat_postMessage(channel="C1", text="hi")
            assert fake.calls_to("chat.postMessage")[0].params["text"] == "hi"

    Recording, ``calls_to``, ``wait_for`` and ``reset`` (which keeps the users) are
    :class:`tests.fakes.server.RecordingServer`'s.

    Files go through the external-upload flow as Slack runs it (``files_upload_v2``):
    files.getUploadURLExternal (``filename`` and a non-zero ``length`` required, ``alt_txt`` at
    most 1000 characters) gives an ``upload_url`` on this server and a ``file_id``; the upload
    URL takes a POST of exactly ``length`` bytes, once (recorded as method "upload");
    files.completeUploadExternal shares uploaded, not yet shared files into ``channel_id`` (a
    channel id; ``refuse_channel`` makes one answer not_in_channel) and ``thread_ts``.
    ``shared_files()`` is what was shared, with its bytes. The retired files.upload answers
    method_deprecated.
    """

    handler = _Handler
    api_path = "api/"  # base_url: http://127.0.0.1:PORT/api/
    thread_name = "fake-slack"

    def __init__(self, users: dict[str, dict] | None = None) -> None:
        super().__init__()
        self.users: dict[str, dict] = copy.deepcopy(users) if users else {}
        self._ts = itertools.count(1)
        self._view_ids = itertools.count(1)
        self._hang: dict[str, int] = {}
        self._released = threading.Event()
        self._file_ids = itertools.count(1)
        # file id → {"filename", "length", "alt_txt", "data" (None until uploaded), "shared"}
        self.files: dict[str, dict[str, Any]] = {}
        self._refusing: dict[str, str] = {}  # channel → the error a share into it gets

    # --- set-up ---------------------------------------------------------------------------------

    def add_user(
        self,
        id: str,
        name: str,
        tz: str | None = None,
        is_admin: bool = False,
        display_name: str | None = None,
        real_name: str | None = None,
    ) -> dict:
        """Add (or replace) a user that users.info will know; returns the stored record.

        ``tz`` None leaves the record without a "tz" key (a user whose zone is unknown)."""
        real = real_name or display_name or name
        user: dict[str, Any] = {
            "id": id,
            "team_id": "T1",
            "name": name,
            "real_name": real,
            "deleted": False,
            "is_bot": False,
            "is_admin": is_admin,
            "profile": {"display_name": display_name or name, "real_name": real},
        }
        if tz is not None:
            user["tz"] = tz
        with self._cond:
            self.users[id] = user
        return user

    def refuse_channel(self, channel: str, error: str = "not_in_channel") -> None:
        """Shares of files into `channel` (files.completeUploadExternal) get `error` from now
        on, as a channel the bot is not a member of does."""
        with self._cond:
            self._refusing[channel] = error

    def shared_files(self) -> list[dict[str, Any]]:
        """The files completed (shared), in order: id, filename, title, alt_txt, data (the
        uploaded bytes), channel_id, thread_ts, initial_comment."""
        with self._cond:
            return [dict(f, id=i) for i, f in self.files.items() if f["shared"]]

    def response_url(self, name: str = "r") -> str:
        """A response_url on this server; posts to it are recorded as method "respond:<name>"."""
        return f"{self.root_url}respond/{name}"

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        body: dict | str | bytes | None = None,
        headers: dict | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls to ``method`` (or "respond:<name>") get this answer instead.

        ``body`` defaults to ``{"ok": false, "error": ...}`` ("ratelimited" for 429,
        "internal_error" for 5xx, "fake_failure" otherwise); a str or bytes body is sent as is.
        Failures queued for one method are used in the order they were queued."""
        if body is None:
            body = {"ok": False, "error": _default_error(status)}
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        raw = raw.encode() if isinstance(raw, str) else raw
        self._queue_failure(method, Failure(status, raw, times, dict(headers or {})))

    # --- inspection -----------------------------------------------------------------------------

    def responses(self, name: str = "r") -> list[dict]:
        """The JSON bodies posted to ``response_url(name)``, in order."""
        return [c.params for c in self.calls_to(f"respond:{name}")]

    # --- serving --------------------------------------------------------------------------------

    def hang_after(self, method: str, answered: int) -> None:
        """Answer the first `answered` calls to `method`, then leave every later one hanging
        (recorded, never answered until stop() or release()): a server that stops answering
        halfway, to kill a poster in the middle of a post."""
        with self._cond:
            self._hang[method] = answered
            self._released.clear()

    def release(self) -> None:
        self._released.set()

    def _hangs(self, call: Call) -> bool:
        with self._cond:
            limit = self._hang.get(call.method)
            return limit is not None and len(self.calls_to(call.method)) > limit

    def stop(self) -> None:
        self._released.set()
        super().stop()

    def _record(self, call: Call) -> Failure | None:
        """Record ``call``; the failure queued for it, if any."""
        with self._cond:
            self._add_call(call)
            return self._take_failure(call.method)

    def _next_ts(self) -> str:
        with self._cond:
            micros = _FIRST_TS + 100 * next(self._ts)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_view_id(self) -> str:
        with self._cond:
            return f"V{next(self._view_ids)}"

    def _take_upload(self, call: Call, http_method: str) -> tuple[int, bytes]:
        """The upload URL: a POST of the file's bytes (raw), exactly the length declared to
        files.getUploadURLExternal, once. Recorded as method "upload"."""
        self._add_call(call)
        file_id = call.params["file_id"]
        with self._cond:
            entry = self.files.get(file_id)
            if http_method != "POST":
                return 405, b"method not allowed"
            if entry is None:
                return 404, b"unknown upload url"
            if entry["data"] is not None:
                return 400, b"already uploaded"
            if len(call.raw) != entry["length"]:
                return 400, f"length {len(call.raw)} is not the {entry['length']} declared".encode()
            entry["data"] = call.raw
        return 200, f"OK - {len(call.raw)}".encode()

    def _get_upload_url(self, params: dict) -> dict:
        filename, length = params.get("filename"), str(params.get("length", ""))
        if not isinstance(filename, str) or not filename or not length:
            return {"ok": False, "error": "invalid_arguments"}
        if not length.isdigit() or int(length) == 0:
            return {"ok": False, "error": "missing_argument"}  # Slack: "when length is 0"
        if len(str(params.get("alt_txt") or "")) > MAX_ALT_TXT:
            return {"ok": False, "error": "alt_txt_too_large"}
        with self._cond:
            file_id = f"F{next(self._file_ids):09d}"
            self.files[file_id] = {
                "filename": filename,
                "length": int(length),
                "alt_txt": params.get("alt_txt"),
                "data": None,
                "shared": False,
            }
        return {"ok": True, "upload_url": f"{self.root_url}upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict) -> dict:
        files = params.get("files")
        if (
            not isinstance(files, list)
            or not files
            or not all(isinstance(f, dict) and isinstance(f.get("id"), str) for f in files)
        ):
            return {"ok": False, "error": "invalid_arguments"}
        channel = params.get("channel_id")
        if params.get("thread_ts") and not channel:
            return {"ok": False, "error": "invalid_arguments"}  # a thread is in one channel
        with self._cond:
            for f in files:
                entry = self.files.get(f["id"])
                if entry is None or entry["data"] is None:  # unknown, or its bytes never came
                    return {"ok": False, "error": "file_not_found"}
                if entry["shared"]:
                    return {"ok": False, "error": "file_already_completed"}
            if channel is not None:
                if not isinstance(channel, str) or not _CHANNEL_ID.match(channel):
                    return {"ok": False, "error": "channel_not_found"}
                if channel in self._refusing:
                    return {"ok": False, "error": self._refusing[channel]}
            done = []
            for f in files:
                entry = self.files[f["id"]]
                entry.update(
                    shared=True,
                    title=f.get("title") or entry["filename"],
                    channel_id=channel,
                    thread_ts=params.get("thread_ts"),
                    initial_comment=params.get("initial_comment"),
                )
                done.append({"id": f["id"], "title": entry["title"], "name": entry["filename"]})
        return {"ok": True, "files": done}

    def _answer(self, method: str, params: dict) -> dict:
        """The default, successful answer to a Web API method."""
        if method == "files.getUploadURLExternal":
            return self._get_upload_url(params)
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method == "files.upload":  # retired: the external-upload flow replaced it
            return {"ok": False, "error": "method_deprecated"}
        if method == "auth.test":
            return dict(AUTH_TEST)
        if method == "users.info":
            with self._cond:
                user = self.users.get(params.get("user", ""))
                user = copy.deepcopy(user) if user is not None else None
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": user}
        if method == "users.list":
            with self._cond:
                members = copy.deepcopy(list(self.users.values()))
            return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
        if method == "conversations.open":
            users = str(params.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.replace(",", "")}}
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {k: v for k, v in params.items() if k not in ("channel", "token")}
            message.update(type="message", user="UBOT", bot_id="B1", ts=ts)
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            message = {k: v for k, v in params.items() if k not in ("channel", "token")}
            return {
                "ok": True,
                "channel": params.get("channel"),
                "ts": params.get("ts"),
                "text": params.get("text", ""),
                "message": message,
            }
        if method == "chat.delete":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = params.get("view")
            view = dict(view) if isinstance(view, dict) else {}
            view_id = params.get("view_id") if method == "views.update" else None
            view_id = view_id or self._next_view_id()
            view.update(id=view_id, team_id="T1", app_id="A1", bot_id="B1")
            view.setdefault("state", {"values": {}})
            view.setdefault("hash", f"hash.{view_id}")
            return {"ok": True, "view": view}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}


# --- signed requests as Slack sends them to the app --------------------------------------------


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to a request so the app can check it came from Slack."""
    ts = str(int(signing_clock()) if timestamp is None else int(timestamp))
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def _signed(
    body: bytes, content_type: str, secret: str, timestamp: int | None
) -> tuple[bytes, dict[str, str]]:
    return body, {"Content-Type": content_type, **sign(body, secret, timestamp)}


def _form(secret: str, fields: dict, timestamp: int | None) -> tuple[bytes, dict[str, str]]:
    body = urlencode(fields).encode()
    return _signed(body, "application/x-www-form-urlencoded", secret, timestamp)


def _interactive(secret: str, payload: dict, timestamp: int | None) -> tuple[bytes, dict[str, str]]:
    return _form(secret, {"payload": json.dumps(payload)}, timestamp)


_TRIGGERS = itertools.count(1)


def new_trigger_id() -> str:
    """A fresh trigger_id: Slack gives every invocation (command, click, submission) its own."""
    return f"trig.{next(_TRIGGERS)}"


def slash_command(
    secret: str,
    text: str,
    *,
    command: str = "/task",
    user_id: str = "U1",
    user_name: str = "alice",
    channel_id: str = "C1",
    channel_name: str = "general",
    team_id: str = "T1",
    response_url: str = "",
    trigger_id: str | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A slash command, form-urlencoded as Slack posts it; each invocation has a trigger_id of
    its own, as Slack's do (a retry of the same request sends the same one)."""
    fields = {
        "token": "verification-token",
        "team_id": team_id,
        "team_domain": "paceline-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return _form(secret, fields, timestamp)


def event(
    secret: str,
    event: dict,
    *,
    event_id: str = "Ev1",
    team_id: str = "T1",
    retry_num: int | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """An Events API ``event_callback`` envelope around ``event``, as JSON."""
    now = int(signing_clock()) if timestamp is None else int(timestamp)
    envelope = {
        "token": "verification-token",
        "team_id": team_id,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_id}",
    }
    body, headers = _signed(json.dumps(envelope).encode(), "application/json", secret, timestamp)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return body, headers


def app_mention(
    text: str,
    *,
    user: str = "U1",
    channel: str = "C1",
    ts: str = "1700000000.000100",
    thread_ts: str | None = None,
) -> dict:
    """An ``app_mention`` event; ``text`` is used as is (write the ``<@UBOT>`` yourself)."""
    mention: dict[str, Any] = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "team": "T1",
        "channel": channel,
        "event_ts": ts,
        "client_msg_id": f"msg-{ts}",
    }
    if thread_ts is not None:
        mention["thread_ts"] = thread_ts
    return mention


def app_home_opened(user: str = "U1") -> dict:
    """An ``app_home_opened`` event for the Home tab (first open: no "view" key)."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": "1700000000.000300",
    }


def block_action(
    secret: str,
    action_id: str,
    value: str,
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = "T1",
    message_ts: str = "1700000000.000200",
    response_url: str = "",
    trigger_id: str | None = None,
    view: dict | None = None,
    block_id: str = "b1",
    timestamp: int | None = None,
    action_ts: str | None = None,
    overflow: bool = False,
) -> tuple[bytes, dict[str, str]]:
    """A ``block_actions`` payload for a button click.

    Without ``view`` the button sits in a channel message (channel, message, response_url);
    with ``view`` it sits in that view (an App Home button): container type "view", no channel.
    ``overflow`` makes it a pick from an overflow menu (the value in ``selected_option``);
    ``action_ts`` pins the click's time (two clicks of a double click share nothing else)."""
    clicked_at = action_ts or f"{int(signing_clock())}.000000"
    if overflow:
        action: dict[str, Any] = {
            "type": "overflow",
            "action_id": action_id,
            "block_id": block_id,
            "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
            "action_ts": clicked_at,
        }
    else:
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "text": {"type": "plain_text", "text": value, "emoji": True},
            "value": value,
            "action_ts": clicked_at,
        }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": team_id},
        "api_app_id": "A1",
        "token": "verification-token",
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": "paceline-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if view is None:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel_id, "name": "general"}
        payload["message"] = {
            "type": "message",
            "user": "UBOT",
            "bot_id": "B1",
            "ts": message_ts,
            "text": "",
            "blocks": [],
        }
        payload["response_url"] = response_url
    else:
        home = {"id": "V1", "type": "home", "team_id": team_id, "state": {"values": {}}, **view}
        payload["container"] = {"type": "view", "view_id": home["id"]}
        payload["view"] = home
        payload["state"] = home["state"]
    return _interactive(secret, payload, timestamp)


def view_submission(
    secret: str,
    callback_id: str,
    values: dict,
    *,
    private_metadata: str = "",
    user_id: str = "U1",
    team_id: str = "T1",
    view_id: str = "V1",
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A ``view_submission`` payload; ``values`` is ``view.state.values``."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "paceline-test"},
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": team_id},
        "api_app_id": "A1",
        "token": "verification-token",
        "trigger_id": new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": f"hash.{view_id}",
            "title": {"type": "plain_text", "text": "Paceline"},
            "close": None,
            "submit": {"type": "plain_text", "text": "Submit"},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": "A1",
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": "B1",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _interactive(secret, payload, timestamp)


def url_verification(
    secret: str, challenge: str = "c", *, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The Events API handshake Slack sends when the request URL is set."""
    body = json.dumps(
        {"token": "verification-token", "challenge": challenge, "type": "url_verification"}
    )
    return _signed(body.encode(), "application/json", secret, timestamp)
