"""Bad days on purpose: the ``--faults`` spec and the ASGI middleware that plays it.

``latency=200ms,jitter=50ms,bandwidth=256kbit,reset_before=0.05,reset_after_commit=0.05,
status429=0.05,status503=0.05,retry_after=1,truncate=0.02,garbage=0.02,slow=0.02,slow_delay=5s,
peak,peak_rate=10,peak_concurrency=4``. Probabilities are per request and drawn from one seeded
generator, so a run can be repeated. ``/v1/health`` is spared so readiness can be checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import socket
import struct
import time
from dataclasses import dataclass, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treasury_desktop.sandbox.responses import error_body

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)?$")
_RATE = re.compile(r"^(\d+(?:\.\d+)?)(bit|kbit|mbit|b|kb|mb)?$", re.IGNORECASE)
_RATE_UNITS = {
    "bit": 1 / 8,
    "kbit": 1000 / 8,
    "mbit": 1_000_000 / 8,
    "b": 1,
    "kb": 1000,
    "mb": 1_000_000,
}
_PROBABILITIES = (
    "reset_before",
    "reset_after_commit",
    "status429",
    "status503",
    "truncate",
    "garbage",
    "slow",
)
_DURATIONS = ("latency", "jitter", "slow_delay")


@dataclass(frozen=True)
class FaultSpec:
    """Which faults to play, with their probabilities (0..1) and sizes."""

    latency: float = 0.0  # seconds before each answer
    jitter: float = 0.0  # ± seconds around the latency
    bandwidth: float = 0.0  # bytes per second each way; 0 = unlimited
    reset_before: float = 0.0  # drop the connection before reading the body
    reset_after_commit: float = 0.0  # do the work, then drop the connection unanswered
    status429: float = 0.0
    status503: float = 0.0
    retry_after: int = 1  # seconds, in the Retry-After of 429/503
    truncate: float = 0.0  # send half the body, then drop the connection
    garbage: float = 0.0  # answer with a body that is not JSON
    slow: float = 0.0  # answer after ``slow_delay``
    slow_delay: float = 5.0
    peak: bool = False  # quarter-end congestion: a token bucket of requests
    peak_rate: float = 10.0  # requests per second admitted
    peak_concurrency: int = 4  # requests handled at once

    @property
    def active(self) -> bool:
        """Whether any fault is on."""
        return self != FaultSpec()


def _duration(value: str) -> float:
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"not a duration: {value!r} (use 200ms or 2s)")
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def parse_faults(spec: str | None) -> FaultSpec:
    """Read ``--faults``; ValueError names the first part that is wrong."""
    values: dict[str, Any] = {}
    known = {f.name for f in fields(FaultSpec)}
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in known:
            raise ValueError(f"unknown fault {key!r}; known: {', '.join(sorted(known))}")
        value = value.strip()
        if key == "peak":
            values[key] = value.lower() not in ("0", "off", "false", "no")
        elif key in _DURATIONS:
            values[key] = _duration(value)
        elif key == "bandwidth":
            match = _RATE.match(value)
            if not match or float(match.group(1)) <= 0:
                raise ValueError(f"not a bandwidth: {value!r} (use 256kbit)")
            values[key] = float(match.group(1)) * _RATE_UNITS[(match.group(2) or "b").lower()]
        elif key in _PROBABILITIES:
            probability = float(value)
            if not 0 <= probability <= 1:
                raise ValueError(f"{key} is a probability between 0 and 1, not {value}")
            values[key] = probability
        elif key == "peak_concurrency" or key == "retry_after":
            values[key] = int(value)
        else:
            values[key] = float(value)
    return FaultSpec(**values)


def drop_connection(receive: Receive) -> bool:
    """Reset the client's TCP connection (RST, no answer) under uvicorn; False elsewhere."""
    transport: Any = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # The client may already be gone (killed): then there is nothing left to reset.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return True


class _Bucket:
    """Peak mode: requests per second (token bucket) and requests at once."""

    def __init__(self, rate: float, concurrency: int) -> None:
        self.rate, self.capacity = rate, max(rate, 1.0)
        self.tokens, self.stamp = self.capacity, time.monotonic()
        self.concurrency, self.busy = concurrency, 0

    def admit(self) -> int | None:
        """None when admitted, else the status to answer (429 or 503)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.busy >= self.concurrency:
            return 503
        if self.tokens < 1:
            return 429
        self.tokens -= 1
        self.busy += 1
        return None


class FaultMiddleware:
    """Plays a :class:`FaultSpec` around the sandbox application."""

    def __init__(self, app: ASGIApp, spec: FaultSpec, seed: int | None = None) -> None:
        self.app, self.spec = app, spec
        self.rng = random.Random(seed)
        self.bucket = _Bucket(spec.peak_rate, spec.peak_concurrency)

    def _roll(self, probability: float) -> bool:
        return probability > 0 and self.rng.random() < probability

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/v1/health" or not self.spec.active:
            await self.app(scope, receive, send)
            return
        spec = self.spec
        if spec.peak:
            refused = self.bucket.admit()
            if refused is not None:
                await _refuse(send, refused, spec.retry_after, "sandbox.error.peak")
                return
        try:
            await self._play(scope, receive, send)
        finally:
            if spec.peak:
                self.bucket.busy -= 1

    async def _play(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec = self.spec
        if self._roll(spec.status429):
            await _refuse(send, 429, spec.retry_after, "sandbox.error.throttled")
            return
        if self._roll(spec.status503):
            await _refuse(send, 503, spec.retry_after, "sandbox.error.unavailable")
            return
        delay = spec.latency + (self.rng.uniform(-spec.jitter, spec.jitter) if spec.jitter else 0)
        if self._roll(spec.slow):
            delay += spec.slow_delay
        if delay > 0:
            await asyncio.sleep(delay)
        if self._roll(spec.reset_before) and drop_connection(receive):
            await _settle()
            return
        reset_after, truncate, garbage = (
            self._roll(spec.reset_after_commit),
            self._roll(spec.truncate),
            self._roll(spec.garbage),
        )
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.app(scope, self._throttled(receive), capture)
        if reset_after and drop_connection(receive):
            await _settle()
            return
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if garbage:
            body = b"<html><body>502 Bad Gateway</body></html>"
            headers = [(k, v) for k, v in headers if k.lower() != b"content-encoding"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        if truncate and len(body) > 1:
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            if drop_connection(receive):
                await _settle()
                return
        await self._send_body(send, body)

    def _throttled(self, receive: Receive) -> Receive:
        if not self.spec.bandwidth:
            return receive

        async def slow_receive() -> Message:
            message = await receive()
            await asyncio.sleep(len(message.get("body", b"")) / self.spec.bandwidth)
            return message

        return slow_receive

    async def _send_body(self, send: Send, body: bytes) -> None:
        if not self.spec.bandwidth:
            await send({"type": "http.response.body", "body": body})
            return
        chunk = max(1, int(self.spec.bandwidth / 20))  # 50 ms worth per write
        for i in range(0, len(body), chunk):
            await send(
                {"type": "http.response.body", "body": body[i : i + chunk], "more_body": True}
            )
            await asyncio.sleep(len(body[i : i + chunk]) / self.spec.bandwidth)
        await send({"type": "http.response.body", "body": b""})


async def _settle() -> None:
    # Let uvicorn see the connection is gone, so it does not try to answer 500 on it.
    for _ in range(3):
        await asyncio.sleep(0)


async def _refuse(send: Send, status: int, retry_after: int, key: str) -> None:
    body = error_body("overloaded" if status == 503 else "throttled", key)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(retry_after).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
