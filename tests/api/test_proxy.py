"""The office's proxy from the settings carries the treasury's requests (and only then)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.errors import ApiError


class RecordingProxy:
    """An HTTP proxy that writes down each request line and answers 502 (no upstream)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                self.lines.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    running = RecordingProxy()
    yield running
    running.close()


def test_requests_go_through_the_configured_proxy(proxy: RecordingProxy) -> None:
    server = "http://127.0.0.1:9"  # nothing listens here: only the proxy can answer
    with TreasuryClient(server, "1171277", "desk-credential", proxy=proxy.url) as client, \
            pytest.raises(ApiError):
        client.signers()
    assert proxy.lines, "the request never reached the proxy"
    assert proxy.lines[0].startswith("GET http://127.0.0.1:9/v1/units/1171277/")


def test_no_proxy_configured_means_a_direct_connection(
    proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with TreasuryClient("http://127.0.0.1:9", "1171277", "desk-credential") as client, \
            pytest.raises(ApiError):
        client.signers()
    assert proxy.lines == []
