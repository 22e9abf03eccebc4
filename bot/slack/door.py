"""The Slack door, on Bolt: `/task …`, @mentions, buttons, modals and the App Home tab.

Every listener acks first, then builds a `Context`, calls the core once and renders the Reply
(bot/slack/blocks.py). Retried deliveries are dropped through the inbound dedupe table, so a
retry or a double click never changes anything twice."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import parse_qsl

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.door import Clock, Request, Response, Routes, wall_clock
from bot.settings import Settings, revealed
from bot.slack import blocks as kit
from bot.slack.people import People
from bot.slack.poster import SlackPoster
from handlers import Context, Reply, dispatch
from handlers.dispatch import my_tasks, run
from handlers.grammar import BY_ID, Command, mention_by_id
from storage import queries
from storage.db import Database

log = logging.getLogger(__name__)

PLATFORM = "slack"
EVENTS_PATH = "/slack/events"  # slash commands, events and interactivity: one URL
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# A mention standing as a word of its own (trailing punctuation allowed): a person the core reads.
_WORD_MENTION = re.compile(r"(?<!\S)<@([UW][A-Z0-9]+)(?:\|[^>]*)?>(?=[,，。.;；!！?？、]*(?:\s|$))")


def neutral_mentions(text: str) -> str:
    """Slack's `<@U123|alice>` as the core's neutral mention of a person by id."""
    return _WORD_MENTION.sub(lambda m: mention_by_id(m.group(1)), text)


DOUBLE_CLICK_SECONDS = 10
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
        # Listeners ack and hand the work to this pool, so the HTTP answer never waits behind
        # other commands' work; its few workers also keep SQLite's writers to a handful.
        self.work = ThreadPoolExecutor(
            max_workers=settings.slack_workers, thread_name_prefix="slack"
        )
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
        """With an app-level token, Socket Mode: the door connects out to Slack."""
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
        if self._socket_mode is not None:
            self._socket_mode.close()
            self._socket_mode = None

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
        try:
            valid = self.verifier is not None and self.verifier.is_valid_request(text, headers)
        except ValueError:  # a timestamp that is not a number
            valid = False
        if not valid:
            return BoltResponse(status=401, body="invalid signature or stale timestamp")
        try:
            parsed = _parse_body(text)
        except ValueError:
            return BoltResponse(status=400, body="unreadable request")
        response = self.app.dispatch(BoltRequest(body=parsed, headers=headers, mode="socket_mode"))
        if response.status == 404:  # nothing listens for it: an unknown action or command
            return BoltResponse(status=400, body="unknown request")
        return response

    # --- context ------------------------------------------------------------------------------

    def context(
        self,
        team: str,
        channel: str,
        user: str,
        text: str = "",
        channel_name: str | None = None,
        user_name: str | None = None,
    ) -> Context:
        """What the core needs to know; a Home tab (channel "home:<user>") is personal: it reads
        today in the member's own zone."""
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
        """Run after the ack, in the work pool; a failure is logged, never lost silently."""

        def guarded() -> None:
            try:
                fn(*args)
            except Exception:
                log.exception("Slack work failed: %s", getattr(fn, "__name__", fn))

        self.work.submit(guarded)

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
        )
        self.answer(dispatch(neutral_mentions(text), ctx), respond)

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

    def on_mention(self, body: dict, event: dict, client: WebClient, context: dict) -> None:
        self.later(self._mention, body, event, client, context)

    def _mention(self, body: dict, event: dict, client: WebClient, context: dict) -> None:
        if not self.first_time(f"event:{body.get('event_id')}"):
            return
        bot = context.get("bot_user_id") or self._bot_user_id(client)
        text = re.sub(rf"<@{bot}(?:\|[^>]*)?>", " ", event.get("text") or "").strip()
        channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
        ctx = self.context(body["team_id"], channel, event["user"], text)
        reply = dispatch(neutral_mentions(text) or "help", ctx)
        for message in kit.messages(reply):
            if reply.error:
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
        self.later(self._action, body, action, respond, client)

    def _action(self, body: dict, action: dict, respond: Callable, client: WebClient) -> None:
        command = action.get("value") or (action.get("selected_option") or {}).get("value", "")
        user, team = (
            body["user"]["id"],
            (body.get("team") or {}).get("id") or body["user"].get("team_id", ""),
        )
        container = body.get("container") or {}
        where = container.get("message_ts") or container.get("view_id") or ""
        keys = _click_keys(where, command, user, action, self.clock().timestamp())
        if not command or not self.first_time(*keys):
            return
        channel = (body.get("channel") or {}).get("id")
        verb, _, number = command.partition(" ")
        if verb in ("block", "阻塞") and number.isdigit():
            modal = kit.block_modal(int(number), channel, body.get("response_url"))
            if self.open_view(client, body.get("trigger_id"), modal):
                return
            command = "help block"  # no form: say how to report it in words
        if channel is None:  # a button in the App Home tab: a change, or why not, shown there
            reply = dispatch(command, self.context(team, f"home:{user}", user))
            self.publish_home(team, user, client, notice=None if reply.public else reply)
            return
        self.answer(dispatch(command, self.context(team, channel, user)), respond)

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
        ack()
        self.later(self.post, client, channel, reply, meta.get("response_url"), user)

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
            return
        except SlackApiError as err:
            if err.response.get("error") not in ("not_in_channel", "channel_not_found"):
                raise
            log.info("cannot post in %s (%s): answering another way", channel, err)
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

    def on_block_submit(self, ack: Callable, body: dict, view: dict, client: WebClient) -> None:
        values = _values(view)
        meta = _metadata(view)
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        channel = meta.get("channel") or f"home:{user}"
        if not isinstance(meta.get("task"), int) or not isinstance(channel, str):
            ack(response_action="errors", errors={"reason": FORM_EXPIRED})
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
        ack()
        if meta.get("channel"):
            self.later(self.post, client, channel, reply, meta.get("response_url"), user)
        else:
            self.later(self.publish_home, team, user, client)


def as_response(answer: BoltResponse) -> Response:
    """Bolt's answer as the web server's neutral one."""
    body = answer.body.encode() if isinstance(answer.body, str) else answer.body
    headers = {k: v if isinstance(v, str) else ", ".join(v) for k, v in answer.headers.items()}
    return Response(answer.status, body, headers)


def _parse_body(text: str) -> dict:
    if text.lstrip().startswith("{"):
        parsed = json.loads(text)
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        parsed = json.loads(form["payload"]) if "payload" in form else form
    if not isinstance(parsed, dict) or not parsed:
        raise ValueError("not a Slack request body")
    if parsed.get("type") in ("block_actions", "view_submission"):  # what the listeners read
        actions = parsed.get("actions")
        if not isinstance((parsed.get("user") or {}).get("id"), str) or (
            parsed["type"] == "block_actions"
            and not (actions and isinstance(actions, list) and isinstance(actions[0], dict))
        ):
            raise ValueError("an interaction without its user or action")
    return parsed


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
    """Socket Mode, for teams without a public URL: the same app over Slack's websocket."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(door.app, app_token, web_client=door.client)
