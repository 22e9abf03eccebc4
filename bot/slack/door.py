"""The Slack door, on Bolt: `/task …`, @mentions, buttons, modals and the App Home tab.

Every listener acks first, then builds a `Context`, calls the core once and renders the Reply
(bot/slack/blocks.py). Retried deliveries are dropped through the inbound dedupe table, so a
retry or a double click never changes anything twice.

Before Bolt sees a request, the door checks it as Slack's documentation asks (Events API): an
event the app does not handle is acknowledged with 200 and nothing done (anything else Slack
retries, three times); a signed request without the fields the listeners read (`_triage`) is
refused with 400, so a listener never fails on one after its ack."""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import parse_qsl

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.door import Clock, Request, Response, Routes, wall_clock
from bot.intake import Intake
from bot.pictures import has_pictures
from bot.settings import Settings, revealed
from bot.slack import blocks as kit
from bot.slack.people import People
from bot.slack.pictures import post_pictures
from bot.slack.poster import SlackPoster
from handlers import Context, Reply, dispatch
from handlers.dispatch import my_tasks, run
from handlers.grammar import BY_ID, CAUSES, Command, mention_by_id
from handlers.reply import from_json, to_json
from storage import queries
from storage.db import Database
from storage.inbox import Inbox

log = logging.getLogger(__name__)

PLATFORM = "slack"
EVENTS_PATH = "/slack/events"  # slash commands, events and interactivity: one URL
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# A mention standing as a word of its own (trailing punctuation allowed): a person the core reads.
_WORD_MENTION = re.compile(r"(?<!\S)<@([UW][A-Z0-9]+)(?:\|[^>]*)?>(?=[,，。.;；!！?？、]*(?:\s|$))")


def neutral_mentions(text: str) -> str:
    """Slack's `<@U123|alice>` as the core's neutral mention of a person by id."""
    return _WORD_MENTION.sub(lambda m: mention_by_id(m.group(1)), text)


# The events this app subscribes to and answers; any other is acknowledged and dropped.
HANDLED_EVENTS = frozenset({"app_mention", "app_home_opened"})
DOUBLE_CLICK_SECONDS = 10
# The inbox payload of a form's result waiting to be posted (not a request of Slack's).
KEPT_POST = "paceline:kept_post"
FORM_EXPIRED = "This form is out of date; please start again. · 表单已失效，请重新打开。"
PICK_A_DATE = "Pick a date from the calendar. · 请从日历中选择日期。"


def build(settings: Settings, db: Database, clock: Clock) -> SlackDoor | None:
    """The Slack door, or None without a bot token and a signing secret or app-level token."""
    return SlackDoor(settings, db, clock=clock) if settings.slack_enabled else None


class _SecondsClock:
    """The door's clock as slack_sdk's SignatureVerifier reads one: `now()` in epoch seconds."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock().timestamp()


class SlackDoor:
    platform = PLATFORM

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        client: WebClient | None = None,
        clock: Clock = wall_clock,
    ) -> None:
        self.settings, self.db, self.clock = settings, db, clock
        self.client = client or WebClient(
            token=revealed(settings.slack_bot_token), base_url=settings.slack_api_url
        )
        # A 429 says when to ask again (Retry-After): once, rather than lose the answer.
        self.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
        self.people = People(self.client, settings.slack_profile_ttl_seconds)
        secret = revealed(settings.slack_signing_secret)
        # None: Socket Mode only. Its clock is the door's: "stale" means stale by that clock.
        self.verifier = SignatureVerifier(secret, _SecondsClock(clock)) if secret else None
        # What is acknowledged over HTTP is in the inbox first, and listeners hand the work to
        # the intake's pool, so the HTTP answer never waits behind other commands' work; its
        # few workers also keep SQLite's writers to a handful.
        self.intake = Intake(
            Inbox.beside(db.engine),
            PLATFORM,
            clock,
            workers=settings.slack_workers,
            lease=timedelta(seconds=settings.inbox_lease_seconds),
            only_process=db.engine.dialect.name == "sqlite",
        )
        self.work = self.intake.pool
        self._request = threading.local()  # the inbox item of the request being dispatched
        self.app = App(
            client=self.client,
            signing_secret=secret,
            token_verification_enabled=False,
            process_before_response=True,
            listener_executor=self.work,
            request_verification_enabled=bool(secret),
        )
        self.app.command(settings.slack_command)(self.on_command)
        self.app.event("app_mention")(self.on_mention)
        self.app.event("app_home_opened")(self.on_home)
        self.app.action(re.compile(r"^task:"))(self.on_action)
        self.app.view(kit.NEW_TASK_VIEW)(self.on_new_task)
        self.app.view(kit.BLOCK_VIEW)(self.on_block_submit)
        self._bot_user: str | None = None
        self._socket_mode = None

    # --- the door's contract (bot/door.py) ----------------------------------------------------

    def routes(self) -> Routes:
        return {EVENTS_PATH: {"POST": self.handle}}

    def poster(self) -> SlackPoster:
        return SlackPoster(self.client)

    def start(self) -> None:
        """Work again what an earlier process acknowledged and did not finish; with an
        app-level token, Socket Mode: the door connects out to Slack."""
        replayed = self.intake.replay(self._replay)
        self.intake.keep_sweeping(self._replay, every=self.settings.inbox_lease_seconds / 4)
        if replayed:
            log.info("Slack: %d acknowledged requests taken up again", replayed)
        app_token = revealed(self.settings.slack_app_token)
        if not app_token:
            log.info("Slack: events at POST %s", EVENTS_PATH)
            return
        self._socket_mode = socket_mode_handler(self, app_token)
        threading.Thread(
            target=self._socket_mode.connect, name="slack-socket-mode", daemon=True
        ).start()
        log.info("Slack: Socket Mode")

    def close(self) -> None:
        """Stop: Socket Mode first, then the work within PACELINE_DRAIN_SECONDS; what is left
        waits in the inbox for the next start."""
        if self._socket_mode is not None:
            self._socket_mode.close()
            self._socket_mode = None
        self.intake.drain(self.settings.drain_seconds)

    # --- the HTTP entry point: one call of the app ---------------------------------------------

    def handle(self, request: Request) -> Response:
        """POST /slack/events, as Bolt answered it."""
        return as_response(self.answer_http(request.body, request.headers))

    def answer_http(self, body: bytes, headers: dict[str, str]) -> BoltResponse:
        """Verify, parse, and hand to Bolt. Forged or stale → 401, unreadable → 400; never 500.

        We parse the body ourselves: Bolt takes any form body containing the word "payload"
        (`/task add payload docs`) for an interaction and loses the command. Having verified the
        signature here, the parsed body goes to Bolt as Socket Mode requests do."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return BoltResponse(status=400, body="unreadable request")
        refusal = self._unverified(text, headers)
        if refusal is not None:
            return BoltResponse(status=401, body=refusal)
        try:
            parsed = _parse_body(text)
        except ValueError:
            return BoltResponse(status=400, body="unreadable request")
        return self.answer_verified(parsed, headers)

    def answer_verified(self, parsed: dict, headers: dict[str, str] | None = None) -> BoltResponse:
        """A request known to be Slack's (signed over HTTP, or an envelope of the Socket Mode
        connection): in the inbox before its ack, then to Bolt."""
        answered = _triage(parsed)
        if answered is not None:
            status, why = answered
            if status >= 400:
                log.info("Slack: refused a signed request: %s", why)
            return BoltResponse(status=status, body=why if status >= 400 else "")
        key = delivery_key(parsed)
        item = self.intake.accept(key, parsed) if key is not None else None
        if key is not None and item is None:
            return BoltResponse(status=200, body="")  # a retry or a replay: worked once already
        response = self._dispatch(item, parsed, headers)
        if response.status == 404:  # nothing listens for it: an unknown action or command
            return BoltResponse(status=400, body="unknown request")
        return response

    def _dispatch(
        self, item: int | None, parsed: dict, headers: dict[str, str] | None = None
    ) -> BoltResponse:
        """Bolt runs the request's listener; the work it hands on (`later`) finishes `item`,
        or `item` is finished here (nothing handed on: the answer was the ack)."""
        self._request.item = item
        try:
            response = self.app.dispatch(
                BoltRequest(body=parsed, headers=headers or {}, mode="socket_mode")
            )
        finally:
            left, self._request.item = self._request.item, None
        if left is not None:
            self.intake.finished(left)
        return response

    def _replay(self, item: int, parsed: dict) -> BoltResponse | None:
        """A request an earlier worker acknowledged and did not finish: it may have claimed
        the request's own keys (a click's double-click window) before it died. A form's result
        kept for posting is posted."""
        if parsed.get("type") == KEPT_POST:
            self.intake.run(
                item,
                self.post,
                self.client,
                parsed["channel"],
                from_json(parsed["reply"]),
                parsed.get("response_url"),
                parsed.get("user"),
            )
            return None
        self._request.replayed = True
        try:
            return self._dispatch(item, parsed)
        finally:
            self._request.replayed = False

    def _unverified(self, text: str, headers: dict[str, str]) -> str | None:
        """Why a request is not Slack's (None when it is): a timestamp out of Slack's five
        minutes (a replay, or this server's clock is off) or a signature that does not match."""
        if self.verifier is None:
            return "no signing secret: this app takes Socket Mode only"
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            sent = int(lower.get("x-slack-request-timestamp", ""))
        except ValueError:
            return "no request timestamp"
        if abs(self.clock().timestamp() - sent) > 60 * 5:
            return "stale timestamp"
        if not self.verifier.is_valid(text, str(sent), lower.get("x-slack-signature", "")):
            return "invalid signature"
        return None

    # --- context ------------------------------------------------------------------------------

    def context(
        self,
        team: str,
        channel: str,
        user: str,
        text: str = "",
        channel_name: str | None = None,
        user_name: str | None = None,
        delivery: str | None = None,
    ) -> Context:
        """What the core needs to know; a Home tab (channel "home:<user>") is personal: it reads
        today in the member's own zone. `delivery`: the request's key, under which the core
        applies its command once (a request replayed after a crash changes nothing twice)."""
        me = self.people.get(user, user_name)
        mentioned = {uid: self.people.get(uid) for uid in set(MENTION.findall(text)) - {user}}
        return Context(
            db=self.db,
            platform=PLATFORM,
            workspace=team,
            channel=channel,
            user=user,
            user_name=me.display_name,
            user_tz=me.tz,
            is_admin=me.is_admin,
            channel_name=channel_name,
            config=self.settings.core(),
            profiles=mentioned,
            personal=channel == f"home:{user}",
            now=self.clock(),
            delivery=delivery,
        )

    def first_time(self, *keys: str) -> bool:
        """Claims delivery keys; False when any of them was claimed before."""
        with self.db.session() as s:
            now = self.clock()
            return all([queries.claim_inbound(s, PLATFORM, key, now) for key in keys])

    def forget(self, key: str) -> None:
        """Unclaims a key, so that a submission refused for its content can be sent again."""
        with self.db.session() as s:
            queries.unclaim_inbound(s, PLATFORM, key)

    # --- listeners ----------------------------------------------------------------------------

    def later(self, fn: Callable, *args: object) -> None:
        """Run after the ack, in the work pool; a failure is logged, never lost silently. The
        request's inbox item is finished when this work is."""
        item = getattr(self._request, "item", None)
        self._request.item = None
        self.intake.run(item, fn, *args)

    def on_command(self, ack: Callable, body: dict, respond: Callable, client: WebClient) -> None:
        ack()
        self.later(self._command, body, respond, client)

    def _command(self, body: dict, respond: Callable, client: WebClient) -> None:
        text = (body.get("text") or "").strip()
        if not text:
            if self.open_view(
                client,
                body.get("trigger_id"),
                kit.new_task_modal(body["channel_id"], body.get("response_url") or None),
            ):
                return
            text = "help add"  # no form: say how to add a task in words
        ctx = self.context(
            body["team_id"],
            body["channel_id"],
            body["user_id"],
            text,
            body.get("channel_name"),
            body.get("user_name"),
            delivery_key(body),
        )
        reply = dispatch(neutral_mentions(text), ctx)
        self.answer(reply, respond)
        self.share_pictures(client, reply, body["channel_id"], body["user_id"])

    def open_view(self, client: WebClient, trigger_id: str | None, view: dict) -> bool:
        """Opens a modal; False when Slack refuses (a trigger_id lasts three seconds)."""
        try:
            client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as err:
            log.warning("views.open failed: %s", err.response.get("error"))
            return False
        return True

    def answer(self, reply: Reply, respond: Callable) -> None:
        kind = "in_channel" if reply.public else "ephemeral"
        for message in kit.messages(reply):
            respond(
                text=message.text, blocks=message.blocks, response_type=kind, replace_original=False
            )

    def share_pictures(
        self,
        client: WebClient,
        reply: Reply,
        channel: str,
        user: str,
        thread_ts: str | None = None,
    ) -> None:
        """A reply's pictures, after its words: a file cannot be ephemeral, so a chart asked for
        in a channel is shared there (or sent to `user` directly where the bot may not post;
        README, Pictures in chat). A secret reply's never."""
        if not reply.secret:
            post_pictures(client, reply, channel, thread_ts=thread_ts, user=user)

    def on_mention(self, body: dict, event: dict, client: WebClient, context: dict) -> None:
        # The inbox took the event id already (None: a request not through answer_verified).
        seen = getattr(self._request, "item", None) is not None
        self.later(self._mention, body, event, client, context, seen)

    def _mention(
        self, body: dict, event: dict, client: WebClient, context: dict, seen: bool
    ) -> None:
        if not seen and not self.first_time(f"event:{body.get('event_id')}"):
            return
        bot = context.get("bot_user_id") or self._bot_user_id(client)
        text = re.sub(rf"<@{bot}(?:\|[^>]*)?>", " ", event.get("text") or "").strip()
        channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
        ctx = self.context(
            body["team_id"], channel, event["user"], text, delivery=delivery_key(body)
        )
        reply = dispatch(neutral_mentions(text) or "help", ctx)
        for message in kit.messages(reply):
            if reply.error or reply.secret:  # a secret (an API token) to its speaker only
                client.chat_postEphemeral(
                    channel=channel,
                    user=event["user"],
                    thread_ts=thread,
                    text=message.text,
                    blocks=message.blocks,
                )
            else:
                client.chat_postMessage(
                    channel=channel, thread_ts=thread, text=message.text, blocks=message.blocks
                )
        if not reply.error and not reply.secret:
            post_pictures(client, reply, channel, thread_ts=thread, user=event["user"])

    def _bot_user_id(self, client: WebClient) -> str:
        if self._bot_user is None:
            self._bot_user = client.auth_test()["user_id"]
        return self._bot_user

    def on_home(self, body: dict, event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        self.later(self.publish_home, body["team_id"], event["user"], client)

    def publish_home(self, team: str, user: str, client: WebClient, notice: Reply | None = None):
        ctx = self.context(team, f"home:{user}", user)
        # an error from a Home button is shown above the list
        above = kit.messages(notice)[0].blocks if notice is not None else None
        client.views_publish(user_id=user, view=kit.home_view(my_tasks(ctx), above))

    def on_action(
        self, ack: Callable, body: dict, action: dict, respond: Callable, client: WebClient
    ) -> None:
        ack()
        replayed = getattr(self._request, "replayed", False)
        self.later(self._action, body, action, respond, client, replayed)

    def _action(
        self,
        body: dict,
        action: dict,
        respond: Callable,
        client: WebClient,
        replayed: bool = False,
    ) -> None:
        command = action.get("value") or (action.get("selected_option") or {}).get("value", "")
        user, team = (
            body["user"]["id"],
            (body.get("team") or {}).get("id") or body["user"].get("team_id", ""),
        )
        container = body.get("container") or {}
        where = container.get("message_ts") or container.get("view_id") or ""
        keys = _click_keys(where, command, user, action, self.clock().timestamp())
        # A replayed click claims its window again and goes on: the keys it finds taken may be
        # its own (the core applies it once under its delivery key either way).
        if not command or (not self.first_time(*keys) and not replayed):
            return
        channel = (body.get("channel") or {}).get("id")
        verb, _, number = command.partition(" ")
        if verb in ("block", "阻塞") and number.isdigit():
            modal = kit.block_modal(int(number), channel, body.get("response_url"))
            if self.open_view(client, body.get("trigger_id"), modal):
                return
            command = "help block"  # no form: say how to report it in words
        if channel is None:  # a button in the App Home tab: a change, or why not, shown there
            home = self.context(team, f"home:{user}", user, delivery=delivery_key(body))
            reply = dispatch(command, home)
            self.publish_home(team, user, client, notice=None if reply.public else reply)
            return
        ctx = self.context(team, channel, user, delivery=delivery_key(body))
        reply = dispatch(command, ctx)
        self.answer(reply, respond)
        thread = container.get("thread_ts")
        thread = thread if isinstance(thread, str) and thread else None
        self.share_pictures(client, reply, channel, user, thread)

    def on_new_task(self, ack: Callable, body: dict, view: dict, client: WebClient) -> None:
        values = _values(view)
        meta = _metadata(view)
        channel, user = meta.get("channel"), body["user"]["id"]
        owner = values.get("assignee")
        try:
            due = date.fromisoformat(values["due"]) if values.get("due") else None
        except ValueError:
            ack(response_action="errors", errors={"due": PICK_A_DATE})
            return
        if not isinstance(channel, str) or not channel:
            ack(response_action="errors", errors={"title": FORM_EXPIRED})
            return
        command = Command(
            "add",
            text=values.get("title") or "",
            people=(BY_ID + owner,) if owner else (),
            projects=(values["project"].strip().lstrip("+"),) if values.get("project") else (),
            due=due,
        )
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        ctx = self.context(team, channel, user, f"<@{owner}>" if owner else "")
        key = f"view:{view.get('id')}:{view.get('hash')}"
        if not self.first_time(key):
            ack()
            return
        reply = run(command, ctx)
        if reply.error:
            self.forget(key)  # the same form, corrected, must still go through
            ack(response_action="errors", errors={"title": reply.lines[0].text[:150]})
            return
        item = self.keep_post(f"view:{view.get('id')}:{view.get('hash')}", channel, reply, meta)
        ack()
        self.intake.run(item, self.post, client, channel, reply, meta.get("response_url"), user)

    def keep_post(self, key: str, channel: str, reply: Reply, meta: dict) -> int | None:
        """A form's result, in the inbox before the form's ack (its command ran before): a
        restart still posts it. None: this form's result was kept already."""
        payload = {
            "type": KEPT_POST,
            "channel": channel,
            "reply": to_json(reply),
            "response_url": meta.get("response_url"),
            "user": meta.get("user"),
        }
        return self.intake.accept(f"post:{key}", payload)

    def post(
        self,
        client: WebClient,
        channel: str,
        reply: Reply,
        response_url: str | None = None,
        user: str | None = None,
    ) -> None:
        """A form's result, told in its channel. A channel the bot is not a member of refuses
        the bot's post; then it goes through the response_url of the command or button that
        opened the form (Slack accepts those anywhere), or else to the person, directly."""
        messages = kit.messages(reply)
        try:
            for message in messages:
                client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
        except SlackApiError as err:
            if err.response.get("error") not in ("not_in_channel", "channel_not_found"):
                raise
            log.info("cannot post in %s (%s): answering another way", channel, err)
        else:
            post_pictures(client, reply, channel, user=user)
            return
        if isinstance(response_url, str) and response_url:
            hook = WebhookClient(response_url, timeout=10)
            for message in messages:
                hook.send(
                    text=message.text,
                    blocks=message.blocks,
                    response_type="in_channel",
                    replace_original=False,
                )
        elif user:
            for message in messages:
                client.chat_postMessage(channel=user, text=message.text, blocks=message.blocks)
        if user and has_pictures(reply):  # a file cannot go by response_url: to the person
            post_pictures(client, reply, client.conversations_open(users=user)["channel"]["id"])

    def on_block_submit(self, ack: Callable, body: dict, view: dict, client: WebClient) -> None:
        values = _values(view)
        meta = _metadata(view)
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        channel = meta.get("channel") or f"home:{user}"
        if not isinstance(meta.get("task"), int) or not isinstance(channel, str):
            ack(response_action="errors", errors={"reason": FORM_EXPIRED})
            return
        if values.get("cause") not in (None, *CAUSES):  # not an option the form offered
            ack(response_action="errors", errors={"cause": FORM_EXPIRED})
            return
        command = Command(
            "block",
            task=meta["task"],
            text=values.get("reason") or "",
            cause=values.get("cause"),
        )
        reply = run(command, self.context(team, channel, user))
        if reply.error:
            ack(response_action="errors", errors={"reason": reply.lines[0].text[:150]})
            return
        if meta.get("channel"):
            key = f"view:{view.get('id')}:{view.get('hash')}"
            item = self.keep_post(key, channel, reply, {**meta, "user": user})
            ack()
            self.intake.run(item, self.post, client, channel, reply, meta.get("response_url"), user)
        else:
            ack()
            self.later(self.publish_home, team, user, client)


def as_response(answer: BoltResponse) -> Response:
    """Bolt's answer as the web server's neutral one."""
    body = answer.body.encode() if isinstance(answer.body, str) else answer.body
    headers = {k: v if isinstance(v, str) else ", ".join(v) for k, v in answer.headers.items()}
    return Response(answer.status, body, headers)


def delivery_key(parsed: dict) -> str | None:
    """What makes a request the same request when Slack (or anyone) sends it again: an event's
    event_id, an invocation's trigger_id (slash commands, buttons). A form's submission is
    worked before its ack and keeps its own key; a URL check has none."""
    kind = parsed.get("type")
    if kind == "event_callback" and parsed.get("event_id"):
        return f"event:{parsed['event_id']}"
    if kind in ("view_submission", "url_verification"):
        return None
    trigger = parsed.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return f"{'action' if kind == 'block_actions' else 'command'}:{trigger}"
    return None


def _parse_body(text: str) -> dict:
    if text.lstrip().startswith("{"):
        parsed = json.loads(text)
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        parsed = json.loads(form["payload"]) if "payload" in form else form
    if not isinstance(parsed, dict) or not parsed:
        raise ValueError("not a Slack request body")
    return parsed


# --- what the door answers itself: events it does not handle, requests it cannot read ---------


def _triage(body: dict) -> tuple[int, str] | None:
    """(status, why) when the door answers a verified request without Bolt: 200 for an event
    the app does not handle or Slack's "app_rate_limited" notice (anything but a 2xx Slack
    retries, three times); 400 for a request without the fields, of the types, that the
    listeners read. None: Bolt's to answer (it 404s what nothing listens for)."""
    kind = body.get("type")
    if "command" in body:  # a slash command (Bolt tells it by this key)
        problem = _command_problem(body)
    elif kind == "event_callback":
        event = body.get("event")
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            if event["type"] not in HANDLED_EVENTS:
                return 200, ""
            if event.get("user") is None and event.get("bot_id"):
                return 200, ""  # another app mentioned this one: nobody to answer
        problem = _event_problem(body)
    elif kind == "app_rate_limited":
        return 200, ""
    elif kind == "url_verification":
        problem = None if _text(body.get("challenge")) else "a handshake without its challenge"
    elif kind == "block_actions":
        problem = _user_problem(body) or _actions_problem(body)
    elif kind == "view_submission":
        problem = _user_problem(body) or _view_problem(body)
    else:
        return None
    return (400, problem) if problem else None


def _text(value: object) -> bool:
    """A non-empty string: what an id in a request must be."""
    return isinstance(value, str) and bool(value.strip())


def _maybe(value: object, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _command_problem(body: dict) -> str | None:
    for key in ("team_id", "channel_id", "user_id"):
        if not _text(body.get(key)):
            return f"a slash command without its {key}"
    if not _maybe(body.get("text"), str):
        return "a slash command whose text is not text"
    if (body.get("text") or "").strip() and not _text(body.get("response_url")):
        return "a slash command without its response_url"  # where its answer goes
    return None


def _event_problem(body: dict) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _text(event.get("type")):
        return "an event_callback without its event"
    if not _text(body.get("team_id")) or not _text(body.get("event_id")):
        return "an event_callback without its team_id or event_id"
    if event["type"] == "app_mention":
        if not all(_text(event.get(key)) for key in ("user", "channel", "ts")):
            return "an app_mention without its user, channel or ts"
        if not _maybe(event.get("text"), str) or not _maybe(event.get("thread_ts"), str):
            return "an app_mention whose text or thread_ts is not text"
    home = event["type"] == "app_home_opened"
    if home and (not _text(event.get("user")) or not _maybe(event.get("tab"), str)):
        return "an app_home_opened without its user"
    return None


def _user_problem(body: dict) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not _text(user.get("id")):
        return "an interaction without its user"
    if not _maybe(user.get("team_id"), str) or not _maybe(body.get("team"), dict):
        return "an interaction whose team is not an object"
    team = body.get("team") or {}
    if not _maybe(team.get("id"), str):
        return "an interaction whose team id is not text"
    return None


def _actions_problem(body: dict) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        return "a block_actions without its actions"
    for action in actions:
        if not isinstance(action, dict) or not _text(action.get("action_id")):
            return "an action without its action_id"
        option = action.get("selected_option")
        if not _maybe(action.get("value"), str) or not (
            option is None or (isinstance(option, dict) and _maybe(option.get("value"), str))
        ):
            return "an action whose value is not text"
        if not _moment(action.get("action_ts")):
            return "an action whose action_ts is not a time"
    container, channel = body.get("container"), body.get("channel")
    if not _maybe(container, dict) or not _maybe(channel, dict):
        return "a block_actions whose container or channel is not an object"
    if not all(_maybe((container or {}).get(key), str) for key in ("message_ts", "view_id")):
        return "a block_actions whose container is not what Slack sends"
    if channel is not None and not _text(channel.get("id")):
        return "a block_actions whose channel has no id"
    if not _maybe(body.get("trigger_id"), str) or not _maybe(body.get("response_url"), str):
        return "a block_actions whose trigger_id or response_url is not text"
    return None


def _moment(value: object) -> bool:
    """An action_ts: absent, or epoch seconds ("1700000000.000100")."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def _view_problem(body: dict) -> str | None:
    view = body.get("view")
    if not isinstance(view, dict) or not _text(view.get("callback_id")):
        return "a view_submission without its view"
    if not all(_maybe(view.get(key), str) for key in ("id", "hash", "private_metadata")):
        return "a view whose id, hash or private_metadata is not text"
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not _maybe(state, dict) or not _maybe(values, dict):
        return "a view whose state is not what Slack sends"
    for block in (values or {}).values():
        if not isinstance(block, dict) or not all(isinstance(e, dict) for e in block.values()):
            return "a view whose state is not what Slack sends"
        for element in block.values():
            option = element.get("selected_option")
            if not all(
                _maybe(element.get(key), str) for key in ("value", "selected_user", "selected_date")
            ) or not (
                option is None or (isinstance(option, dict) and _maybe(option.get("value"), str))
            ):
                return "a view whose input values are not text"
    return None


def _metadata(view: dict) -> dict:
    """A modal's private_metadata, as the door wrote it; {} when it is anything else."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _click_keys(where: str, command: str, user: str, action: dict, now: float) -> list[str]:
    """A click's dedupe keys: its ten-second window, on two grids half a window apart, so that
    two clicks less than five seconds apart share a window on at least one of them (a double
    click across a window's edge is still one click). A click without its time is `now`."""
    at = float(action.get("action_ts") or now)
    half = DOUBLE_CLICK_SECONDS / 2
    return [
        f"action:{where}:{command}:{user}:{int(at // DOUBLE_CLICK_SECONDS)}",
        f"action:{where}:{command}:{user}:{int((at + half) // DOUBLE_CLICK_SECONDS)}h",
    ]


def _values(view: dict) -> dict[str, str | None]:
    """One value per input block: typed text, a picked user, date or option."""
    out: dict[str, str | None] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            out[block_id] = (
                element.get("value")
                or element.get("selected_user")
                or element.get("selected_date")
                or (element.get("selected_option") or {}).get("value")
            )
    return out


def socket_mode_handler(door: SlackDoor, app_token: str):
    """Socket Mode, for teams without a public URL: the same app over Slack's websocket, each
    envelope through the door's inbox before its ack, as an HTTP request is (an envelope
    acknowledged and then lost to a crash is not sent again)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_bolt.adapter.socket_mode.internals import build_headers, send_response

    class DurableSocketModeHandler(SocketModeHandler):
        def handle(self, client, req) -> None:
            started = time.time()
            headers = {k: str(v) for k, v in (build_headers(req) or {}).items()}
            send_response(client, req, door.answer_verified(req.payload, headers), started)

    return DurableSocketModeHandler(door.app, app_token, web_client=door.client)
