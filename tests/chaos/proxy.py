"""An application-level TCP proxy that plays a bad link: latency, a bandwidth cap, resets.

This kernel has no netem (FACTS.md), so the link is simulated between two sockets on 127.0.0.1.
Each direction is one shared link: bytes queue behind each other at ``bandwidth`` bytes/s, then
arrive ``latency`` seconds later. A connection is reset (RST) after a random number of bytes
(exponential, mean ``reset_every``).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

SEGMENT = 1460  # bytes timed as one packet


@dataclass
class LinkStats:
    """What crossed the link."""

    connections: int = 0
    resets: int = 0
    bytes_up: int = 0
    bytes_down: int = 0


@dataclass
class _Direction:
    free_at: float = 0.0  # when the link finishes sending what is queued


@dataclass
class LinkProxy:
    """``with LinkProxy(port, latency=0.3, bandwidth=32_000) as proxy: proxy.url``."""

    upstream_port: int
    latency: float = 0.0  # seconds, each way
    bandwidth: float = 0.0  # bytes per second, each way; 0 = unlimited
    reset_every: float = 0.0  # mean bytes a connection carries before a reset; 0 = never
    seed: int = 0
    upstream_host: str = "127.0.0.1"
    stats: LinkStats = field(default_factory=LinkStats)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._up, self._down = _Direction(), _Direction()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="link-proxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LinkProxy:
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening, cut every connection, end the thread."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._loop.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            self._loop.run_until_complete(self._server.wait_closed())
            with contextlib.suppress(Exception):
                self._loop.run_until_complete(
                    asyncio.gather(*self._tasks, return_exceptions=True))
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.stats.connections += 1
        try:
            u_reader, u_writer = await asyncio.open_connection(self.upstream_host,
                                                               self.upstream_port)
        except OSError:
            c_writer.close()
            self._tasks.discard(task)
            return
        await asyncio.sleep(2 * self.latency)  # the TCP handshake's round trip
        budget = [int(self._rng.expovariate(1 / self.reset_every)) if self.reset_every else -1]
        writers = (c_writer, u_writer)
        try:
            await asyncio.gather(
                self._pipe(c_reader, u_writer, self._up, budget, writers, up=True),
                self._pipe(u_reader, c_writer, self._down, budget, writers, up=False),
            )
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for writer in writers:
                writer.close()
            self._tasks.discard(task)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    link: _Direction, budget: list[int],
                    writers: tuple[asyncio.StreamWriter, ...], *, up: bool) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, data = await queue.get()
                if not data:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                delay = at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        try:
            while data := await reader.read(65536):
                if budget[0] >= 0:
                    budget[0] -= len(data)
                    if budget[0] < 0:
                        self.stats.resets += 1
                        for w in writers:
                            _reset(w)
                        return
                if up:
                    self.stats.bytes_up += len(data)
                else:
                    self.stats.bytes_down += len(data)
                for i in range(0, len(data), SEGMENT):
                    part = data[i:i + SEGMENT]
                    now = time.monotonic()
                    if self.bandwidth:
                        link.free_at = max(link.free_at, now) + len(part) / self.bandwidth
                        sent = link.free_at
                    else:
                        sent = now
                    queue.put_nowait((sent + self.latency, part))
            queue.put_nowait((0.0, b""))
            await sender
        finally:
            sender.cancel()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
