"""One exchange with the treasury, bounded: an overall deadline and a cap on the answer's size.

httpx bounds each read, not the whole exchange: a server that trickles a byte a second keeps
a call alive for ever, and an endless (or gzip-bomb) answer fills the memory. Here

- every socket read and write of the calling thread is cut to what is left of its deadline (a
  network backend that wraps httpcore's own), so a trickle of headers or body ends in time;
- the body is read raw and inflated here, at most ``cap`` bytes after decompression, so neither
  an endless body nor a small bomb ever grows past the cap.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

_local = threading.local()


def _left() -> float | None:
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the exchange went past its deadline")
    return left


def _cut(timeout: float | None) -> float | None:
    left = _left()
    if left is None:
        return timeout
    return left if timeout is None else min(timeout, left)


@contextlib.contextmanager
def deadline(at: float) -> Iterator[None]:
    """Bound the calling thread's socket reads and writes to ``time.monotonic() <= at``."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = at if previous is None else min(at, previous)
    try:
        yield
    finally:
        _local.deadline = previous


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cut(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cut(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _cut(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every wait cut to the calling thread's deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _cut(timeout), local_address,
                                               socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _cut(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (HTTPS_PROXY, NO_PROXY …), if any.

    httpx reads these only for transports it makes itself; ours is made here.
    """
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if not proxies or not parts.hostname or urllib.request.proxy_bypass(parts.hostname):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")


def bounded_transport(
    verify: Any, limits: httpx.Limits, proxy: str | None = None
) -> httpx.HTTPTransport:
    """httpx's HTTP/1.1 + HTTP/2 transport on the deadline backend (through ``proxy``)."""
    transport = httpx.HTTPTransport(verify=verify, http2=True, limits=limits, proxy=proxy)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = DeadlineBackend()  # httpx offers no public hook for it
    return transport


class AnswerTooLarge(Exception):
    """The answer grew past the cap (after decompression)."""


class BadEncoding(Exception):
    """The answer's Content-Encoding is not one this client asked for, or does not inflate."""


def _inflater(encoding: str) -> Any:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise BadEncoding(encoding)


def read_bounded(response: httpx.Response, cap: int, until: float) -> httpx.Response:
    """The answer read whole into a new response (decoded, without Content-Encoding), at most
    ``cap`` bytes after decompression and before ``until`` (monotonic); the stream is closed."""
    if response.is_stream_consumed:  # an in-memory transport (tests) read it already
        if len(response.content) > cap:
            raise AnswerTooLarge()
        return response
    try:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        inflater = _inflater(encoding)
        chunks: list[bytes] = []
        size = 0
        for raw in response.iter_raw(16384):
            if time.monotonic() > until:
                raise httpx.ReadTimeout("the answer went past its deadline",
                                        request=response.request)
            piece = raw
            if inflater is not None:
                try:
                    piece = inflater.decompress(raw, cap + 1 - size)
                except zlib.error as error:
                    raise BadEncoding(encoding) from error
                if inflater.unconsumed_tail:
                    raise AnswerTooLarge()
            size += len(piece)
            if size > cap:
                raise AnswerTooLarge()
            chunks.append(piece)
    finally:
        response.close()
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
    return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks),
                          request=response.request)
