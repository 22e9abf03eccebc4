"""The web server: one WSGI app on a multi-threaded server (waitress), so a slow request never
holds up the others. It answers /healthz, whatever routes the configured doors declare
(bot/door.py), the KPI API's (bot/api.py) and the dashboard's (bot/dashboard/); it knows no
platform."""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Protocol
from urllib.parse import parse_qsl

from sqlalchemy import text
from waitress import wasyncore

from bot.door import Door, Request, Routes
from bot.doors import configured_doors, posters
from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], object]
App = Callable[[dict, StartResponse], Iterable[bytes]]
MAX_BODY = 1024 * 1024
STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Payload Too Large",
}


class RouteOwner(Protocol):
    """What answers routes: a door, or the KPI API (bot/api.py)."""

    platform: str

    def routes(self) -> Routes: ...


def route_owners(db: Database, settings: Settings | None = None) -> list[RouteOwner]:
    """What the server answers beside the doors: the KPI API and the dashboard."""
    from bot import api, dashboard
    from handlers import CoreConfig

    config = settings.core() if settings is not None else CoreConfig()
    return [api.build(db), dashboard.build(db, config)]


def route_table(doors: Iterable[RouteOwner]) -> Routes:
    """Every door's routes in one table; two doors may not answer the same path."""
    table: Routes = {}
    for door in doors:
        for path, methods in door.routes().items():
            if path in table or path == "/healthz":
                raise ValueError(f"two answers for {path}: {door.platform} and another")
            table[path] = dict(methods)
    return table


class Refusals:
    """Requests a door refused as unauthenticated (401) or forbidden (403), logged at WARNING
    with the reason the door gave in its answer: at most one line per path and reason every
    `every` seconds, however many arrive (a flood of forged requests is a line a minute, the
    next line counting the ones left out). A stale timestamp is most often this server's own
    clock being off: the line says to check it. `clock` is monotonic seconds, an input."""

    KEPT = 1000  # (path, reason) pairs remembered; doors give a handful of fixed reasons

    def __init__(self, clock: Callable[[], float] = time.monotonic, every: float = 60.0) -> None:
        self.clock, self.every = clock, every
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}  # → (logged at, left out)
        self._lock = threading.Lock()

    def refused(self, method: str, path: str, status: int, body: bytes) -> None:
        reason = _reason(body) or STATUS.get(status, str(status))
        now = self.clock()
        with self._lock:
            logged = self._seen.get((path, reason))
            if logged is not None and now - logged[0] < self.every:
                self._seen[(path, reason)] = (logged[0], logged[1] + 1)
                return
            if len(self._seen) >= self.KEPT:
                self._seen.clear()
            self._seen[(path, reason)] = (now, 0)
        shown = reason
        if "stale" in reason.lower():
            shown += " (check the clock: is this server's time right?)"
        if logged is not None and logged[1]:
            shown += f"; {logged[1]} more like it since the last such line"
        log.warning("refused %s %s: %s", method, path, shown)


def _reason(body: bytes) -> str:
    """A door's reason for refusing, from its answer's body, as one short printable line."""
    text = body[:500].decode("utf-8", errors="replace")
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:200]


def make_app(
    settings: Settings,
    db: Database,
    doors: Sequence[Door] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> App:
    """The WSGI app: /healthz and the doors' routes. `clock` (monotonic seconds) paces the
    log of refused requests."""
    chosen = configured_doors(settings, db) if doors is None else doors
    routes = route_table([*chosen, *route_owners(db, settings)])
    refusals = Refusals(clock)

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _json(start_response, 200, _health(db))
        methods = routes.get(path)
        if methods is None:
            return _json(start_response, 404, {"error": "not found"})
        handler = methods.get(method)
        if handler is None:
            return _json(start_response, 405, {"error": _allowed(methods)})
        body = b"" if method in ("GET", "HEAD") else _body(environ)
        if body is None:
            return _json(start_response, 413, {"error": "body too large"})
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        response = handler(Request(method, query, _headers(environ), body))
        if response.status in (401, 403):  # the reason: a header's (a page's), else the body
            reason = response.headers.get("X-Refused", "").encode() or response.body
            refusals.refused(method, path, response.status, reason)
        return _send(start_response, response.status, response.headers, response.body)

    return app


def _allowed(methods: dict) -> str:
    """What a 405 says: "POST only", "GET or POST"."""
    names = list(methods)
    return f"{names[0]} only" if len(names) == 1 else " or ".join(names)


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


def _send(start_response: StartResponse, status: int, headers: dict[str, str], body: bytes):
    out = [(k, v) for k, v in headers.items() if k.lower() != "content-length"]
    out.append(("Content-Length", str(len(body))))
    start_response(STATUS.get(status, f"{status} Status"), out)
    return [body]


def _json(start_response: StartResponse, status: int, body: dict) -> list[bytes]:
    payload = json.dumps(body).encode()
    return _send(start_response, status, {"Content-Type": "application/json"}, payload)


# Request threads. An ack spends most of its time waiting (for its row in the inbox, for the
# interpreter lock), not computing: with 16, the 17th of 20 deliveries at once queued behind the
# others' waits (a door's acks against its bare endpoint: 0.40–0.56× with 16, mostly 0.43–0.76×
# with 32; docs/benchmarks.md, "The acks beside the work"). The work after the ack has its own
# pool per door.
THREADS = 32

# The server's own limits (waitress's "adjustments"), so that hostile or merely slow clients cannot
# fill the disk or take every connection. A reverse proxy in front does more (README,
# "Deployment"); these hold without one.
LIMITS = dict(
    # waitress refuses a body of this many bytes or more with its own 413 and closes the
    # connection: a declared Content-Length before a byte of the body is read, a chunked body
    # as soon as this much has arrived. It used to take 1 GB (its default) and spool it all
    # before the app could say 413. The 64 KiB over MAX_BODY are for clients that overshoot a
    # little: their body is read whole and the app answers 413 on a connection it keeps; a
    # connection closed on unread data is reset, and the client may never see the 413.
    max_request_body_size=MAX_BODY + 64 * 1024,
    # The platforms send a few hundred bytes of headers; 64 KiB is generous (default 256 KiB,
    # held in memory per connection).
    max_request_header_size=64 * 1024,
    # A body is kept in memory up to this, then spooled to a temporary file, which MAX_BODY
    # caps: per connection at most 256 KiB of memory and 1 MiB of disk. Commands and events
    # are a few KiB; the biggest interaction payloads (a message's blocks) a few hundred
    # KiB.
    inbuf_overflow=256 * 1024,
    # A connection costs a socket and a few KiB until it sends a body; its request is read
    # without a thread, so slow clients hold connections, not workers. 100 (waitress's
    # default) let ~100 clients trickling a byte at a time keep every probe and command
    # waiting; see connection_limit() for how the process's file limit bounds this.
    connection_limit=1000,
    # An idle connection (a kept-alive one, or one that stopped sending) is closed after 10 s
    # (default 120; it was 30): the platforms open a connection per request and answer within
    # seconds, a proxy that keeps upstream connections alive is told to keep them for less
    # (README, "Deployment"). Idle ones are looked for every 2 s.
    channel_timeout=10,
    cleanup_interval=2,
    # Connections the kernel completes while the server is at its limit, waiting for a slot.
    backlog=1024,
    # poll(), not select(): select() cannot watch a file descriptor numbered 1024 or above,
    # and a thousand connections go past it.
    asyncore_use_poll=True,
)
FILES_RESERVED = 200  # open files kept for the rest: the database, the SDKs' clients, logs


def connection_limit(wanted: int) -> int:
    """How many connections this process can hold open: each is a socket, and a temporary file
    while its body is spooled. The soft limit on open files is raised toward the hard limit
    when it is lower than that needs (it is often 1024); the connection limit is lowered to fit
    what the process may have, never below waitress's default 100."""
    try:
        import resource
    except ImportError:  # not on a POSIX system
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * wanted + FILES_RESERVED
    if soft != resource.RLIM_INFINITY and soft < needed:
        raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        if raised > soft:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
                soft = raised
            except (ValueError, OSError):
                pass
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return wanted
    fits = max(100, (soft - FILES_RESERVED) // 2)
    log.warning(
        "open files limited to %s: serving at most %s connections (raise `ulimit -n` for %s)",
        soft,
        fits,
        wanted,
    )
    return fits


def make_server(
    settings: Settings,
    db: Database,
    *,
    host: str,
    port: int,
    doors: Sequence[Door] | None = None,
):
    """A waitress server, not yet running; port 0 takes a free port (see `.effective_port`).
    Without `doors`, the doors the settings configure. Its limits are `LIMITS`."""
    import waitress.server

    limits = {**LIMITS, "connection_limit": connection_limit(LIMITS["connection_limit"])}
    return waitress.server.create_server(
        make_app(settings, db, doors),
        host=host,
        port=port,
        threads=THREADS,
        ident="paceline",
        **limits,
    )


def settle() -> None:
    """What start-up made (the SDKs, the doors, the ORM's mappings) lives as long as the process:
    keep it out of the garbage collector's full passes, which otherwise hold every thread for
    tens of milliseconds while they walk it (measured: an ack's p99 went from ~20 to ~80 ms
    once every door's SDK was loaded at start; docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    """Serve until interrupted, on `host` and `port` or else the settings' (HOST, PORT)."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue under load is normal
    db = Database.open(settings.database_url)
    doors = configured_doors(settings, db)
    host = host if host is not None else settings.host
    port = port if port is not None else settings.port
    server = make_server(settings, db, host=host, port=port, doors=doors)
    for door in doors:
        door.start()
    scheduler = None
    if settings.scheduler:
        from bot.delivery import Delivery
        from bot.scheduler import Scheduler

        delivery = Delivery(
            db,
            settings.core(),
            posters(doors, settings.pictures_path()),
            grace=timedelta(hours=settings.grace_hours),
            workers=settings.post_workers,
        )
        scheduler = Scheduler(delivery)
        scheduler.start()
    log.info("paceline serving on http://%s:%s", server.effective_host, server.effective_port)
    settle()
    # The server's loop runs in a thread of its own; this one waits for SIGTERM or Ctrl-C (a
    # signal raised into the loop would land in whatever request it was reading, and be lost).
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda _sig, _frame: stop.set())
        for sig in (signal.SIGTERM, signal.SIGINT)
    }
    loop = threading.Thread(target=server.run, name="web", daemon=True)
    loop.start()
    try:
        while not stop.wait(0.5) and loop.is_alive():
            pass
        log.info("stopping: no new requests; acknowledged work gets %ss", settings.drain_seconds)
    finally:
        # Stop accepting: the requests being answered finish first, those not yet started get no
        # answer (their platform sends them again); the sockets close inside the loop itself.
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        loop.join(5)
        if scheduler is not None:
            scheduler.stop()
        for door in doors:
            door.close()  # drains its work within PACELINE_DRAIN_SECONDS
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        db.dispose()
    _leave_the_stuck()
    return 0


def _leave_the_stuck(grace: float = 2.0) -> None:
    """Work still running past the drain bound is left (its request waits in the inbox for the
    next start): exit without waiting for it, as Python otherwise would at interpreter exit."""
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [
        t.name
        for t in threading.enumerate()
        if t is not threading.current_thread() and not t.daemon and t.is_alive()
    ]
    if stuck:
        log.warning("exiting with work still running (%s); the inbox keeps it", ", ".join(stuck))
        logging.shutdown()
        os._exit(0)
