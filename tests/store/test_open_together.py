"""Four processes opening one file at the same moment (a new file, an old one to upgrade)
all succeed; the data folder and files are private; OS failures are one plain sentence."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests_harsh import run, voucher_lines, write_lines

from treasury_desktop.store.db import connect, latest_version, schema_version

FIXTURES = Path(__file__).parent / "fixtures"
_OPEN = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from treasury_desktop.store.db import connect, schema_version\n"
    "start = float(sys.argv[2])\n"
    "time.sleep(max(0.0, start - time.time()))\n"
    "conn = connect(Path(sys.argv[1]))\n"
    "print(schema_version(conn), conn.execute('SELECT count(*) FROM vouchers').fetchone()[0])\n"
    "conn.close()\n"
)


def _open_together(path: Path, count: int = 4) -> list[subprocess.CompletedProcess[str]]:
    start = f"{time.time() + 1.5:.3f}"  # every child is imported and waiting by then
    children = [
        subprocess.Popen([sys.executable, "-c", _OPEN, str(path), start],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    return [
        subprocess.CompletedProcess(c.args, c.wait(60), *c.communicate()) for c in children
    ]


def test_four_first_opens_of_a_new_file_all_succeed(tmp_path: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"new-{attempt}.sqlite3"
        results = _open_together(path)
        assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
        assert {r.stdout.strip() for r in results} == {f"{latest_version()} 0"}
        assert not list(tmp_path.glob(".*.new*"))  # no half-built file left behind


@pytest.mark.parametrize("version", [1, latest_version() - 1])
def test_four_first_opens_of_an_old_file_all_succeed(version: int, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{version}.db", path)
    results = _open_together(path)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert {r.stdout.strip() for r in results} == {f"{latest_version()} 1"}


_HOLD = (
    "import sqlite3, sys, time\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN IMMEDIATE')\n"
    "conn.execute('UPDATE vouchers SET rowid = rowid')\n"
    "print('held', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
    "conn.execute('COMMIT')\n"
)


def test_an_old_file_written_by_another_program_at_that_moment_is_waited_for(
    tmp_path: Path,
) -> None:
    """Switching an old (rollback-journal) file to WAL while another process writes it: SQLite
    answers "locked" at once there, without its busy timeout, so the app waits itself."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{latest_version() - 1}.db", path)
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(path), "0.8"],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        conn = connect(path)
        try:
            assert schema_version(conn) == latest_version()
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()
        assert holder.wait(30) == 0


@pytest.mark.skipif(os.name != "posix", reason="Linux permissions")
def test_the_data_folder_and_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(2))
    assert run(home, "voucher", "import", str(source)).returncode == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for path in [home / "treasury.sqlite3", *(home / "backups").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # An existing, open folder and file are tightened on the next start, never loosened.
    home.chmod(0o755)
    (home / "treasury.sqlite3").chmod(0o644)
    assert run(home, "voucher", "list").returncode == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "treasury.sqlite3").stat().st_mode) == 0o600


def test_a_data_path_that_is_a_file_is_one_sentence(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    for home in (not_a_folder, not_a_folder / "below"):
        result = run(home, "--lang", "en", "voucher", "list")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "is a file, not a folder" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_database_locked_past_its_timeout_is_one_sentence(data_dir: Path, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(1))
    assert run(data_dir, "voucher", "import", str(source)).returncode == 0
    other = write_lines(tmp_path / "other.jsonl", voucher_lines(1, start=5))
    holder = sqlite3.connect(data_dir / "treasury.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        result = run(data_dir, "--lang", "en", "voucher", "import", str(other))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "held by another program" in result.stderr, result.stderr
    assert result.stdout == ""  # nothing stored, nothing claimed
    listed = run(data_dir, "voucher", "list", "--json")
    assert len(listed.stdout.splitlines()) == 1
