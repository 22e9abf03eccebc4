"""The baseline for bench/slack_bench.py: a bare Bolt app whose `/task` listener only acks.

It is served by the same stack as `paceline serve`: `bot.web.make_server` (waitress, its THREADS,
the same WSGI function and the same settings), with a door (bot/door.py's contract) that does
what `bot.slack.SlackDoor` does before the listener runs (verify the signature, parse the body
with the same `bot.slack.door._parse_body`, `App.dispatch`) and a Bolt `App` configured as
SlackDoor configures its own. Only the listener differs: it acks and stops.

    SLACK_SIGNING_SECRET=... SLACK_API_URL=http://127.0.0.1:PORT/api/ \\
        python -m bench.bare_bolt --host 127.0.0.1 --port 3001
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

import bot.slack.door
from bench.common import AnswersOnly
from bot.cli import LOG_FORMAT
from bot.door import Request, Response, Routes
from bot.settings import get_settings, revealed
from bot.web import make_server, settle
from storage.db import Database, make_engine


class BareDoor(AnswersOnly):
    """Signature check, parse and dispatch as in SlackDoor.handle; the listener only acks."""

    platform = "slack"

    def __init__(self, *, secret: str, token: str, api_url: str, command: str = "/task") -> None:
        self.client = WebClient(token=token, base_url=api_url)
        self.verifier = SignatureVerifier(secret)
        self.app = App(
            client=self.client,
            signing_secret=secret,
            token_verification_enabled=False,
            listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="slack"),
            request_verification_enabled=True,
        )
        self.app.command(command)(self.on_command)

    def on_command(self, ack: Callable) -> None:
        ack()

    def routes(self) -> Routes:
        return {bot.slack.door.EVENTS_PATH: {"POST": self.handle}}

    def handle(self, request: Request) -> Response:
        return bot.slack.door.as_response(self.answer(request.body, request.headers))

    def answer(self, body: bytes, headers: dict[str, str]) -> BoltResponse:
        if not self.verifier.is_valid_request(body, headers):
            return BoltResponse(status=401, body="invalid signature or stale timestamp")
        try:
            parsed = bot.slack.door._parse_body(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return BoltResponse(status=400, body="unreadable request")
        response = self.app.dispatch(BoltRequest(body=parsed, headers=headers, mode="socket_mode"))
        if response.status == 404:
            return BoltResponse(status=400, body="unknown request")
        return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bare_bolt", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("PACELINE_LOG_LEVEL", "WARNING").upper(), format=LOG_FORMAT
    )
    settings = get_settings()
    door = BareDoor(
        secret=revealed(settings.slack_signing_secret) or "",
        token=revealed(settings.slack_bot_token) or "xoxb-bench",
        api_url=settings.slack_api_url,
        command=settings.slack_command,
    )
    # /healthz runs `SELECT 1`; an in-memory database answers it without touching the disk.
    db = Database(make_engine("sqlite://"))
    server = make_server(settings, db, host=args.host, port=args.port, doors=[door])
    try:
        settle()  # as `paceline serve` does
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
