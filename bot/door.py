"""What a door is: the contract every door the web server serves (Slack, WeCom, the next one)
keeps. It answers HTTP routes, has a poster for its channels' scheduled posts, may run something
beside the server, and is handed a clock. A door knows no WSGI, only the small neutral `Request`
and `Response` here; `bot/web.py` knows no platform, only this contract. Which doors a process
has is `bot/doors.py`."""

from __future__ import annotations

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
