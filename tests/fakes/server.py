"""What the local fakes of a platform's API (tests/fakes/slack.py, tests/fakes/wecom.py) share.

:class:`RecordingServer` serves HTTP on 127.0.0.1 (a free port) from a daemon thread and records
every request as a call: ``start``/``stop`` or ``with``, ``port``, ``root_url`` and ``base_url``,
``calls``, ``calls_to``, ``wait_for`` (from any thread), answers queued by a fake's
``fail_next``, and ``reset``. A fake subclasses it, sets ``handler`` to a
:class:`RecordingHandler` subclass that turns a request into a call and answers it and
``api_path`` to where its API lives, and adds what its platform does.

``post`` and ``get`` send a request with urllib and return ``(status, headers, body)`` whatever
the status, so a test can look at a 4xx or 5xx answer.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Protocol, Self, TypeVar

__all__ = ["Failure", "Headers", "RecordingHandler", "RecordingServer", "get", "post"]


class Headers(dict[str, str]):
    """Request headers with lower-case keys; lookups ignore case (``h["Content-Type"]``)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__((str(k).lower(), str(v)) for k, v in dict(items).items())

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


class _Call(Protocol):
    method: str
    params: dict


CallT = TypeVar("CallT", bound=_Call)


@dataclass
class Failure:
    """An answer queued by ``fail_next``: the next ``times`` calls to a method get it instead."""

    status: int
    body: Any  # what the fake sends back: the bytes (Slack), the JSON answer (WeCom)
    times: int
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # with the default backlog of 5, bursts wait on SYN retries

    def __init__(self, handler: type[RecordingHandler], fake: RecordingServer) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), handler)


class RecordingHandler(BaseHTTPRequestHandler):
    """Serves one request for a :class:`RecordingServer` (``self.fake``): GET and POST go to
    :meth:`handle_request`, nothing is logged."""

    content_type = "application/json; charset=utf-8"  # unless an answer's headers say otherwise

    @property
    def fake(self) -> Any:
        return self.server.fake  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.handle_request("GET")

    def do_POST(self) -> None:
        self.handle_request("POST")

    def handle_request(self, http_method: str) -> None:
        raise NotImplementedError

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        headers = headers or {}
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers):
            self.send_header("Content-Type", self.content_type)
        for key, value in headers.items():
            self.send_header(key, str(value))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class RecordingServer(Generic[CallT]):
    """An HTTP server on 127.0.0.1 (port 0) that records every call; use as a context manager,
    or call :meth:`start` and :meth:`stop`. Subclasses set ``handler``, ``api_path`` and
    ``thread_name``."""

    handler: type[RecordingHandler]
    api_path = ""  # base_url is root_url + api_path ("api/", "cgi-bin/")
    thread_name = "fake-server"

    def __init__(self) -> None:
        self.calls: list[CallT] = []
        self._cond = threading.Condition()  # guards calls, failures and a fake's own state
        self._failures: dict[str, list[Failure]] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        self._server = _Server(self.handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() may wait for the loop to notice
            name=self.thread_name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running; call start() first")
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def base_url(self) -> str:
        """Where the API lives: what a client for the platform is pointed at."""
        return f"{self.root_url}{self.api_path}"

    # --- inspection -----------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[CallT]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[CallT]:
        """Block until at least ``count`` calls to ``method`` arrived; return them."""
        with self._cond:
            arrived = self._cond.wait_for(
                lambda: sum(c.method == method for c in self.calls) >= count, timeout
            )
            seen = [c for c in self.calls if c.method == method] if arrived else list(self.calls)
        if not arrived:
            summary = "\n".join(f"  {self._describe(c)}" for c in seen) or "  (none)"
            raise AssertionError(
                f"waited {timeout}s for {count} call(s) to {method}; calls seen:\n{summary}"
            )
        return seen

    def reset(self) -> None:
        """Forget recorded calls and pending failures."""
        with self._cond:
            self.calls.clear()
            self._failures.clear()

    # --- for subclasses -------------------------------------------------------------------------

    def _describe(self, call: CallT) -> str:
        """One call in the list wait_for shows when what it waited for did not come."""
        return f"{call.method} {call.params!r}"

    def _queue_failure(self, method: str, failure: Failure) -> None:
        with self._cond:
            self._failures.setdefault(method, []).append(failure)

    def _take_failure(self, method: str) -> Failure | None:
        """The failure queued for the next call to ``method``, used up once; None if none."""
        with self._cond:
            queue = self._failures.get(method)
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _add_call(self, call: CallT) -> None:
        """Record ``call`` and wake every wait_for."""
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()


# --- plain HTTP helpers -------------------------------------------------------------------------


def _open(request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()


def post(url: str, body: bytes, headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """POST with urllib; returns (status, headers, body) for any status, 4xx/5xx included."""
    return _open(urllib.request.Request(url, data=body, headers=dict(headers or {}), method="POST"))


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET with urllib; returns (status, headers, body) for any status, 4xx/5xx included."""
    return _open(urllib.request.Request(url, method="GET"))
