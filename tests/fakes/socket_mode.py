"""A Socket Mode endpoint on 127.0.0.1: the websocket Slack's apps.connections.open points a
bot at. It sends envelopes as Slack does and records the acknowledgements the bot sends back."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"
        self.received: list[dict] = []
        self._conn: socket.socket | None = None
        self._changed = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        for sock in (self._conn, self._listener):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self._thread.join(timeout=5)

    def wait_connected(self, timeout: float = 10) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self._conn is not None, timeout), "no client"

    def send(self, message: dict) -> None:
        payload = json.dumps(message).encode()
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([len(payload)])
        elif len(payload) < 65536:
            header += bytes([126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([127]) + struct.pack(">Q", len(payload))
        assert self._conn is not None
        self._conn.sendall(header + payload)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> dict:
        def found() -> dict | None:
            return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

        with self._changed:
            assert self._changed.wait_for(lambda: found() is not None, timeout), self.received
            return found()  # type: ignore[return-value]

    def _accept(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        with self._changed:
            self._conn = conn
            self._changed.notify_all()
        self.send({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        self._read(conn)

    def _read(self, conn: socket.socket) -> None:
        buffer = b""

        def take(n: int) -> bytes:
            nonlocal buffer
            while len(buffer) < n:
                chunk = conn.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            out, buffer = buffer[:n], buffer[n:]
            return out

        try:
            while not self._stop:
                b1, b2 = take(2)
                opcode, length = b1 & 0x0F, b2 & 0x7F
                if length == 126:
                    length = struct.unpack(">H", take(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", take(8))[0]
                mask = take(4) if b2 & 0x80 else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(take(length)))
                if opcode == 0x9:  # ping → pong
                    conn.sendall(bytes([0x8A, len(data)]) + data)
                elif opcode == 0x8:
                    return
                elif opcode == 0x1:
                    with self._changed:
                        self.received.append(json.loads(data))
                        self._changed.notify_all()
        except (ConnectionError, OSError):
            return
