"""Talking to WeCom's server API: wechatpy's client with the token fetched from the configured
base URL and cached for its lifetime, bounded retries, the member directory, and the senders
(group robot webhook, app message, a robot's response_url) that keep to WeCom's limits."""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.pacing import Pacer
from bot.wecom import render
from handlers.context import DirectoryUnavailable, Profile

log = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # refresh the access token, try once more
BUSY_ERRORS = frozenset({-1, 45009, 45033})  # system busy, frequency or concurrency limit
BAD_WEBHOOK = frozenset({93000})  # the group robot's key is invalid or the robot was removed
BACKOFF_SECONDS = (1.0, 2.0, 4.0)
# An image message (group robot: "图片（base64编码前）最大不能超过2M，支持JPG,PNG格式"; the
# app's media/upload takes more, but one limit keeps one picture for every way it goes).
IMAGE_BYTES = 2 * 1024 * 1024


class WeComError(Exception):
    def __init__(self, errcode: int | None, errmsg: str = "") -> None:
        super().__init__(f"WeCom error {errcode}: {errmsg}")
        self.errcode, self.errmsg = errcode, errmsg


class WebhookRefused(WeComError):
    """The group robot's webhook is gone; posting again would fail the same way."""


class WeComClient(WeChatClient):
    """wechatpy's client, but the token comes from API_BASE_URL (wechatpy 1.8 hard-codes
    WeCom's own address), and errors are retried a bounded number of times: a stale token is
    refreshed once; busy answers back off (1 s, 2 s, 4 s)."""

    def __init__(
        self,
        corp_id: str,
        secret: str,
        api_base_url: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 5,
    ) -> None:
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base_url
        self._sleep = sleep
        self._token_lock = threading.Lock()

    def fetch_access_token(self) -> dict:
        with self._token_lock:
            return self._fetch_access_token(
                url=self.API_BASE_URL + "gettoken",
                params={"corpid": self.corp_id, "corpsecret": self.secret},
            )

    def call(self, action: Callable[[], T]) -> T:
        refreshed, backoffs = False, iter(BACKOFF_SECONDS)
        while True:  # bounded: one refresh, then as many tries as there are backoffs
            try:
                return action()
            except WeChatClientException as err:
                code = err.errcode
                if code in TOKEN_ERRORS and not refreshed:
                    refreshed = True
                    self.session.delete(self.access_token_key)
                    try:
                        self.fetch_access_token()
                    except WeChatClientException as again:  # a wrong secret, say
                        raise WeComError(again.errcode, str(again.errmsg)) from again
                    continue
                delay = next(backoffs, None) if code in BUSY_ERRORS else None
                if delay is None:
                    raise WeComError(code, str(err.errmsg)) from err
                log.warning("WeCom busy (%s), retrying in %.0f s", code, delay)
                self._sleep(delay)


@dataclass
class _Snapshot:
    users: list[dict]
    fetched: float


class Directory:
    """The corp's members (user/list), fetched on demand and cached for `ttl` seconds: turns
    `@张三` into a userid, and a userid into a display name."""

    def __init__(
        self, client: WeComClient, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client, self.ttl, self.clock = client, ttl, clock
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def users(self) -> list[dict]:
        with self._lock:
            snap = self._snapshot
            if snap is None or self.clock() - snap.fetched >= self.ttl:
                try:
                    users = self.client.call(lambda: self.client.user.list(1, fetch_child=True))
                except (WeComError, requests.RequestException) as err:
                    log.warning("WeCom directory unavailable: %s", err)
                    if snap is None:
                        raise DirectoryUnavailable(str(err)) from err
                    return snap.users  # a stale directory beats none
                snap = self._snapshot = _Snapshot(users, self.clock())
            return snap.users

    def find(self, name: str) -> list[Profile]:
        wanted = name.strip().casefold()
        users = self.users()
        exact = [u for u in users if u.get("userid", "").casefold() == wanted]
        matches = exact or [u for u in users if u.get("name", "").casefold() == wanted]
        return [Profile(u["userid"], u.get("name") or u["userid"]) for u in matches]

    def name_of(self, userid: str) -> str | None:
        try:
            users = self.users()
        except DirectoryUnavailable:
            return None
        return next((u.get("name") for u in users if u.get("userid") == userid), None)


class Sender:
    """Posts to WeCom within its limits: group robots by webhook (markdown ≤ 4096 bytes, 20 a
    minute each), people by the app's message/send, a robot's answer by its response_url (one
    message, ≤ 20480 bytes)."""

    def __init__(
        self,
        client: WeComClient | None,
        agent_id: int | None,
        *,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http: requests.Session | None = None,
        timeout: float = 5,
    ) -> None:
        self.client, self.agent_id = client, agent_id
        self.pacer = pacer or Pacer(sleep=sleep)
        self.sleep, self.timeout = sleep, timeout
        self.http = http or requests.Session()

    @property
    def can_message_people(self) -> bool:
        """Whether the app is configured, so message/send can reach a person."""
        return self.client is not None and self.agent_id is not None

    def to_group(self, webhook_url: str, reply_or_parts) -> int:
        """Every part of a reply to a group robot; raises WebhookRefused for a dead key."""
        parts = _parts(reply_or_parts, render.ROBOT_MARKDOWN_BYTES)
        for part in parts:
            self._webhook(webhook_url, {"msgtype": "markdown", "markdown": {"content": part}})
        return len(parts)

    def _webhook(self, url: str, payload: dict) -> None:
        key = url.rsplit("key=", 1)[-1]
        for attempt in range(len(BACKOFF_SECONDS) + 1):
            self.pacer.wait(key)
            answer = self.http.post(url, json=payload, timeout=self.timeout)
            answer.raise_for_status()
            body = answer.json()
            code = body.get("errcode", 0)
            if code == 0:
                return
            if code in BAD_WEBHOOK:
                raise WebhookRefused(code, body.get("errmsg", ""))
            if code in BUSY_ERRORS and attempt < len(BACKOFF_SECONDS):
                self.sleep(BACKOFF_SECONDS[attempt])
                continue
            raise WeComError(code, body.get("errmsg", ""))

    def image_to_group(self, webhook_url: str, data: bytes) -> None:
        """An image message by a group robot: the raw PNG's base64 and md5 (WeCom checks the
        md5 against the decoded bytes), at most IMAGE_BYTES before encoding; paced with the
        robot's other messages (20 a minute)."""
        _check_image(data)
        image = {
            "base64": base64.b64encode(data).decode("ascii"),
            "md5": hashlib.md5(data).hexdigest(),
        }
        self._webhook(webhook_url, {"msgtype": "image", "image": image})

    def image_to_person(self, userid: str, data: bytes, filename: str = "chart.png") -> None:
        """An image message from the app: the PNG uploaded as a temporary media file
        (media/upload?type=image, multipart field `media`), then message/send with its
        media_id."""
        _check_image(data)
        client = self._client()
        uploaded = client.call(lambda: client.media.upload("image", (filename, data, "image/png")))
        media_id = uploaded["media_id"]
        client.call(lambda: client.message.send_image(self.agent_id, userid, media_id))

    def to_person(self, userid: str, reply_or_parts) -> int:
        parts = _parts(reply_or_parts, render.APP_MARKDOWN_BYTES)
        client = self._client()
        for part in parts:
            client.call(lambda p=part: client.message.send_markdown(self.agent_id, userid, p))
        return len(parts)

    def to_response_url(self, url: str, content: str) -> None:
        """An intelligent robot's answer to one message, through its response_url: ONE markdown
        message of at most 20480 bytes. WeCom takes one call per response_url ("每个
        response_url 用户可以调用接口一次", 智能机器人 · 主动回复消息); the door decides what
        goes there and what goes another way (render.first_message)."""
        if render.size(content) > render.RESPONSE_URL_MARKDOWN_BYTES:
            raise ValueError(f"{render.size(content)} bytes do not fit one response_url message")
        answer = self.http.post(
            url,
            json={"msgtype": "markdown", "markdown": {"content": content}},
            timeout=self.timeout,
        )
        answer.raise_for_status()
        body = answer.json() if answer.content else {}
        if body.get("errcode", 0) != 0:
            raise WeComError(body.get("errcode"), body.get("errmsg", ""))

    def _client(self) -> WeComClient:
        if self.client is None or self.agent_id is None:
            raise WeComError(
                None,
                "the WeCom app is not configured (WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID)",
            )
        return self.client


def _parts(reply_or_parts, limit: int) -> list[str]:
    if isinstance(reply_or_parts, list):
        return reply_or_parts
    return render.markdown(reply_or_parts, limit)


def _check_image(data: bytes) -> None:
    if len(data) > IMAGE_BYTES:  # bot/pictures.png(picture, IMAGE_BYTES) draws it to fit
        raise ValueError(f"an image of {len(data)} bytes is over WeCom's {IMAGE_BYTES}")
