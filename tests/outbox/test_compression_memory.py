"""A treasury that takes no compressed bodies is remembered in the data folder: after a restart
(a second ``outbox run`` process) not one more compressed request is sent to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from misbehaving import UNIT, Request, Server, echo, send_json, treasury
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop import paths
from treasury_desktop.api.connection import (
    NO_COMPRESSION_KEY,
    CompressionRefusals,
    Connection,
    save_connection,
)
from treasury_desktop.store.db import connect
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.usecases.queueing import QueueService


def refuses_gzip(request: Request, conn: socket.socket) -> None:
    if request.headers.get("content-encoding") == "gzip":
        send_json(conn, 415, {"code": "unsupported_encoding", "message": "no gzip"},
                  headers={"Accept-Encoding": "identity"})
    else:
        send_json(conn, 201, echo(request.json()["document"]))


def large_cms(data: bytes) -> bytes:
    """Not a CMS, but as large as a real one (a body above the gzip threshold)."""
    return b"CMS:" + bytes(3000)


def queue_two(data_dir: Path, start: int) -> None:
    conn = connect(paths.database_path(data_dir))
    try:
        ids = seed_signed(conn, 2, sign=large_cms, start=start)
        QueueService(conn, ACTOR, lambda: datetime.now(UTC), verify=trust_test_signatures).queue(
            ids)
    finally:
        conn.close()


def outbox_run(data_dir: Path) -> None:
    env = {**os.environ, "TREASURY_API_TOKEN": "token", "TREASURY_DESKTOP_HOME": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "treasury_desktop", "--data-dir", str(data_dir), "--lang", "en",
         "outbox", "run", "--until-empty", "--timeout", "30"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_server_refusing_compressed_bodies_is_remembered_across_processes(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "home"
    data_dir.mkdir()
    handler = treasury(refuses_gzip, ("documents", "gzip-requests"))
    with Server(handler) as server:
        conn = connect(paths.database_path(data_dir))
        save_connection(ProfileStore(conn), Connection(server.url, UNIT))
        conn.close()
        queue_two(data_dir, 1)
        outbox_run(data_dir)
        first = [r for r in server.requests if r.method == "PUT"]
        encodings = [r.headers.get("content-encoding") for r in first]
        # two senders in parallel may both try gzip before the first 415 comes back
        assert encodings.count("gzip") >= 1 and encodings.count(None) == 2

        queue_two(data_dir, 3)
        outbox_run(data_dir)  # a new process: its in-memory knowledge starts empty
        second = [r for r in server.requests if r.method == "PUT"][len(first):]
    assert len(second) == 2
    assert all("content-encoding" not in r.headers for r in second)
    conn = connect(paths.database_path(data_dir))
    try:
        assert ProfileStore(conn).get(NO_COMPRESSION_KEY) == [server.url]
    finally:
        conn.close()


def test_the_memory_is_per_server(tmp_path: Path) -> None:
    conn = connect(tmp_path / "desk.sqlite3")
    try:
        CompressionRefusals(ProfileStore(conn)).remember_refusal("https://a.example")
        again = CompressionRefusals(ProfileStore(conn))
        assert again.refuses("https://a.example")
        assert not again.refuses("https://b.example")
    finally:
        conn.close()
