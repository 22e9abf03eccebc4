"""A local fake of WeCom's (企业微信) server API, and builders for encrypted callbacks as WeCom
sends them.

``FakeWeCom`` serves the server API on 127.0.0.1 (a free port) so that the real
``wechatpy.enterprise.WeChatClient`` can be pointed at it (``client.API_BASE_URL =
fake.base_url``; wechatpy 1.8 hard-codes the gettoken address, so a client for the fake
overrides ``fetch_access_token``, see tests/test_fake_wecom.py). Every request is recorded as a
:class:`Call`, answered or not.

What it answers, as WeCom does (errors always with HTTP 200 and an ``errcode``):

* ``gettoken``: the current access token; within its validity every gettoken returns the SAME
  token (WeCom: "有效期内重复获取返回相同结果"), a new ``TOKEN<n>`` only after
  :meth:`FakeWeCom.expire_tokens`. Wrong corpid 40013, wrong secret 40001.
* every other ``/cgi-bin/`` API but ``webhook/send``: ``access_token`` must be the current
  token; missing 41001, expired (see ``expire_tokens``) 42001, anything else 40014.
* ``message/send``, ``appchat/send``, ``webhook/send``: a text content over 2048 bytes (UTF-8)
  or a markdown content over 4096 bytes answers 40058, so a sender that forgets to split is
  caught; an empty content 44004, an unknown msgtype 40008, a body that is not JSON 47001.
* ``webhook/send?key=K``: no token; an unknown or revoked key answers 93000; with
  ``enforce_webhook_rate=True`` more than 20 messages in 60 s (by ``clock``) to one key 45009.
* ``webhook/send`` with msgtype image: ``image.base64`` of the raw image and ``image.md5`` of
  the raw image (not of the base64 text), at most 2 MB before encoding, JPG or PNG.
* ``media/upload?type=image``: a multipart field ``media`` with a filename, 5 bytes to 10 MB,
  JPG or PNG; ``message/send`` of an image needs a media_id it gave (40007 otherwise).
  ``robot_images()`` and ``app_images()`` are the images WeCom took.
* ``user/list``, ``user/simplelist``, ``user/get`` from the users given; unknown user 60111.
* a POST API called with GET answers 43002, a GET API called with POST 43001.
* an intelligent robot's ``response_url`` (``/cgi-bin/aibot/response?response_code=X``):
  recorded as method ``aibot/response:X``. As WeCom documents it (智能机器人 · 主动回复消息:
  "每个 response_url 用户可以调用接口一次"), each one takes ONE message: once a post to it
  was accepted, every later post answers ``RESPONSE_URL_USED`` (a post refused for its content
  or by ``fail_next`` does not use it up). It takes ``markdown`` (at most 20480 bytes) and
  ``template_card``; any other msgtype answers 40008, longer markdown 40058.

:func:`markup` reads a markdown content the way WeCom's markdown does (its documented subset:
mentions, colour tags, links and images, bold and italic, headings and quotes at a line's
start), so a test can see what a message would ping, link or emphasise.

Error messages carry WeCom's suffix (", hint: [...], from ip: ..., more info at ...") so code
that compares ``errmsg`` for equality fails here as it would against WeCom.

The module-level builders produce callbacks exactly as WeCom builds them: AES-256-CBC with the
EncodingAESKey (IV = first 16 key bytes), PKCS#7 to 32-byte blocks, plaintext ``random(16) +
len(4, big-endian) + message + receive id``, and ``msg_signature = sha1(sorted([token,
timestamp, nonce, encrypt]))``. Encryption goes through ``wechatpy.enterprise.crypto.PrpCrypto``
so the bytes are what wechatpy itself produces. The receive id is the corp id for a self-built
app and the empty string for an intelligent robot (智能机器人). A callback is signed at its
``timestamp`` or else at ``signing_clock()``: the wall clock, unless a test pins it to the
clock it hands the door (``monkeypatch.setattr(fw, "signing_clock", NOW.timestamp)``).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import os
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
from xml.etree import ElementTree

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from tests.fakes.server import Failure, Headers, RecordingHandler, RecordingServer, get, post

__all__ = [
    "AIBOT_CONTENT_LIMITS",
    "CONTENT_LIMITS",
    "ERRMSG",
    "RESPONSE_URL_USED",
    "WEBHOOK_RATE_LIMIT",
    "Call",
    "FakeWeCom",
    "Markup",
    "aibot_callback",
    "aibot_text",
    "aibot_url_check",
    "app_callback",
    "app_text_message",
    "app_url_check",
    "decrypt_aibot_reply",
    "decrypt_reply_xml",
    "get",
    "markup",
    "msg_signature",
    "new_aes_key",
    "post",
    "sealed",
]

# Byte limits (UTF-8) on a message's content. WeCom documents 2048 bytes for text everywhere and
# 4096 bytes for a group robot's markdown (an app's message/send documents 2048 for markdown).
CONTENT_LIMITS: dict[str, int] = {"text": 2048, "markdown": 4096, "markdown_v2": 4096}
# What an intelligent robot's response_url takes: markdown up to 20480 bytes, or a template card
# (not checked); nothing else.
AIBOT_CONTENT_LIMITS: dict[str, int | None] = {"markdown": 20480, "template_card": None}
# WeCom documents that a response_url may be called once, not the errcode of a second call; the
# fake answers this (invalid request parameter) with an errmsg that says why.
RESPONSE_URL_USED = 40058

# An image message: a group robot takes "图片（base64编码前）最大不能超过2M，支持JPG,PNG格式";
# media/upload?type=image takes 5 bytes to 10 MB, JPG or PNG. WeCom documents the limits, not
# every errcode: the fake answers 40009 for a size, 40005 for a type, 47001 for broken base64
# or an md5 that is not the decoded bytes', 40007 for an unknown media_id.
ROBOT_IMAGE_BYTES = 2 * 1024 * 1024
MEDIA_IMAGE_BYTES = 10 * 1024 * 1024
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

WEBHOOK_RATE_LIMIT = 20  # messages per key per 60 seconds ("每个机器人发送的消息不能超过20条/分钟")

ERRMSG: dict[int, str] = {
    -1: "system busy",
    40001: "invalid credential",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    41005: "media data missing",
    40008: "invalid message type",
    40013: "invalid corpid",
    40014: "invalid access_token",
    40058: "invalid Request Parameter",
    41001: "access_token missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    44004: "empty content",
    45009: "api freq out of limit",
    45033: "api concurrent out of limit",
    47001: "data format error",
    60003: "department not found",
    60111: "userid not found",
    93000: "invalid webhook url",
}

_POST_ONLY = frozenset({"message/send", "appchat/send", "webhook/send", "media/upload"})
_GET_ONLY = frozenset({"gettoken", "user/get", "user/list", "user/simplelist"})
_AIBOT_RESPONSE = "aibot/response"


@dataclass
class Call:
    """One request the fake received, with the answer it got."""

    method: str  # "gettoken", "message/send", "webhook/send", "aibot/response:r", ...
    params: dict  # the query string (access_token, key, department_id, ...)
    body: dict | None = None  # the JSON body; None for a GET, an empty or a non-JSON body
    headers: dict[str, str] = field(default_factory=Headers)
    raw: bytes = b""
    http_method: str = "GET"
    status: int = 200  # the HTTP status answered
    answer: dict | None = None  # the JSON answered ({"errcode": 0, ...})

    @property
    def ok(self) -> bool:
        """Answered HTTP 200 with errcode 0: the message (if any) was delivered."""
        return self.status == 200 and (self.answer or {}).get("errcode") == 0


class _Handler(RecordingHandler):
    server_version = "FakeWeCom/1.0"
    content_type = "application/json; charset=UTF-8"

    def handle_request(self, http_method: str) -> None:
        url = urlsplit(self.path)
        raw = self.read_body()
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        path = url.path
        if path in (f"/cgi-bin/{_AIBOT_RESPONSE}", f"/{_AIBOT_RESPONSE}"):
            method = f"{_AIBOT_RESPONSE}:{params.get('response_code', '')}"
        elif path.startswith("/cgi-bin/") and len(path) > len("/cgi-bin/"):
            method = path[len("/cgi-bin/") :]
        else:
            self.send_answer(404, b'{"errcode": 404, "errmsg": "not found"}')
            return
        body: dict | None = None
        json_ok = False
        if raw:
            try:
                decoded = json.loads(raw.decode("utf-8"))
            except ValueError:
                decoded = None
            if isinstance(decoded, dict):
                body, json_ok = decoded, True
        call = Call(
            method=method,
            params=params,
            body=body,
            headers=Headers(self.headers.items()),
            raw=raw,
            http_method=http_method,
        )
        self.fake._serve(call, json_ok)
        self.send_answer(call.status, json.dumps(call.answer, ensure_ascii=False).encode("utf-8"))


class FakeWeCom(RecordingServer[Call]):
    """WeCom's server API on 127.0.0.1 (port 0): records every call.

    Use as a context manager, or call :meth:`start` and :meth:`stop`::

        with FakeWeCom(users=[{"userid": "zhangsan", "name": "张三"}]) as fake:
            client = LocalWeChatClient("wwcorp", "app-secret")  # fetch_access_token overridden
            client.API_BASE_URL = fake.base_url
            client.message.send_text(1000002, ["zhangsan"], "hi")
            assert fake.calls_to("message/send")[0].body["text"]["content"] == "hi"

    Recording, ``calls_to`` and ``wait_for`` (a call is recorded once answered) are
    :class:`tests.fakes.server.RecordingServer`'s.
    """

    handler = _Handler
    api_path = "cgi-bin/"  # base_url, the WECOM_API_URL setting: http://127.0.0.1:PORT/cgi-bin/
    thread_name = "fake-wecom"

    def __init__(
        self,
        *,
        corp_id: str = "wwcorp",
        secret: str = "app-secret",
        users: list[dict] | None = None,
        enforce_webhook_rate: bool = False,
        clock: Callable[[], float] = time.monotonic,
        expires_in: int = 7200,
        content_limits: dict[str, int] | None = None,
    ) -> None:
        super().__init__()
        self.corp_id = corp_id
        self.secret = secret
        self.enforce_webhook_rate = enforce_webhook_rate
        self.clock = clock
        self.expires_in = expires_in
        self.content_limits = dict(CONTENT_LIMITS if content_limits is None else content_limits)
        self.users: dict[str, dict] = {}
        for user in users or ():
            self._store_user(copy.deepcopy(user))
        self._token: str | None = None
        self._issued: list[str] = []
        self._dead: dict[str, int] = {}  # token -> errcode it now gets (42001 or 40014)
        self._webhook_keys: set[str] = set()
        self._webhook_sent: dict[str, deque[float]] = {}
        self._msgids = itertools.count(1)
        self._hints = itertools.count(1)
        self._responded: set[str] = set()  # response codes whose one message was accepted
        self.media: dict[str, bytes] = {}  # media_id → the bytes media/upload took
        self._media_ids = itertools.count(1)

    # --- set-up ---------------------------------------------------------------------------------

    def add_user(
        self, userid: str, name: str, department: Iterable[int] = (1,), **extra: Any
    ) -> None:
        """Add (or replace) a member that user/get and user/list will know."""
        user = {"userid": userid, "name": name, "department": list(department), **extra}
        with self._cond:
            self._store_user(user)

    def _store_user(self, user: dict) -> None:
        if not user.get("userid"):
            raise ValueError(f"a user needs a userid: {user!r}")
        user.setdefault("name", user["userid"])
        user["department"] = list(user.get("department") or [1])
        self.users[user["userid"]] = user

    def webhook_url(self, key: str = "k1") -> str:
        """A group robot's webhook address; its key becomes valid (until revoke_webhook)."""
        with self._cond:
            self._webhook_keys.add(key)
        return f"{self.base_url}webhook/send?key={quote(key, safe='')}"

    def revoke_webhook(self, key: str = "k1") -> None:
        """The robot was removed: posts with this key now answer 93000."""
        with self._cond:
            self._webhook_keys.discard(key)

    def response_url(self, name: str = "r") -> str:
        """An intelligent robot's response_url, shaped as WeCom's
        (``.../cgi-bin/aibot/response?response_code=<name>``); posts to it are recorded as
        method ``aibot/response:<name>``."""
        return f"{self.base_url}{_AIBOT_RESPONSE}?response_code={quote(name, safe='')}"

    def expire_tokens(self, *, errcode: int = 42001) -> None:
        """Every token issued so far becomes invalid: a call with one answers ``errcode``
        (42001 access_token expired; pass 40014 for a token WeCom revoked early). The next
        gettoken issues a new token."""
        with self._cond:
            for token in self._issued:
                self._dead[token] = errcode
            self._token = None

    def fail_next(
        self,
        method: str,
        *,
        errcode: int,
        errmsg: str = "",
        times: int = 1,
        status: int = 200,
    ) -> None:
        """The next ``times`` calls to ``method`` (or "aibot/response:<name>") answer
        ``{"errcode": errcode, "errmsg": ...}`` with HTTP ``status`` instead of their answer.

        ``errmsg`` defaults to WeCom's text for the code (with the hint suffix). Failures queued
        for one method are used in the order they were queued."""
        answer = {"errcode": errcode, "errmsg": errmsg or self._errmsg(errcode)}
        self._queue_failure(method, Failure(status, answer, times))

    def reset(self) -> None:
        """Forget recorded calls, pending failures and webhook rate counts (tokens, users and
        webhook keys are kept)."""
        with self._cond:
            super().reset()
            self._webhook_sent.clear()
            self._responded.clear()

    # --- inspection -----------------------------------------------------------------------------

    @property
    def tokens_issued(self) -> int:
        """How many distinct access tokens gettoken has issued."""
        with self._cond:
            return len(self._issued)

    @property
    def current_token(self) -> str | None:
        with self._cond:
            return self._token

    def responses(self, name: str = "r") -> list[dict]:
        """The JSON bodies accepted at ``response_url(name)``, in order."""
        return [c.body or {} for c in self.calls_to(f"{_AIBOT_RESPONSE}:{name}") if c.ok]

    def webhook_posts(self, key: str = "k1") -> list[dict]:
        """The JSON bodies a group robot accepted (errcode 0: what the group shows), in order.
        Rejected posts (93000, 45009, 40058, fail_next, ...) are only in :attr:`calls`."""
        return [
            c.body or {}
            for c in self.calls_to("webhook/send")
            if c.params.get("key") == key and c.ok
        ]

    # --- serving --------------------------------------------------------------------------------

    def _errmsg(self, errcode: int, text: str | None = None) -> str:
        with self._cond:
            hint = next(self._hints)
        base = text or ERRMSG.get(errcode, "fake failure")
        return (
            f"{base}, hint: [1700000000_{hint:04d}_fakewecom], from ip: 127.0.0.1, "
            f"more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"
        )

    def _error(self, errcode: int, text: str | None = None) -> dict:
        return {"errcode": errcode, "errmsg": self._errmsg(errcode, text)}

    def _describe(self, call: Call) -> str:
        return f"{call.method} {call.params!r} {call.body!r}"

    def _serve(self, call: Call, json_ok: bool) -> None:
        """Decide the answer, then record the call (wait_for sees it answered)."""
        with self._cond:
            failure = self._take_failure(call.method)
            if failure is not None:
                call.status, call.answer = failure.status, dict(failure.body)
            else:
                call.status, call.answer = 200, self._answer(call, json_ok)
            self._add_call(call)

    def _answer(self, call: Call, json_ok: bool) -> dict:
        method, params = call.method, call.params
        if method in _POST_ONLY and call.http_method != "POST":
            return self._error(43002)
        if method in _GET_ONLY and call.http_method != "GET":
            return self._error(43001)
        if method == "gettoken":
            return self._gettoken(params)
        if method.startswith(f"{_AIBOT_RESPONSE}:"):
            return self._aibot_response(call, json_ok)
        if method == "webhook/send":
            return self._webhook(call, json_ok)
        token_error = self._check_token(params.get("access_token", ""))
        if token_error is not None:
            return token_error
        if method == "media/upload":
            return self._media_upload(call)
        if method in ("message/send", "appchat/send"):
            if not json_ok:
                return self._error(47001)
            problem = self._check_message(call.body or {})
            if problem is not None:
                return problem
            if (call.body or {}).get("msgtype") == "image":
                media_id = ((call.body or {}).get("image") or {}).get("media_id")
                if media_id not in self.media:
                    return self._error(40007)
            if method == "appchat/send":
                return {"errcode": 0, "errmsg": "ok"}
            return {
                "errcode": 0,
                "errmsg": "ok",
                "msgid": f"m{next(self._msgids)}",
                "invaliduser": "",
            }
        if method in ("user/list", "user/simplelist"):
            return self._user_list(params, simple=method == "user/simplelist")
        if method == "user/get":
            user = self.users.get(params.get("userid", ""))
            if user is None:
                return self._error(60111, f"userid not found: {params.get('userid', '')}")
            return {"errcode": 0, "errmsg": "ok", **copy.deepcopy(user)}
        return {"errcode": 0, "errmsg": "ok"}

    def _gettoken(self, params: dict) -> dict:
        if params.get("corpid") != self.corp_id:
            return self._error(40013)
        if params.get("corpsecret") != self.secret:
            return self._error(40001)
        if self._token is None:
            self._token = f"TOKEN{len(self._issued) + 1}"
            self._issued.append(self._token)
        return {
            "errcode": 0,
            "errmsg": "ok",
            "access_token": self._token,
            "expires_in": self.expires_in,
        }

    def _check_token(self, token: str) -> dict | None:
        if not token:
            return self._error(41001)
        if token in self._dead:
            return self._error(self._dead[token])
        if token != self._token:
            return self._error(40014)
        return None

    def _aibot_response(self, call: Call, json_ok: bool) -> dict:
        if call.http_method != "POST":
            return self._error(43002)
        if not json_ok:
            return self._error(47001)
        code = call.method.split(":", 1)[1]
        if code in self._responded:
            return self._error(RESPONSE_URL_USED, "response_url already used: it takes one message")
        body = call.body or {}
        if body.get("msgtype") not in AIBOT_CONTENT_LIMITS:
            return self._error(40008)
        problem = self._check_message(body, AIBOT_CONTENT_LIMITS)
        if problem is not None:
            return problem
        self._responded.add(code)
        return {"errcode": 0, "errmsg": "ok"}

    def _check_message(
        self, body: dict, limits: Mapping[str, int | None] | None = None
    ) -> dict | None:
        msgtype = body.get("msgtype")
        if not isinstance(msgtype, str) or not msgtype:
            return self._error(40008)
        limit = (self.content_limits if limits is None else limits).get(msgtype)
        if limit is None:
            return None  # image, news, template_card, ...: not checked
        part = body.get(msgtype)
        content = part.get("content") if isinstance(part, dict) else None
        if not isinstance(content, str) or not content:
            return self._error(44004)
        if len(content.encode("utf-8")) > limit:
            return self._error(
                40058, f"{msgtype}.content exceed max length {limit}. invalid Request Parameter"
            )
        return None

    def _webhook(self, call: Call, json_ok: bool) -> dict:
        key = call.params.get("key", "")
        if key not in self._webhook_keys:
            return self._error(93000)
        if not json_ok:
            return self._error(47001)
        problem = self._check_message(call.body or {})
        if problem is None and (call.body or {}).get("msgtype") == "image":
            problem = self._check_robot_image((call.body or {}).get("image"))
        if problem is not None:
            return problem
        if self.enforce_webhook_rate:
            now = self.clock()
            sent = self._webhook_sent.setdefault(key, deque())
            while sent and sent[0] <= now - 60:
                sent.popleft()
            if len(sent) >= WEBHOOK_RATE_LIMIT:
                return self._error(45009)
            sent.append(now)
        return {"errcode": 0, "errmsg": "ok"}

    def _check_robot_image(self, image: object) -> dict | None:
        """A group robot's image: `base64` of the raw image, `md5` of the raw image (not of the
        base64 text), at most 2 MB before encoding, JPG or PNG."""
        if not isinstance(image, dict):
            return self._error(47001)
        encoded, md5 = image.get("base64"), image.get("md5")
        if not isinstance(encoded, str) or not isinstance(md5, str) or not encoded:
            return self._error(47001)
        try:
            data = base64.b64decode(encoded, validate=True)
        except ValueError:
            return self._error(47001, "image.base64 is not base64")
        if hashlib.md5(data).hexdigest() != md5.lower():
            return self._error(47001, "image.md5 is not the md5 of the image")
        if len(data) > ROBOT_IMAGE_BYTES:
            return self._error(40009, f"image over {ROBOT_IMAGE_BYTES} bytes before base64")
        if not data.startswith(_IMAGE_MAGIC):
            return self._error(40005, "image is neither JPG nor PNG")
        return None

    def _media_upload(self, call: Call) -> dict:
        """media/upload?type=image: the file in the multipart field `media` (with a filename);
        5 bytes to 10 MB, JPG or PNG."""
        kind = call.params.get("type")
        if kind not in ("image", "voice", "video", "file"):
            return self._error(40004)
        data = _multipart_file(call.headers.get("Content-Type", ""), call.raw, "media")
        if data is None:
            return self._error(41005)
        if kind == "image":
            if not 5 < len(data) <= MEDIA_IMAGE_BYTES:
                return self._error(40009)
            if not data.startswith(_IMAGE_MAGIC):
                return self._error(40005)
        media_id = f"MEDIA{next(self._media_ids)}"
        self.media[media_id] = data
        return {
            "errcode": 0,
            "errmsg": "ok",
            "type": kind,
            "media_id": media_id,
            "created_at": str(int(self.clock())),
        }

    def robot_images(self, key: str = "k1") -> list[bytes]:
        """The images a group robot posted and WeCom accepted, decoded, in order."""
        return [
            base64.b64decode(c.body["image"]["base64"])
            for c in self.calls_to("webhook/send")
            if c.ok and c.params.get("key") == key and (c.body or {}).get("msgtype") == "image"
        ]

    def app_images(self) -> list[tuple[str, bytes]]:
        """(touser, image bytes) of each image message/send accepted, in order."""
        return [
            (c.body["touser"], self.media[c.body["image"]["media_id"]])
            for c in self.calls_to("message/send")
            if c.ok and (c.body or {}).get("msgtype") == "image"
        ]

    def _user_list(self, params: dict, *, simple: bool) -> dict:
        try:
            department = int(params.get("department_id", ""))
        except ValueError:
            return self._error(60003)
        fetch_child = params.get("fetch_child") == "1"
        # No department tree is modelled: department 1 is the root, holding everyone.
        members = [
            u
            for u in self.users.values()
            if department in u["department"] or (fetch_child and department == 1)
        ]
        if simple:
            members = [
                {"userid": u["userid"], "name": u["name"], "department": u["department"]}
                for u in members
            ]
        return {"errcode": 0, "errmsg": "ok", "userlist": copy.deepcopy(members)}


# --- what a markdown message shows ---------------------------------------------------------------


@dataclass
class Markup:
    """What WeCom's markdown makes of a content: who it pings, what it links and emphasises."""

    mentions: list[str]  # userids of `<@userid>`; "all" for `<@all>` or a bare `@all`
    links: list[str]  # the targets of `[text](url)` and `![alt](url)`
    emphasis: list[str]  # the text of `**bold**` and `*italic*` spans
    colours: list[str]  # the text inside `<font color="...">…</font>`
    line_starts: list[str]  # lines that open a heading (`# `) or a quote (`>`)


_MD_MENTION = re.compile(r"<@([^>\s]+)>")
_MD_AT_ALL = re.compile(r"(?<![<\w])@all(?![\w])", re.IGNORECASE)
_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\n]*)\)")
_MD_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MD_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)")
_MD_FONT = re.compile(r"<font\b[^>]*>(.*?)</font>", re.IGNORECASE)
_MD_LINE_START = re.compile(r"^(?:#{1,6}\s|>)")


def markup(content: str) -> Markup:
    """Read a markdown content as WeCom's markdown does: the subset its documentation lists,
    each construct only with its pieces side by side (taken to hold there too: any character
    between them, a zero-width space as well, leaves plain text)."""
    mentions = _MD_MENTION.findall(content)
    mentions += ["all"] * len(_MD_AT_ALL.findall(content))
    without_bold = _MD_BOLD.sub(" ", content)
    return Markup(
        mentions=mentions,
        links=_MD_LINK.findall(content),
        emphasis=_MD_BOLD.findall(content) + _MD_ITALIC.findall(without_bold),
        colours=_MD_FONT.findall(content),
        line_starts=[line for line in content.split("\n") if _MD_LINE_START.match(line)],
    )


# --- encrypted callbacks as WeCom sends them ----------------------------------------------------


def new_aes_key() -> str:
    """A fresh EncodingAESKey: 43 characters of [A-Za-z0-9], 32 bytes once decoded, as the WeCom
    admin console generates them."""
    while True:
        key = base64.b64encode(os.urandom(32)).decode("ascii")[:-1]
        if key.isalnum():
            return key


def _key_bytes(aes_key: str) -> bytes:
    if len(aes_key) != 43:
        raise ValueError(f"an EncodingAESKey has 43 characters, not {len(aes_key)}")
    key = base64.b64decode(aes_key + "=")
    if len(key) != 32:
        raise ValueError("an EncodingAESKey decodes to 32 bytes")
    return key


def msg_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """WeCom's msg_signature: sha1 of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def _encrypt(aes_key: str, plaintext: str, receive_id: str) -> str:
    return PrpCrypto(_key_bytes(aes_key)).encrypt(plaintext, receive_id).decode("ascii")


# When a callback is signed if the builder is not told: epoch seconds, the wall clock unless a
# test pins it.
signing_clock: Callable[[], float] = time.time


def _stamp(timestamp: int | str | None, nonce: str | None) -> tuple[str, str]:
    ts = str(int(signing_clock()) if timestamp is None else int(timestamp))
    return ts, nonce if nonce is not None else str(1_000_000_000 + secrets.randbelow(10**9))


def _signed(token: str, encrypt: str, timestamp: int | str | None, nonce: str | None) -> dict:
    ts, nonce = _stamp(timestamp, nonce)
    return {
        "msg_signature": msg_signature(token, ts, nonce, encrypt),
        "timestamp": ts,
        "nonce": nonce,
    }


def sealed(
    token: str,
    aes_key: str,
    receive_id: str,
    plaintext: str,
    *,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> tuple[dict, str]:
    """(query params, the encrypted value) of any plaintext, encrypted and signed as WeCom does:
    for callbacks no builder makes (one that decrypts to something that is not a message)."""
    encrypt = _encrypt(aes_key, plaintext, receive_id)
    return _signed(token, encrypt, timestamp, nonce), encrypt


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _url_check(
    token: str,
    aes_key: str,
    receive_id: str,
    echostr: str,
    timestamp: int | str | None,
    nonce: str | None,
) -> dict:
    encrypt = _encrypt(aes_key, echostr, receive_id)
    return {**_signed(token, encrypt, timestamp, nonce), "echostr": encrypt}


def app_url_check(
    token: str,
    aes_key: str,
    corp_id: str,
    echostr: str = "hello",
    *,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> dict:
    """The query params of the GET WeCom sends to verify a self-built app's callback URL
    (``msg_signature``, ``timestamp``, ``nonce``, ``echostr`` encrypted). The app must answer
    the decrypted echostr as the body. URL-encode them (``urllib.parse.urlencode``): the
    echostr is base64 and holds + / =."""
    return _url_check(token, aes_key, corp_id, echostr, timestamp, nonce)


def app_callback(
    token: str,
    aes_key: str,
    corp_id: str,
    inner_xml: str,
    *,
    agent_id: int | str = 1000002,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> tuple[dict, bytes]:
    """(query params, body) of a POST WeCom sends to a self-built app: ``inner_xml`` (any
    message or event) encrypted into ``<xml><ToUserName/><AgentID/><Encrypt/></xml>``."""
    encrypt = _encrypt(aes_key, inner_xml, corp_id)
    body = (
        f"<xml><ToUserName>{_cdata(corp_id)}</ToUserName>"
        f"<AgentID>{_cdata(str(agent_id))}</AgentID>"
        f"<Encrypt>{_cdata(encrypt)}</Encrypt></xml>"
    )
    return _signed(token, encrypt, timestamp, nonce), body.encode("utf-8")


def app_text_message(
    token: str,
    aes_key: str,
    corp_id: str,
    content: str,
    *,
    from_user: str = "zhangsan",
    msg_id: str = "1001",
    agent_id: int = 1000002,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> tuple[dict, bytes]:
    """(query params, encrypted XML body) of a text message a member sent the app, for
    ``POST /wecom/callback``."""
    ts, nonce = _stamp(timestamp, nonce)
    inner = (
        f"<xml><ToUserName>{_cdata(corp_id)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{ts}</CreateTime>"
        f"<MsgType>{_cdata('text')}</MsgType>"
        f"<Content>{_cdata(content)}</Content>"
        f"<MsgId>{msg_id}</MsgId>"
        f"<AgentID>{agent_id}</AgentID></xml>"
    )
    return app_callback(
        token, aes_key, corp_id, inner, agent_id=agent_id, timestamp=ts, nonce=nonce
    )


def aibot_url_check(
    token: str,
    aes_key: str,
    echostr: str = "hello",
    *,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> dict:
    """The query params of the GET WeCom sends to verify an intelligent robot's URL (receive
    id "")."""
    return _url_check(token, aes_key, "", echostr, timestamp, nonce)


def aibot_callback(
    token: str,
    aes_key: str,
    payload: dict,
    *,
    timestamp: int | str | None = None,
    nonce: str | None = None,
    receive_id: str = "",
) -> tuple[dict, bytes]:
    """(query params, JSON body ``{"encrypt": ...}``) of a POST WeCom sends to an intelligent
    robot, ``payload`` (any message or event) encrypted with receive id "" (pass another
    ``receive_id`` to forge one built for somebody else)."""
    encrypt = _encrypt(aes_key, json.dumps(payload, ensure_ascii=False), receive_id)
    return _signed(token, encrypt, timestamp, nonce), json.dumps({"encrypt": encrypt}).encode()


def aibot_text(
    token: str,
    aes_key: str,
    content: str,
    *,
    msgid: str = "m1",
    chatid: str = "wrk-chat-1",
    chattype: str = "group",
    userid: str = "zhangsan",
    response_url: str = "",
    aibotid: str = "bot1",
    timestamp: int | str | None = None,
    nonce: str | None = None,
    receive_id: str = "",
) -> tuple[dict, bytes]:
    """(query params, JSON body) of a text message to an intelligent robot, for
    ``POST /wecom/aibot``. A "single" (1:1) chat carries no chatid."""
    payload: dict[str, Any] = {"msgid": msgid, "aibotid": aibotid}
    if chattype != "single":
        payload["chatid"] = chatid
    payload["chattype"] = chattype
    payload["from"] = {"userid": userid}
    payload["response_url"] = response_url
    payload["msgtype"] = "text"
    payload["text"] = {"content": content}
    return aibot_callback(
        token, aes_key, payload, timestamp=timestamp, nonce=nonce, receive_id=receive_id
    )


def decrypt_reply_xml(token: str, aes_key: str, corp_id: str, body: bytes | str) -> str:
    """The inner XML of an app's encrypted passive reply (``<xml><Encrypt/><MsgSignature/>
    <TimeStamp/><Nonce/></xml>``), after checking its signature (raises
    ``wechatpy.exceptions.InvalidSignatureException`` / ``InvalidCorpIdException``)."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    root = ElementTree.fromstring(text)
    fields = {name: root.findtext(name) for name in ("MsgSignature", "TimeStamp", "Nonce")}
    missing = [name for name, value in fields.items() if value is None]
    if root.findtext("Encrypt") is None or missing:
        raise ValueError(f"not an encrypted reply (missing {missing or ['Encrypt']}): {text!r}")
    crypto = WeChatCrypto(token, aes_key, corp_id)
    return crypto.decrypt_message(
        text, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
    )


def decrypt_aibot_reply(token: str, aes_key: str, body: bytes | str) -> dict:
    """The JSON of an intelligent robot's encrypted passive reply (``{"encrypt",
    "msgsignature", "timestamp", "nonce"}``, as WeCom's WXBizJsonMsgCrypt writes it), after
    checking its signature."""
    reply = json.loads(body)
    crypto = WeChatCrypto(token, aes_key, "")
    plaintext = crypto.decrypt_message(
        {"Encrypt": reply["encrypt"]},
        str(reply["msgsignature"]),
        str(reply["timestamp"]),
        str(reply["nonce"]),
    )
    return json.loads(plaintext)


def _multipart_file(content_type: str, raw: bytes, field_name: str) -> bytes | None:
    """The bytes of the file in the multipart/form-data field `field_name` (it must carry a
    filename, as a file part does); None when there is none."""
    from email.parser import BytesParser
    from email.policy import HTTP

    if not content_type.lower().startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    for part in message.iter_parts():
        params = dict(part.get_params(header="content-disposition") or [])
        if params.get("name") == field_name and params.get("filename"):
            return part.get_payload(decode=True)
    return None
