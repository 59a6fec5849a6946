"""Every earlier schema version upgrades to the latest, keeping its data."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from treasury_desktop.store.db import DatabaseTooNew, connect, latest_version, schema_version
from treasury_desktop.store.records import VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_ID = "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"


def test_every_earlier_version_has_a_fixture() -> None:
    missing = [
        v for v in range(1, latest_version()) if not (FIXTURES / f"schema_v{v}.db").exists()
    ]
    assert not missing, f"run tests/store/make_fixtures.py {missing}"


@pytest.mark.parametrize("version", range(0, latest_version()))
def test_upgrade_from_version(version: int, tmp_path: Path) -> None:
    target = tmp_path / "db.sqlite3"
    if version:
        shutil.copy(FIXTURES / f"schema_v{version}.db", target)
    conn = connect(target)
    try:
        assert schema_version(conn) == latest_version()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        repo = SqliteVoucherRepository(conn)
        if version:
            stored = repo.get(EXAMPLE_ID)
            assert stored is not None
            assert stored.voucher.total == 1_234_000
            assert repo.count(VoucherQuery(text="dien luc")) == 1
    finally:
        conn.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "db.sqlite3"
    raw = sqlite3.connect(target)
    raw.execute(f"PRAGMA user_version={latest_version() + 1}")
    raw.close()
    with pytest.raises(DatabaseTooNew):
        connect(target)


def test_wal_and_foreign_keys(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        conn.close()
