"""HTTP for OCSP, CRLs and timestamps: short timeouts, no retries, one answer size limit.

Revocation and timestamp servers are plain HTTP by design (their answers are signed); a desk
behind a slow link must not wait long before it is told it is offline.
"""

from __future__ import annotations

import socket

import httpx

from treasury_desktop.signing.revocation import Unreachable

MAX_ANSWER_BYTES = 20_000_000  # a national CA's CRL can be large; nothing is larger


class HttpFetcher:
    """GET and POST of bytes over one pooled client; every failure is Unreachable."""

    def __init__(self, timeout: float = 5.0) -> None:
        self._timeout = timeout
        self._client: httpx.Client | None = None  # made on the first request

    def close(self) -> None:
        """Close the pooled connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str) -> bytes:
        """The body at ``url``."""
        return self._request("GET", url, None, None)

    def post(self, url: str, body: bytes, content_type: str) -> bytes:
        """POST ``body`` as ``content_type``; the answer's body."""
        return self._request("POST", url, body, content_type)

    def _request(
        self, method: str, url: str, body: bytes | None, content_type: str | None
    ) -> bytes:
        headers = {"Content-Type": content_type} if content_type else {}
        if self._client is None:
            # TCP_NODELAY: a POST goes out as headers then body; with Nagle's algorithm and
            # the server's delayed ACK that costs ~40 ms per timestamp.
            transport = httpx.HTTPTransport(
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
            self._client = httpx.Client(timeout=httpx.Timeout(self._timeout),
                                        follow_redirects=True, transport=transport)
        try:
            with self._client.stream(method, url, content=body, headers=headers) as response:
                if response.status_code != 200:
                    raise Unreachable(f"{url}: HTTP {response.status_code}")
                chunks = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise Unreachable(f"{url}: answer too large")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as error:
            raise Unreachable(f"{url}: {type(error).__name__}") from None
