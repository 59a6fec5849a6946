"""A draft survives the process being killed at any moment (a real SIGKILL)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from treasury_desktop.store.db import connect
from treasury_desktop.store.vouchers import SqliteVoucherRepository

CHILD = Path(__file__).with_name("autosave_child.py")


def _run_and_kill(folder: Path, after_saves: int, extra_delay: float) -> list[tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    reported: list[tuple[str, int]] = []
    try:
        while len(reported) < after_saves:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError("child stopped early: " + proc.stderr.read())
            voucher_id, seq = line.split()
            reported.append((voucher_id, int(seq)))
        time.sleep(extra_delay)  # kill somewhere inside a later save
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # Saves that returned before the kill may still sit in the pipe.
        for line in proc.stdout.read().splitlines():
            voucher_id, seq = line.split()
            reported.append((voucher_id, int(seq)))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return reported


def test_every_returned_save_survives_sigkill(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    for round_ in range(6):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        reported = _run_and_kill(folder, rng.randint(5, 120), rng.uniform(0, 0.05))
        conn = connect(folder / "treasury.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            repo = SqliteVoucherRepository(conn)
            last_seq: dict[str, int] = {}
            for voucher_id, seq in reported:
                last_seq[voucher_id] = seq
            for voucher_id, seq in last_seq.items():
                stored = repo.get(voucher_id)
                assert stored is not None, f"save {seq} of {voucher_id} was lost"
                assert int(stored.voucher.number) >= seq
        finally:
            conn.close()
        raw = sqlite3.connect(folder / "treasury.sqlite3")
        try:
            fts = raw.execute("INSERT INTO vouchers_fts(vouchers_fts) VALUES('integrity-check')")
            assert fts is not None
        finally:
            raw.close()
