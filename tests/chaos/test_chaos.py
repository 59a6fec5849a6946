"""Chaos: vouchers through a faulty sandbox treasury on 127.0.0.1, a killed sender, a bad link.

Each test ends the same way: the treasury holds exactly the desk's documents (no 409, nothing
refused), the outbox is empty, and every voucher's final status reached the desk.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from proxy import LinkProxy
from signed_desk import TOKEN, UNIT, SigningKit
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.client import Timeouts, TreasuryClient
from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.clock import Backoff, SystemClock
from treasury_desktop.domain.workflow import FINAL, VoucherState
from treasury_desktop.outbox.adapter import ClientPort
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.sandbox.faults import parse_faults
from treasury_desktop.sandbox.server import RunningSandbox, running_sandbox
from treasury_desktop.store import outbox as store
from treasury_desktop.store.db import connect
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.usecases.queueing import QueueService

FAULTS = ("reset_before=0.05,reset_after_commit=0.05,status429=0.04,status503=0.04,"
          "retry_after=1,truncate=0.04,garbage=0.02")
FAST = Timeouts(connect=3, read=10, write=10, pool=10)


def queued_desk(db: Path, kit: SigningKit, count: int) -> list[str]:
    conn = connect(db)
    try:
        ids = seed_signed(conn, count, sign=kit.sign)
        QueueService(conn, ACTOR, SystemClock().now, verify=trust_test_signatures).queue(ids)
    finally:
        conn.close()
    return ids


def port_for(url: str, batch: int = 20) -> ClientPort:
    return ClientPort(TreasuryClient(url, UNIT, TOKEN, timeouts=FAST), batch_size=batch)


def sync_until_final(db: Path, url: str, ids: list[str], deadline: float = 60.0) -> None:
    port = port_for(url)
    sync = StatusSync(lambda: connect(db), port, UNIT, actor=ACTOR)
    conn = connect(db)
    try:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            sync.pull()
            if all(s in FINAL for s in statuses(conn, ids).values()):
                return
            time.sleep(0.2)
        raise AssertionError("statuses did not all become final")
    finally:
        conn.close()
        sync.close()
        port.close()


def statuses(conn: sqlite3.Connection, ids: list[str]) -> dict[str, VoucherState]:
    rows = conn.execute("SELECT id, status FROM vouchers")
    found = {r[0]: VoucherState(r[1]) for r in rows}
    return {i: found[i] for i in ids}


def assert_exactly_once(sandbox: RunningSandbox, db: Path, ids: list[str]) -> None:
    with sandbox.state.store.transaction() as server:
        held = {r[0] for r in server.execute("SELECT id FROM documents WHERE unit = ?", (UNIT,))}
        last = {r[0]: r[1] for r in server.execute(
            "SELECT id, status FROM events WHERE seq IN"
            " (SELECT max(seq) FROM events WHERE unit = ? GROUP BY id)", (UNIT,))}
    assert held == set(ids), "the treasury holds exactly the desk's vouchers"
    conn = connect(db)
    try:
        counts = store.counts(conn)
        assert counts[ItemState.PENDING] == counts[ItemState.IN_FLIGHT] == 0
        assert counts[ItemState.REFUSED] == 0 and counts[ItemState.DELIVERED] == len(ids)
        outcomes = {r[0] for r in conn.execute("SELECT DISTINCT outcome FROM outbox")}
        assert outcomes <= {"created", "replayed"}, "no 409, no 422"
        desk = statuses(conn, ids)
        assert {i: s.value for i, s in desk.items()} == {i: last[i] for i in ids}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.parametrize("batch", [1, 20], ids=["put", "batch"])
def test_300_vouchers_through_resets_throttling_and_truncated_answers(
    kit: SigningKit, tmp_path: Path, batch: int
) -> None:
    db = tmp_path / "desk.sqlite3"
    ids = queued_desk(db, kit, 300)
    with running_sandbox(kit.sandbox_config(), faults=parse_faults(FAULTS), seed=11) as sandbox:
        port = port_for(sandbox.url, batch)
        sender = Sender(lambda: connect(db), port, actor=ACTOR, concurrency=4,
                        backoff=Backoff(base=0.05, cap=0.5), rng=random.Random(3))
        try:
            summary = sender.run(until_empty=True)
        finally:
            sender.close()
            port.close()
        assert summary.count(ItemState.DELIVERED) == 300
        assert summary.count(ItemState.PENDING) > 0, "the faults were felt"
        sync_until_final(db, sandbox.url, ids)
        assert_exactly_once(sandbox, db, ids)


def _delivered(db: Path) -> int:
    conn = connect(db)
    try:
        return store.counts(conn)[ItemState.DELIVERED]
    finally:
        conn.close()


def _outbox_run(data_dir: Path, url: str, batch: int = 20) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TREASURY_API_TOKEN": TOKEN, "TREASURY_DESKTOP_HOME": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "treasury_desktop", "--data-dir", str(data_dir), "outbox", "run",
         "--until-empty", "--server", url, "--backoff-cap", "0.5", "--batch", str(batch)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_sender_killed_with_sigkill_during_delivery(kit: SigningKit, tmp_path: Path) -> None:
    data_dir = tmp_path / "home"
    data_dir.mkdir()
    db = data_dir / "treasury.sqlite3"
    ids = queued_desk(db, kit, 300)
    faults = parse_faults("latency=200ms,reset_after_commit=0.03,status503=0.03,retry_after=1")
    rng = random.Random(42)
    with running_sandbox(kit.sandbox_config(), faults=faults, seed=12) as sandbox:
        conn = connect(db)
        save_connection(ProfileStore(conn), Connection(sandbox.url, UNIT))
        conn.close()
        kills = 0
        while kills < 10:
            before = _delivered(db)
            assert before < 300, f"delivery ended after {kills} kills"
            # single PUTs, then small batches: killed mid-request and mid-batch
            child = _outbox_run(data_dir, sandbox.url, batch=1 if kills < 7 else 3)
            _wait(lambda: _delivered(db) > before or child.poll() is not None, 30)  # noqa: B023
            time.sleep(rng.uniform(0.0, 0.4))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait()
            assert child.stderr is not None
            child.stderr.close()
        final = _outbox_run(data_dir, sandbox.url)
        _, err = final.communicate(timeout=120)
        assert final.returncode == 0, err.decode()
        sync_until_final(db, sandbox.url, ids)
        assert_exactly_once(sandbox, db, ids)
        conn = connect(db)
        try:
            resent = conn.execute(
                "SELECT count(*) FROM outbox WHERE maybe_committed = 1").fetchone()[0]
        finally:
            conn.close()
        assert resent > 0, "some items were in flight when the sender was killed"


@pytest.mark.parametrize(("batch", "reset_every"), [(1, 15_000), (8, 3_000)])
def test_through_a_slow_lossy_link(kit: SigningKit, tmp_path: Path, batch: int,
                                   reset_every: int) -> None:
    db = tmp_path / "desk.sqlite3"
    ids = queued_desk(db, kit, 40)
    with running_sandbox(kit.sandbox_config(), seed=13) as sandbox:
        upstream = int(sandbox.url.rsplit(":", 1)[1])
        with LinkProxy(upstream, latency=0.3, bandwidth=32_000, reset_every=reset_every,
                       seed=5) as link:
            port = ClientPort(TreasuryClient(link.url, UNIT, TOKEN, timeouts=FAST),
                              batch_size=batch)
            sender = Sender(lambda: connect(db), port, actor=ACTOR, concurrency=4,
                            backoff=Backoff(base=0.1, cap=1.0), rng=random.Random(4))
            try:
                summary = sender.run(until_empty=True)
            finally:
                sender.close()
                port.close()
            assert summary.count(ItemState.DELIVERED) == 40
            assert link.stats.resets > 0
            sync_until_final(db, link.url, ids)
        assert_exactly_once(sandbox, db, ids)


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.02)
