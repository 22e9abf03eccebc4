"""The web server: one WSGI app on a multi-threaded server (waitress), so a slow request never
holds up the others. Each platform's endpoint is a few lines here that turn the HTTP request
into one call of that platform's door."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from urllib.parse import parse_qsl

from sqlalchemy import text

from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], object]
App = Callable[[dict, StartResponse], Iterable[bytes]]
MAX_BODY = 1024 * 1024
# path → (the door's URL-check method, its message method)
WECOM_ROUTES = {
    "/wecom/aibot": ("aibot_check", "aibot_message"),
    "/wecom/callback": ("app_check", "app_message"),
}
STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Payload Too Large",
}


class Doors:
    """The platform doors this process serves, built once from the settings."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.slack = self.wecom = None
        if settings.slack_enabled:
            from bot.slack import SlackDoor

            self.slack = SlackDoor(settings, db)
        if settings.wecom_app_enabled or settings.wecom_aibot_enabled:
            from bot.wecom import WeComDoor

            self.wecom = WeComDoor(settings, db)

    def posters(self) -> dict:
        """Who posts the scheduled messages of each platform's channels."""
        from bot.console import ConsolePoster

        posters: dict = {"console": ConsolePoster()}
        if self.slack is not None:
            from bot.slack import SlackPoster

            posters["slack"] = SlackPoster(self.slack.client)
        if self.wecom is not None:
            from bot.wecom import WeComPoster

            posters["wecom"] = WeComPoster(self.wecom)
        return posters


def make_app(settings: Settings, db: Database, doors: Doors | None = None) -> App:
    doors = doors or Doors(settings, db)

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _json(start_response, 200, _health(db))
        if path == "/slack/events" and doors.slack is not None:
            if method != "POST":
                return _json(start_response, 405, {"error": "POST only"})
            body = _body(environ)
            if body is None:
                return _json(start_response, 413, {"error": "body too large"})
            response = doors.slack.handle(body, _headers(environ))
            return _send(start_response, response.status, response.headers, response.body)
        if path in WECOM_ROUTES and doors.wecom is not None:
            check, message = WECOM_ROUTES[path]
            query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
            if method == "GET":
                answer = getattr(doors.wecom, check)(query)
            elif method == "POST":
                body = _body(environ)
                if body is None:
                    return _json(start_response, 413, {"error": "body too large"})
                answer = getattr(doors.wecom, message)(query, body)
            else:
                return _json(start_response, 405, {"error": "GET or POST"})
            headers = {"Content-Type": answer.content_type}
            return _send(start_response, answer.status, headers, answer.body)
        return _json(start_response, 404, {"error": "not found"})

    return app


def _health(db: Database) -> dict:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}


def _body(environ: dict) -> bytes | None:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        return None
    return environ["wsgi.input"].read(length) if length else b""


def _headers(environ: dict) -> dict[str, str]:
    headers = {
        k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _send(start_response: StartResponse, status: int, headers: dict, body: str | bytes):
    payload = body.encode() if isinstance(body, str) else body
    out = [
        (k, v if isinstance(v, str) else ", ".join(v))
        for k, v in headers.items()
        if k.lower() != "content-length"
    ]
    out.append(("Content-Length", str(len(payload))))
    start_response(STATUS.get(status, f"{status} Status"), out)
    return [payload]


def _json(start_response: StartResponse, status: int, body: dict) -> list[bytes]:
    return _send(start_response, status, {"Content-Type": "application/json"}, json.dumps(body))


def make_server(
    settings: Settings, db: Database, *, host: str, port: int, doors: Doors | None = None
):
    """A waitress server, not yet running; port 0 takes a free port (see `.effective_port`)."""
    import waitress.server

    return waitress.server.create_server(
        make_app(settings, db, doors),
        host=host,
        port=port,
        threads=16,
        ident="paceline",
        backlog=256,
        channel_timeout=30,
    )


def serve(settings: Settings, *, host: str = "0.0.0.0", port: int | None = None) -> int:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue under load is normal
    db = Database.open(settings.database_url)
    doors = Doors(settings, db)
    port = port if port is not None else int(os.environ.get("PORT", "3000"))
    server = make_server(settings, db, host=host, port=port, doors=doors)
    socket_mode = None
    if doors.slack is not None and settings.slack_app_token:
        from bot.slack import socket_mode_handler

        socket_mode = socket_mode_handler(doors.slack, settings.slack_app_token)
        threading.Thread(target=socket_mode.connect, name="slack-socket-mode", daemon=True).start()
        log.info("Slack: Socket Mode")
    elif doors.slack is not None:
        log.info("Slack: events at POST /slack/events")
    if doors.wecom is not None:
        log.info("WeCom: robot at /wecom/aibot, app at /wecom/callback")
    scheduler = None
    if settings.scheduler:
        from bot.delivery import Delivery
        from bot.scheduler import Scheduler

        delivery = Delivery(
            db,
            settings.core(),
            doors.posters(),
            grace=timedelta(hours=settings.grace_hours),
            workers=settings.post_workers,
        )
        scheduler = Scheduler(delivery)
        scheduler.start()
    log.info("paceline serving on http://%s:%d", host, server.effective_port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.stop()
        if socket_mode is not None:
            socket_mode.close()
        server.close()
        db.dispose()
    return 0
