"""The sandbox's door against abusive connections: oversize bodies get a readable 413, unit
codes cannot be probed, idle and slow-header connections are closed, a PUT is JSON, a request
with two lengths is refused, request heads are capped."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from treasury_sandbox_world import OTHER_TOKEN, TOKEN, UNIT

from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox

DOC = "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"


@pytest.fixture
def quick(world) -> Iterator[RunningSandbox]:
    """A sandbox that closes a connection after 0.5 s without a whole request head."""
    sandbox = start_sandbox(world.config, head_timeout=0.5)
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _connect(sandbox: RunningSandbox) -> socket.socket:
    host, port = sandbox.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def test_an_oversize_body_gets_a_readable_413(sandbox) -> None:
    body = b'{"document": "' + b"9" * 12_000_000 + b'"}'
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        answer = http.put(f"/v1/units/{UNIT}/documents/{DOC}", content=body,
                          headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"


def test_an_unknown_unit_and_an_uncovered_one_answer_alike(sandbox) -> None:
    with httpx.Client(base_url=sandbox.url) as http:
        unknown = http.get("/v1/units/1234567/signers",
                           headers={"Authorization": f"Bearer {TOKEN}"})
        uncovered = http.get(f"/v1/units/{UNIT}/signers",
                             headers={"Authorization": f"Bearer {OTHER_TOKEN}"})
    assert unknown.status_code == uncovered.status_code == 403
    assert unknown.json()["code"] == uncovered.json()["code"]
    assert unknown.json()["message"].replace("1234567", UNIT) == uncovered.json()["message"]


def test_a_put_must_be_json(sandbox) -> None:
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        answer = http.put(f"/v1/units/{UNIT}/documents/{DOC}", content=b"{}",
                          headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415 and answer.json()["code"] == "unsupported_media_type"


def test_idle_connections_are_closed(quick: RunningSandbox) -> None:
    idle = [_connect(quick) for _ in range(20)]
    started = time.monotonic()
    assert all(_closed_within(sock, 5) for sock in idle)
    assert time.monotonic() - started < 5
    for sock in idle:
        sock.close()


def test_a_slow_request_head_is_closed(quick: RunningSandbox) -> None:
    sock = _connect(quick)
    head = f"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: {'y' * 100}\r\n\r\n".encode()
    started = time.monotonic()
    try:
        for byte in head:
            sock.sendall(bytes([byte]))
            time.sleep(0.05)
    except OSError:
        pass  # closed under our feet: what we want
    assert _closed_within(sock, 5) and time.monotonic() - started < 3.5
    sock.close()


def test_a_connection_is_idle_after_its_answer_too(quick: RunningSandbox) -> None:
    sock = _connect(quick)
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    sock.sendall(b"GET /v1/heal")  # the next head, never finished
    assert _closed_within(sock, 3)
    sock.close()


def test_two_lengths_are_refused(sandbox) -> None:
    sock = _connect(sandbox)
    sock.sendall(f"PUT /v1/units/{UNIT}/documents/{DOC} HTTP/1.1\r\nHost: x\r\n"
                 f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
                 "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "2\r\n{}\r\n0\r\n\r\n".encode())
    answer = sock.recv(65536)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400")


def test_request_heads_are_capped(sandbox) -> None:
    sock = _connect(sandbox)
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n"
                 + b"".join(b"X-H%d: %s\r\n" % (n, b"z" * 200) for n in range(400)) + b"\r\n")
    answer = sock.recv(65536)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 4")
