"""The sandbox's connection guards, below the application: what a real front end does.

- A connection that has not sent a whole request head within ``HEAD_TIMEOUT`` seconds (an idle
  connection, or headers trickled byte by byte) is closed; so is one idle after an answer.
- The request head is capped (``MAX_HEAD_BYTES``, ``MAX_HEADERS``): a longer one gets a 431
  (or h11's 400 while still incomplete) and the connection is closed.
- A request with both Content-Length and Transfer-Encoding (request smuggling) is refused with
  400 and the connection closed (RFC 9112 §6.3 allows nothing safer).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from treasury_desktop.sandbox.requests import refuse

HEAD_TIMEOUT = 10.0
MAX_HEAD_BYTES = 16 * 1024


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline on every request head."""

    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _head_too_slow(self) -> None:
        self._head_timer = None
        # Still waiting for (the rest of) a request head: idle or trickling. Close.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request's head has its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)


MAX_HEADERS = 100


class HeadGuard:
    """ASGI middleware: a request head over the caps is a 431, and one with both Content-Length
    and Transfer-Encoding a 400, never a guess; the connection is closed after either."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = scope.get("headers", [])
            size = sum(len(name) + len(value) + 4 for name, value in headers)
            names = {name.lower() for name, _ in headers}
            refusal = None
            if len(headers) > MAX_HEADERS or size > MAX_HEAD_BYTES:
                refusal = refuse(431, "headers_too_large", "sandbox.error.headers_too_large",
                                 limit=MAX_HEAD_BYTES)
            elif b"content-length" in names and b"transfer-encoding" in names:
                refusal = refuse(400, "ambiguous_length", "sandbox.error.ambiguous_length")
            if refusal is not None:
                refusal.response.headers["Connection"] = "close"
                await refusal.response(scope, receive, send)
                return
        await self.app(scope, receive, send)
