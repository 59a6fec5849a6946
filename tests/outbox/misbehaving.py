"""Small real HTTP/1.1 servers on 127.0.0.1 that behave like strict or broken treasuries.

Each connection is read (request line, headers, a Content-Length body) and handed to a
function that writes whatever it likes on the socket: a proper answer, a 415 to a gzipped
body, a 500, an empty hash, a gzip bomb, an endless body, bytes trickled one by one.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from treasury_desktop.domain.canonical import canonical_bytes, content_hash

UNIT = "1171277"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        raw = self.body
        if self.headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        return json.loads(raw)


Handler = Callable[[Request, socket.socket], None]


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return Request(method, path, headers, rest[:length])


@dataclass
class Server:
    """Serves ``handler`` on 127.0.0.1 (one thread per connection, keep-alive honoured)."""

    handler: Handler
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._closed = False
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                while (request := _read_request(conn)) is not None:
                    self.requests.append(request)
                    self.handler(request, conn)
            except OSError:
                pass

    def close(self) -> None:
        self._closed = True
        self._sock.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def send(conn: socket.socket, status: int, body: bytes = b"", *,
         kind: str = "application/json", headers: dict[str, str] | None = None) -> None:
    """One whole answer."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {kind}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def send_json(conn: socket.socket, status: int, data: Any, **options: Any) -> None:
    send(conn, status, json.dumps(data).encode(), **options)


def health(capabilities: tuple[str, ...] = ("documents", "changes")) -> dict[str, Any]:
    return {"status": "ok", "api_version": "1.0", "capabilities": list(capabilities),
            "time": "2026-11-20T08:00:00+00:00"}


def echo(document: dict[str, Any], *, digest: str | None = None, unit: str = UNIT,
         voucher_id: str | None = None) -> dict[str, Any]:
    """What a PUT's 201 names: by default exactly the document that was sent."""
    return {
        "id": voucher_id or document["id"], "unit": unit, "status": "received",
        "content_hash": content_hash(canonical_bytes(document)) if digest is None else digest,
        "received_at": "2026-11-20T08:00:00+00:00", "updated_at": "2026-11-20T08:00:00+00:00",
        "detail": "KBNN tiếp nhận", "reason": None, "reference": "r", "dossier": "d",
        "history": [],
    }


def treasury(put: Callable[[Request, socket.socket], None],
             capabilities: tuple[str, ...] = ("documents", "changes")) -> Handler:
    """/v1/health and an empty feed answered properly; every other call goes to ``put``."""
    def handle(request: Request, conn: socket.socket) -> None:
        if request.path == "/v1/health":
            send_json(conn, 200, health(capabilities))
        elif "/changes" in request.path:
            send_json(conn, 200, {"changes": [], "next_cursor": "0", "has_more": False})
        else:
            put(request, conn)
    return handle


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped (about a thousandth of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    out = [packer.compress(block) for _ in range(size >> 20)]
    out.append(packer.flush())
    return b"".join(out)


def endless(conn: socket.socket, kind: str = "application/json") -> None:
    """A 200 whose chunked body never ends (until the client hangs up)."""
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n".encode())
    chunk = b"[" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    while True:
        conn.sendall(frame)


def trickle(conn: socket.socket, data: bytes, pause: float = 0.2) -> None:
    """Send ``data`` one byte at a time (each within any per-read timeout)."""
    for byte in data:
        conn.sendall(bytes([byte]))
        time.sleep(pause)
