"""The web server: one WSGI app on a multi-threaded server (waitress), so slow requests never
hold up others. Platform endpoints are added here as their adapters arrive."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable

from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], object]


def make_app(settings: Settings, db: Database) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _json(start_response, "200 OK", _health(db))
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return app


def _health(db: Database) -> dict:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}


def _json(start_response: StartResponse, status: str, body: dict) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


def make_server(settings: Settings, db: Database, *, host: str, port: int):
    """A waitress server, not yet running; port 0 takes a free port (see `.effective_port`)."""
    import waitress.server

    return waitress.server.create_server(
        make_app(settings, db), host=host, port=port, threads=8, ident="paceline"
    )


def serve(settings: Settings, *, host: str = "0.0.0.0", port: int | None = None) -> int:
    db = Database.open(settings.database_url)
    port = port if port is not None else int(os.environ.get("PORT", "3000"))
    server = make_server(settings, db, host=host, port=port)
    log.info("paceline serving on http://%s:%d", host, server.effective_port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        db.dispose()
    return 0
