"""Backups: consistent while a writer is busy, kept to 30, restored only when whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from treasury_desktop.store.backup import (
    BackupError,
    BackupProblem,
    backup_due,
    list_backups,
    restore_backup,
    take_backup,
)
from treasury_desktop.store.db import connect

WRITER = Path(__file__).with_name("autosave_child.py")
NOW = datetime(2026, 12, 3, 9, 30, 0)


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _voucher_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM vouchers").fetchone()[0])
    finally:
        conn.close()


def test_a_backup_taken_while_a_writer_is_busy_restores_whole(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    database = desk / "treasury.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(desk)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert writer.stdout is not None and writer.stderr is not None
    try:
        for _ in range(20):  # the writer has saved a few drafts before the first backup
            assert writer.stdout.readline(), writer.stderr.read()
        taken = []
        for i in range(3):
            taken.append(take_backup(database, tmp_path / "backups", NOW + timedelta(seconds=i)))
            assert writer.poll() is None, "the writer kept writing through the backup"
            time.sleep(0.05)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
        writer.stderr.close()
    for backup in taken:
        assert _integrity(backup.path) == "ok"
        assert backup.path.stat().st_mode & 0o777 == 0o600
        assert _voucher_count(backup.path) >= 1
    restored = tmp_path / "restored" / "treasury.sqlite3"
    restored.parent.mkdir()
    restore_backup(taken[-1].path, restored, NOW)
    assert _integrity(restored) == "ok"
    connect(restored).close()  # the app opens it as its own
    assert _voucher_count(restored) >= 1


def test_the_newest_thirty_are_kept_and_one_a_day_is_due(tmp_path: Path) -> None:
    database = tmp_path / "treasury.sqlite3"
    connect(database).close()
    folder = tmp_path / "backups"
    assert backup_due(folder, NOW.date())
    for day in range(35):
        take_backup(database, folder, NOW - timedelta(days=34 - day))
    kept = list_backups(folder)
    assert len(kept) == 30
    assert kept[0].taken_at == NOW and kept[-1].taken_at == NOW - timedelta(days=29)
    assert not backup_due(folder, NOW.date())
    assert backup_due(folder, date(2026, 12, 4))
    assert not list(folder.glob("*.part"))


def test_restore_keeps_the_current_database_aside(tmp_path: Path) -> None:
    database = tmp_path / "treasury.sqlite3"
    connect(database).close()
    backup = take_backup(database, tmp_path / "backups", NOW)
    conn = sqlite3.connect(database)
    conn.execute("INSERT INTO profile (key, value) VALUES ('after', '1')")
    conn.commit()
    conn.close()
    aside = restore_backup(backup.path, database, NOW + timedelta(hours=1))
    assert (aside / "treasury.sqlite3").exists()
    conn = sqlite3.connect(aside / "treasury.sqlite3")
    assert conn.execute("SELECT value FROM profile WHERE key='after'").fetchone() == ("1",)
    conn.close()
    conn = sqlite3.connect(database)
    assert conn.execute("SELECT value FROM profile WHERE key='after'").fetchone() is None
    conn.close()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_bytes(b"not a database at all" * 100), BackupProblem.UNREADABLE),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(),
         BackupProblem.NOT_OURS),
    ],
)
def test_a_bad_backup_is_refused_and_nothing_moves(tmp_path: Path, make, problem) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "treasury.sqlite3"
    connect(database).close()
    before = database.read_bytes()
    bad = tmp_path / "treasury-20261201-080000.sqlite3"
    make(bad)
    with pytest.raises(BackupError) as raised:
        restore_backup(bad, database, NOW)
    assert raised.value.problem is problem
    assert database.read_bytes() == before
    assert not list(tmp_path.glob("before-restore-*"))


def test_a_byte_flipped_backup_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "treasury.sqlite3"
    conn = connect(database)
    conn.execute("CREATE TABLE filler (x)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 200,)] * 2000)
    conn.close()
    backup = take_backup(database, tmp_path / "backups", NOW)
    raw = bytearray(backup.path.read_bytes())
    for offset in range(8192, len(raw) - 4096, 4096):  # damage page contents, not the header
        raw[offset + 100 : offset + 140] = b"\xff" * 40
    backup.path.write_bytes(bytes(raw))
    with pytest.raises(BackupError) as raised:
        restore_backup(backup.path, database, NOW)
    assert raised.value.problem in (BackupProblem.DAMAGED, BackupProblem.UNREADABLE)
