"""What a door is: the contract every door the web server serves (Slack, WeCom, the next one)
keeps. It answers HTTP routes, has a poster for its channels' scheduled posts, may run something
beside the server, and is handed a clock. A door knows no WSGI, only the small neutral `Request`
and `Response` here; `bot/web.py` knows no platform, only this contract. Which doors a process
has is `bot/doors.py`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.delivery import Poster

Clock = Callable[[], datetime]  # now, timezone-aware (UTC)


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Request:
    """An HTTP request as a door sees it: header names in lower case, the query parsed (blank
    values kept), the body read (empty for GET and HEAD)."""

    method: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    """What the web server sends back; it sets Content-Length itself."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


# When any door of this process last acknowledged a request (time.monotonic): what may wait (the
# dashboard's pages) lets a burst of acks pass first, as a door's own work does (bot/intake.py).
_last_ack = float("-inf")


def acked() -> None:
    """A door acknowledged a request just now."""
    global _last_ack
    _last_ack = time.monotonic()


def let_acks_pass(
    quiet: float = 0.005,
    max_wait: float = 0.05,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Wait (without holding the interpreter) until no door has acknowledged anything for
    `quiet` seconds, `max_wait` at most: an ack has seconds to answer, a page a reader reads."""
    give_up = monotonic() + max_wait
    while (now := monotonic()) < give_up and now - _last_ack < quiet:
        sleep(quiet)


Handler = Callable[[Request], Response]
Routes = dict[str, dict[str, Handler]]  # path → HTTP method → handler


class Door(Protocol):
    platform: str  # the platform its workspaces and channels are stored under

    def routes(self) -> Routes:
        """The paths it answers and, for each, its methods. Another method on one of its paths
        is a 405, a path no door declares a 404, a body over the limit a 413: the server's."""
        ...

    def poster(self) -> Poster:
        """Who posts this platform's scheduled messages (asked once, when serving starts)."""
        ...

    def start(self) -> None:
        """Start what runs beside the web server (Slack's Socket Mode), if anything."""
        ...

    def close(self) -> None:
        """Stop what `start` started."""
        ...
