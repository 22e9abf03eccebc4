"""The WeCom (企业微信) door: group @mentions through the intelligent robot (智能机器人, JSON
callbacks at /wecom/aibot) and messages to the self-built app (自建应用, XML at /wecom/callback).

Every callback is checked (signature, receive id, a fresh timestamp) and decrypted with
wechatpy's crypto, deduplicated on its message id (WeCom retries three times), acknowledged
at once, and answered through the robot's response_url or the app (a passive reply when the
answer is ready in time, message/send otherwise).

The robot's rules, from WeCom's documentation (智能机器人 · 接收消息, 主动回复消息): a
response_url takes one message, markdown of at most 20480 bytes, so an answer goes there in
one call and what does not fit follows through the group's robot webhook or the app, the
first message saying so; a message may be text, mixed (图文混排: its text items are read),
or an image, a voice, a file (answered that the robot reads text only)."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import timedelta

from wechatpy.enterprise import create_reply, parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from bot.door import Clock, Request, Response, Routes, wall_clock
from bot.intake import Intake
from bot.pictures import file_name, has_pictures, pictures_of, png
from bot.settings import Settings, revealed
from bot.wecom import render
from bot.wecom.api import (
    IMAGE_BYTES,
    Directory,
    Sender,
    WebhookRefused,
    WeComClient,
    WeComError,
)
from bot.wecom.poster import WeComPoster, group_robot
from handlers import Context, Reply, dispatch
from handlers.grammar import mention_by_id
from handlers.messages import t
from handlers.reply import Line, Picture
from storage import queries
from storage.db import Database
from storage.inbox import Inbox

log = logging.getLogger(__name__)

PLATFORM = "wecom"
AIBOT_PATH = "/wecom/aibot"  # the intelligent robot's callbacks
APP_PATH = "/wecom/callback"  # the self-built app's
TEXT = "text/plain; charset=utf-8"
MAX_CLOCK_SKEW = 300  # seconds either side: an older callback is a replay
PASSIVE_BUDGET = 3.0  # WeCom waits 5 s for the app's answer; past this we send it instead
_LEADING_MENTION = re.compile(r"^\s*@\S+\s*")
# How deep a robot callback's JSON may nest, counted before it is parsed: the body is
# {"encrypt": "..."}; a message, even a quoted mixed one, a handful of levels. A body nested
# 100,000 deep would make json.loads raise RecursionError: a 500 before the signature check.
MAX_BODY_DEPTH = 4
MAX_MESSAGE_DEPTH = 16
MEDIA_ONLY = frozenset({"image", "voice", "file", "video"})  # nothing in them the robot reads
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# An account typed as a mention (`<@zhangsan>`), standing as a word of its own.
_WORD_MENTION = re.compile(r"(?<!\S)<@([A-Za-z0-9._-]{1,60})>(?=[,，。.;；!！?？、]*(?:\s|$))")


def neutral_mentions(text: str) -> str:
    """WeCom's `<@userid>` as the core's neutral mention of a person by id."""
    return _WORD_MENTION.sub(lambda m: mention_by_id(m.group(1)), text)


def shallow_json(text: str, max_depth: int) -> object:
    """The JSON value of `text`; ValueError when it is not JSON or nests deeper than
    `max_depth`. The depth is counted first, in linear time and without recursion (strings
    blanked out, then the brackets), so json.loads never meets nesting that exhausts it."""
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > max_depth:
            raise ValueError(f"JSON nested deeper than {max_depth}")
    try:
        return json.loads(text)
    except RecursionError as err:  # cannot happen within the depth above; never a 500
        raise ValueError("JSON nested too deep") from err


def answer(status: int, body: bytes = b"", content_type: str = TEXT) -> Response:
    """What the web server sends back to WeCom."""
    return Response(status, body, {"Content-Type": content_type})


def refused(status: int, why: str) -> Response:
    return answer(status, why.encode())


def build(settings: Settings, db: Database, clock: Clock) -> WeComDoor | None:
    """The WeCom door, or None when neither the app's nor the robot's callback keys are set."""
    if not (settings.wecom_app_enabled or settings.wecom_aibot_enabled):
        return None
    return WeComDoor(settings, db, clock=clock)


class WeComDoor:
    platform = PLATFORM

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Clock = wall_clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings, self.db, self.clock = settings, db, clock
        self.client = None
        corp_id, secret = settings.wecom_corp_id, revealed(settings.wecom_secret)
        if corp_id and secret:
            self.client = WeComClient(corp_id, secret, settings.wecom_api_url, sleep=sleep)
        self.directory = (
            Directory(self.client, settings.wecom_directory_ttl_seconds) if self.client else None
        )
        self.sender = Sender(self.client, settings.wecom_agent_id, sleep=sleep)
        self.app_crypto = (
            WeChatCrypto(
                revealed(settings.wecom_token), revealed(settings.wecom_encoding_aes_key), corp_id
            )
            if settings.wecom_app_enabled
            else None
        )
        self.aibot_crypto = (
            WeChatCrypto(
                revealed(settings.wecom_aibot_token),
                revealed(settings.wecom_aibot_encoding_aes_key),
                "",
            )
            if settings.wecom_aibot_enabled
            else None
        )
        # What is acknowledged is in the inbox first; the answers are worked in its pool.
        self.intake = Intake(
            Inbox.beside(db.engine),
            PLATFORM,
            clock,
            workers=4,
            lease=timedelta(seconds=settings.inbox_lease_seconds),
            only_process=db.engine.dialect.name == "sqlite",
        )
        self.post_target = group_robot(settings.wecom_api_url + "webhook/send")

    # --- the door's contract (bot/door.py) ----------------------------------------------------

    def routes(self) -> Routes:
        """Both callbacks; one whose keys are not set answers 404 "not configured"."""
        return {
            AIBOT_PATH: {"GET": self.aibot_check, "POST": self.aibot_message},
            APP_PATH: {"GET": self.app_check, "POST": self.app_message},
        }

    def poster(self) -> WeComPoster:
        return WeComPoster(self.sender, self.db, clock=self.clock)

    def start(self) -> None:
        """Answer what an earlier process acknowledged and did not finish."""
        replayed = self.intake.replay(self._take)
        self.intake.keep_sweeping(self._take, every=self.settings.inbox_lease_seconds / 4)
        if replayed:
            log.info("WeCom: %d acknowledged messages taken up again", replayed)
        log.info("WeCom: robot at %s, app at %s", AIBOT_PATH, APP_PATH)

    def close(self) -> None:
        """Stop: the answers being worked get PACELINE_DRAIN_SECONDS; the rest waits in the
        inbox for the next start."""
        self.intake.drain(self.settings.drain_seconds)

    def _take(self, item: int, payload: dict) -> None:
        """A message acknowledged (now, or by an earlier process), worked in the pool."""
        kind, channel, userid = payload["kind"], payload["channel"], payload["userid"]
        if kind == "robot":
            self.intake.run(
                item,
                self._answer_robot,
                channel,
                userid,
                payload["text"],
                payload["url"],
                payload.get("key"),
            )
        elif kind == "text_only":
            self.intake.run(item, self._answer_text_only, channel, userid, payload["url"])
        else:  # the app's, taken up again: its answer goes by message/send
            self.intake.run(
                item, self._answer_app_later, userid, payload["text"], payload.get("key")
            )

    # --- checks shared by both callbacks ------------------------------------------------------

    def _fresh(self, query: dict[str, str]) -> bool:
        try:
            now = self.clock().timestamp()
            return abs(now - int(query.get("timestamp", ""))) <= MAX_CLOCK_SKEW
        except ValueError:
            return False

    def _open(
        self,
        crypto: WeChatCrypto | None,
        query: dict[str, str],
        encrypt: str | None,
        *,
        echo: bool = False,
    ) -> tuple[str | None, Response | None]:
        """The decrypted text, or the refusal to send instead."""
        if crypto is None:
            return None, refused(404, "not configured")
        if not all(query.get(k) for k in ("msg_signature", "timestamp", "nonce")) or not encrypt:
            return None, refused(400, "missing msg_signature, timestamp, nonce or body")
        if not self._fresh(query):
            return None, refused(403, "stale or replayed timestamp")
        sig, ts, nonce = query["msg_signature"], query["timestamp"], query["nonce"]
        try:
            if echo:
                return crypto.check_signature(sig, ts, nonce, encrypt), None
            return crypto.decrypt_message({"Encrypt": encrypt}, sig, ts, nonce), None
        except InvalidSignatureException:
            return None, refused(403, "bad signature")
        except InvalidCorpIdException:
            return None, refused(403, "wrong receive id")
        except Exception:  # broken base64, padding or length: not something WeCom sent
            return None, refused(400, "undecryptable body")

    @property
    def workspace(self) -> str:
        return self.settings.wecom_corp_id or "wecom"

    def context(
        self,
        channel: str,
        userid: str,
        *,
        channel_name: str | None = None,
        delivery: str | None = None,
    ) -> Context:
        name = self.directory.name_of(userid) if self.directory else None
        corp = self.workspace
        return Context(
            db=self.db,
            platform=PLATFORM,
            workspace=corp,
            channel=channel,
            user=userid,
            user_name=name or userid,
            channel_name=channel_name,
            is_admin=userid in self.settings.wecom_admin_ids,
            config=self.settings.core(
                tz=self.settings.wecom_timezone, lang=self.settings.wecom_lang
            ),
            directory=self.directory.find if self.directory else None,
            post_target=self.post_target,
            now=self.clock(),
            delivery=delivery,
        )

    # --- the intelligent robot (JSON) ---------------------------------------------------------

    def aibot_check(self, request: Request) -> Response:
        query = request.query
        echo, refusal = self._open(self.aibot_crypto, query, query.get("echostr"), echo=True)
        return refusal or answer(200, echo.encode())

    def aibot_message(self, request: Request) -> Response:
        query = request.query
        try:  # bounded: the signature is over the encrypt string, so it must be read first
            body = shallow_json((request.body or b"{}").decode("utf-8"), MAX_BODY_DEPTH)
        except ValueError:  # not JSON, not UTF-8, or nested to exhaust the parser
            return refused(400, "body is not the JSON WeCom sends")
        if not isinstance(body, dict):
            return refused(400, "body is not the JSON WeCom sends")
        plain, refusal = self._open(self.aibot_crypto, query, body.get("encrypt"))
        if refusal:
            return refusal
        try:
            message = shallow_json(plain, MAX_MESSAGE_DEPTH)
            if not isinstance(message, dict):
                raise TypeError("not a JSON object")
            msgid, userid = message["msgid"], message["from"]["userid"]
        except (ValueError, KeyError, TypeError):
            return refused(400, "decrypted message is not a robot message")
        if not _name(msgid) or not _name(userid):
            return refused(400, "a robot message needs its msgid and sender")
        kind = message.get("msgtype")
        if kind not in ("text", "mixed", *MEDIA_ONLY):
            return answer(200)  # an event, a stream refresh: nothing to answer
        chat, said = _where(message), _said(message)
        if chat is None or said is None:
            return refused(400, "a message without its text, or a group without its chatid")
        url = message.get("response_url")
        url = url if _name(url) else None
        channel = chat or f"single:{userid}"
        payload = {
            # an image, a voice, a file, or a mixed message without text: "text only"
            "kind": "robot" if kind == "text" or said else "text_only",
            "channel": channel,
            "userid": userid,
            "text": said,
            "url": url,
            "key": f"aibot:{msgid}",
        }
        item = self.intake.accept(payload["key"], payload)
        if item is not None:  # None: WeCom's retry of a message taken already
            self._take(item, payload)
        return answer(200)

    def _answer_robot(
        self,
        channel: str,
        userid: str,
        text: str,
        response_url: str | None,
        delivery: str | None = None,
    ) -> None:
        """In the work pool, after the ack: the command and its answer."""
        try:
            said = neutral_mentions(_LEADING_MENTION.sub("", text).strip())
            reply = dispatch(said or "帮助", self.context(channel, userid, delivery=delivery))
            self._deliver(channel, userid, reply, response_url)
        except (WeComError, OSError) as err:
            log.error("could not answer %s in %s: %s", userid, channel, err)
        except Exception:  # in the pool nobody reads the future: say it here or it is lost
            log.exception("could not answer %s in %s", userid, channel)

    def _answer_text_only(self, channel: str, userid: str, response_url: str | None) -> None:
        """An image, a voice or a file: the robot reads text only, and says so once, in the
        channel's language (WeCom's default, Chinese, for a chat it has not met)."""
        try:
            lang, _ = self._channel_facts(channel)
            said = t(lang, "text_only")
            if response_url:
                self.sender.to_response_url(response_url, said)
            else:
                self.sender.to_person(userid, [said])
        except (WeComError, OSError) as err:
            log.error("could not answer %s in %s: %s", userid, channel, err)
        except Exception:
            log.exception("could not answer %s in %s", userid, channel)

    def _deliver(self, channel: str, userid: str, reply: Reply, response_url: str | None) -> None:
        """The answer in the one message its response_url takes; what does not fit follows
        through the group's robot webhook (below it, in the group) or else the app (to the
        person), the first message ending with a line that says where the rest went."""
        if not response_url:
            self.sender.to_person(userid, reply)
            self._pictures_to_person(userid, reply)
            return
        if reply.secret and not channel.startswith("single:"):  # never into a group
            lang, _ = self._channel_facts(channel)
            if self.sender.can_message_people:
                self.sender.to_person(userid, reply)
                self.sender.to_response_url(response_url, t(lang, "secret_sent_by_app"))
            else:
                self.sender.to_response_url(response_url, t(lang, "secret_not_in_group"))
            return
        pictures = [picture for _, picture in pictures_of(reply)]
        routes = [self._picture_route(channel, picture) for picture in pictures]
        if pictures:  # a response_url takes markdown only: say where each picture went
            lang, _ = self._channel_facts(channel)
            said = {"group": "picture_follows_below", "app": "picture_by_app"}
            notes = [
                t(lang, said.get(route or "", _not_shown(p)), title=p.title, alt=p.alt)
                for p, route in zip(pictures, routes, strict=True)
            ]
            reply = replace(reply, lines=[*reply.lines, *(Line(note) for note in notes)])
        self._deliver_text(channel, userid, reply, response_url)
        self._send_pictures(channel, userid, list(zip(pictures, routes, strict=True)))

    def _picture_route(self, channel: str, picture: Picture) -> str | None:
        """Where a robot answer's picture goes, its response_url taking no image: "group" (the
        group's robot webhook, below the answer), "app" (to the person, by the app), or None
        (nowhere: the answer says so). A picture only its asker may read never goes to the
        group (`Picture.private`)."""
        _, webhook = self._channel_facts(channel)
        if webhook and not (picture.private and not channel.startswith("single:")):
            return "group"
        return "app" if self.sender.can_message_people else None

    def _send_pictures(
        self, channel: str, userid: str, routed: list[tuple[Picture, str | None]]
    ) -> None:
        """Each picture as an image message by its route, drawn (here, in the work pool) to fit
        WeCom's 2 MB."""
        _, webhook = self._channel_facts(channel)
        for picture, route in routed:
            if route is None:
                continue
            data = png(picture, IMAGE_BYTES)
            if route == "group" and webhook:
                try:
                    self.sender.image_to_group(webhook, data)
                except WebhookRefused:
                    with self.db.session() as s:
                        queries.mark_target_refused(
                            s, PLATFORM, self.workspace, channel, self.clock()
                        )
                    raise
            else:
                self.sender.image_to_person(userid, data, file_name(picture))

    def _pictures_to_person(self, userid: str, reply: Reply) -> None:
        """A reply's pictures after its text, by the app (when it is configured)."""
        if reply.secret or not self.sender.can_message_people:
            return
        for _, picture in pictures_of(reply):
            self.sender.image_to_person(userid, png(picture, IMAGE_BYTES), file_name(picture))

    def _deliver_text(self, channel: str, userid: str, reply: Reply, response_url: str) -> None:
        limit = render.RESPONSE_URL_MARKDOWN_BYTES
        lines = render.all_markdown_lines(reply)
        whole = "\n".join(lines)
        if render.size(whole) <= limit:
            self.sender.to_response_url(response_url, whole)
            return
        lang, webhook = self._channel_facts(channel)
        if webhook:
            first, rest = render.first_message(lines, limit, t(lang, "answer_continues_below"))
            self.sender.to_response_url(response_url, first)
            try:
                self.sender.to_group(webhook, render.split(rest, render.ROBOT_MARKDOWN_BYTES))
            except WebhookRefused:
                with self.db.session() as s:
                    queries.mark_target_refused(s, PLATFORM, self.workspace, channel, self.clock())
                raise
        elif self.sender.can_message_people:
            first, rest = render.first_message(lines, limit, t(lang, "answer_continues_by_app"))
            self.sender.to_response_url(response_url, first)
            self.sender.to_person(userid, render.split(rest, render.APP_MARKDOWN_BYTES))
        else:
            first, _ = render.first_message(lines, limit, t(lang, "answer_too_long"))
            self.sender.to_response_url(response_url, first)

    def _channel_facts(self, channel: str) -> tuple[str, str | None]:
        """(the channel's language, its group robot webhook if one is set and not refused); for
        a chat the bot has not met, WeCom's default language and no webhook."""
        with self.db.session() as s:
            row = queries.channel_by_external_id(s, PLATFORM, self.workspace, channel)
            if row is None:
                return self.settings.wecom_lang, None
            usable = row.post_target if row.post_target_refused_at is None else None
            return row.lang, usable or None

    # --- the self-built app (XML) -------------------------------------------------------------

    def app_check(self, request: Request) -> Response:
        query = request.query
        echo, refusal = self._open(self.app_crypto, query, query.get("echostr"), echo=True)
        return refusal or answer(200, echo.encode())

    def app_message(self, request: Request) -> Response:
        query = request.query
        encrypt = _xml_field(request.body, "Encrypt")
        if encrypt is None:
            return refused(400, "body is not the XML WeCom sends")
        plain, refusal = self._open(self.app_crypto, query, encrypt)
        if refusal:
            return refusal
        try:
            message = parse_message(plain)
            kind = message.type
        except Exception:
            return refused(400, "decrypted message is not a WeCom message")
        if kind != "text":
            return answer(200)
        try:
            msgid, userid, text = message.id, message.source, message.content
        except (ValueError, TypeError):  # a MsgId that is not a number
            return refused(400, "a text message with a broken MsgId")
        if not msgid or not _name(userid) or not isinstance(text, str):
            return refused(400, "a text message needs its MsgId, sender and content")
        text = text.strip()
        key = f"app:{msgid}"
        payload = {"kind": "app", "channel": f"app:{userid}", "userid": userid, "text": text}
        item = self.intake.accept(key, {**payload, "key": key})
        if item is None:  # WeCom's retry of a message taken already
            return answer(200)
        future = self.intake.run(item, self._app_reply, userid, text, key)
        if future is None:  # stopping: the next start answers it
            return answer(200)
        try:
            reply = future.result(timeout=PASSIVE_BUDGET)
        except FutureTimeout:
            future.add_done_callback(lambda done: self._send_later(userid, done))
            return answer(200)
        except Exception:
            log.exception("could not answer %s", userid)
            return answer(200)  # WeCom would only retry it; the log says why
        if reply is None:  # a retry of a message already answered
            return answer(200)
        parts = render.text(reply)
        # A passive reply holds one text; a chart can only follow by message/send, which could
        # arrive before the passive reply does: with pictures, all of it goes by message/send.
        if len(parts) == 1 and not has_pictures(reply):
            # wechatpy wraps the content in one CDATA section, which cannot hold "]]>"
            content = parts[0].replace("]]>", "]]]]><![CDATA[>")
            xml = create_reply(content, message).render()
            encrypted = self.app_crypto.encrypt_message(xml, query["nonce"], query["timestamp"])
            return answer(200, encrypted.encode(), "application/xml; charset=utf-8")
        self.intake.run(None, self._send_later, userid, future)
        return answer(200)

    def _app_reply(self, userid: str, text: str, delivery: str | None = None) -> Reply:
        ctx = self.context(f"app:{userid}", userid, delivery=delivery)
        return dispatch(neutral_mentions(text), ctx)

    def _answer_app_later(self, userid: str, text: str, delivery: str | None = None) -> None:
        """A message to the app that an earlier process acknowledged: answered by message/send
        (its passive reply went with that process)."""
        try:
            reply = self._app_reply(userid, text, delivery)
            self.sender.to_person(userid, reply)
            self._pictures_to_person(userid, reply)
        except (WeComError, OSError) as err:
            log.error("could not send the answer to %s: %s", userid, err)

    def _send_later(self, userid: str, done: Future[Reply | None]) -> None:
        try:
            reply = done.result()
            if reply is not None:
                self.sender.to_person(userid, reply)
                self._pictures_to_person(userid, reply)
        except (WeComError, OSError) as err:
            log.error("could not send the answer to %s: %s", userid, err)
        except Exception:
            log.exception("could not send the answer to %s", userid)


def _name(value: object) -> bool:
    """A non-empty string: what an id, a userid or a URL in a callback must be."""
    return isinstance(value, str) and bool(value.strip())


def _where(message: dict) -> str | None:
    """The group's chatid, "" for a single chat; None when it is neither as WeCom sends it."""
    if message.get("chattype") == "single":
        return ""
    chat = message.get("chatid")
    if message.get("chattype") == "group" and _name(chat):
        return chat
    return None


def _content(part: object) -> str | None:
    """The `content` string of a message's (or a mixed item's) `text` object."""
    content = part.get("content") if isinstance(part, dict) else None
    return content if isinstance(content, str) else None


def _said(message: dict) -> str | None:
    """What a robot message says in text: a text message's content; a mixed (图文混排)
    message's text items, joined; "" for an image, a voice or a file. None when the text is not
    where WeCom puts it."""
    kind = message.get("msgtype")
    if kind == "text":
        return _content(message.get("text"))
    if kind != "mixed":
        return ""
    mixed = message.get("mixed")
    items = mixed.get("msg_item") if isinstance(mixed, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return None
    texts = [_content(item.get("text")) for item in items if item.get("msgtype") == "text"]
    if any(text is None for text in texts):
        return None
    return " ".join(text.strip() for text in texts if text and text.strip())


def _xml_field(body: bytes, name: str) -> str | None:
    import xmltodict

    try:
        root = xmltodict.parse(body.decode("utf-8"))
        value = (root.get("xml") or {}).get(name)
    except Exception:
        return None
    return value if isinstance(value, str) and value else None


def _not_shown(picture: Picture) -> str:
    """What an answer says of a picture it could send nowhere: what it shows (its alt text),
    unless that is another group's business."""
    return "picture_private_not_shown" if picture.private else "picture_not_shown"
