"""The audit log is a hash chain: an edit made with the sqlite3 tool shows, on open and in
``treasury-desktop audit verify``, which names the entry where the chain breaks."""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from tests_harsh import run, voucher_lines, write_lines

from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.audit_chain import GENESIS, entry_hash, verify_chain
from treasury_desktop.store.db import connect, latest_version

FIXTURES = Path(__file__).parent / "fixtures"


def _folder_with_history(data_dir: Path, tmp_path: Path) -> Path:
    """Three vouchers imported, one of them edited through the app (four entries or more)."""
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(3))
    assert run(data_dir, "voucher", "import", str(source)).returncode == 0
    return data_dir / "treasury.sqlite3"


def _sqlite3_tool(database: Path, sql: str) -> None:
    tool = shutil.which("sqlite3")
    if tool is None:
        pytest.skip("the sqlite3 command-line tool is not installed")
    subprocess.run([tool, str(database), sql], check=True, capture_output=True, timeout=30)


def test_an_intact_log_verifies_and_prints_its_head(data_dir: Path, tmp_path: Path) -> None:
    database = _folder_with_history(data_dir, tmp_path)
    result = run(data_dir, "--lang", "en", "audit", "verify")
    assert result.returncode == 0, result.stderr
    conn = connect(database)
    report = verify_chain(conn)
    conn.close()
    assert report.intact and report.entries == 3
    assert f"{report.entries} entries" in result.stdout and report.head in result.stdout


@pytest.mark.parametrize(
    ("sql", "where"),
    [
        ("DROP TRIGGER audit_no_update; UPDATE audit_log SET os_user = 'someone' WHERE seq = 2;",
         "entry 2 "),
        ("DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 2;", "entry 3 "),
        ("DROP TRIGGER audit_no_update; UPDATE audit_log SET entry_hash = NULL WHERE seq = 1;",
         "entry 1 "),
        ("INSERT INTO audit_log (seq, at, os_user, role, action) VALUES"
         " (10, '2026-01-01', 'x', 'accountant', 'create');", "entry 10 "),
    ],
    ids=["rewritten", "deleted", "unsealed", "inserted"],
)
def test_an_edit_with_the_sqlite3_tool_is_found(
    data_dir: Path, tmp_path: Path, sql: str, where: str
) -> None:
    database = _folder_with_history(data_dir, tmp_path)
    _sqlite3_tool(database, sql)
    verify = run(data_dir, "--lang", "en", "audit", "verify")
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    assert where in verify.stderr, verify.stderr
    # The app refuses to work on the file until it is restored.
    listed = run(data_dir, "--lang", "en", "voucher", "list")
    assert listed.returncode == 1 and where in listed.stderr, listed.stderr


def test_removing_the_newest_entries_of_a_voucher_is_found(
    data_dir: Path, tmp_path: Path
) -> None:
    database = _folder_with_history(data_dir, tmp_path)
    conn = connect(database)
    victim = conn.execute("SELECT voucher_id FROM audit_log WHERE seq = 3").fetchone()[0]
    conn.close()
    # The tail of the chain goes, and the voucher's content is changed to match nothing.
    _sqlite3_tool(
        database,
        "DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 3;"
        f" UPDATE vouchers SET content_hash = 'forged' WHERE id = '{victim}';",
    )
    verify = run(data_dir, "--lang", "en", "audit", "verify")
    assert verify.returncode == 1 and victim in verify.stderr, verify.stderr


def test_the_user_is_the_os_account_not_the_environment(data_dir: Path, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "one.jsonl", voucher_lines(1))
    fake = {"USER": "mallory", "LOGNAME": "mallory", "USERNAME": "mallory"}
    assert run(data_dir, "voucher", "import", str(source), env=fake).returncode == 0
    conn = connect(data_dir / "treasury.sqlite3")
    (entry,) = audit_entries(conn)
    conn.close()
    assert entry.os_user == pwd.getpwuid(os.getuid()).pw_name != "mallory"


@pytest.mark.parametrize("version", range(1, latest_version()))
def test_an_upgraded_log_is_chained_in_its_old_order(version: int, tmp_path: Path) -> None:
    target = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{version}.db", target)
    raw = sqlite3.connect(target)
    old = raw.execute(
        "SELECT seq, at, os_user, role, voucher_id, action, detail, hash_before, hash_after"
        " FROM audit_log ORDER BY seq"
    ).fetchall()
    raw.close()
    conn = connect(target)
    report = verify_chain(conn)
    rows = conn.execute("SELECT prev_hash, entry_hash FROM audit_log ORDER BY seq").fetchall()
    conn.close()
    assert old and report.intact and report.entries == len(old)
    previous = GENESIS
    for fields, (prev, own) in zip(old, rows, strict=True):
        assert prev == previous and own == entry_hash(previous, fields)
        previous = own
