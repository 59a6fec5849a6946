"""``backup [run | list | restore]`` as support staff run it: a real process, real files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "treasury_desktop", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )


def test_backup_then_restore_brings_back_what_was_there(
    data_dir: Path, example_file: Path, tmp_path: Path
) -> None:
    assert run(data_dir, "voucher", "new", "--json", str(example_file)).returncode == 0
    folder = tmp_path / "usb"
    taken = run(data_dir, "backup", "--folder", str(folder))
    assert taken.returncode == 0, taken.stderr
    again = run(data_dir, "backup", "--folder", str(folder), "run", "--if-due")
    assert again.returncode == 0 and again.stdout == "", "one backup a day is enough"
    listed = run(data_dir, "backup", "--folder", str(folder), "list", "--json")
    backups = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(backups) == 1
    db = data_dir / "treasury.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM profile")  # a change made after the backup
    conn.commit()
    conn.close()
    restored = run(data_dir, "backup", "restore", backups[0]["path"])
    assert restored.returncode == 0, restored.stderr
    assert "before-restore-" in restored.stdout
    shown = run(data_dir, "voucher", "list", "--json")
    assert len(shown.stdout.splitlines()) == 1


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(
    data_dir: Path, example_file: Path, tmp_path: Path
) -> None:
    assert run(data_dir, "voucher", "new", "--json", str(example_file)).returncode == 0
    db = data_dir / "treasury.sqlite3"
    before = db.read_bytes()
    junk = tmp_path / "treasury-20261201-080000.sqlite3"
    junk.write_text("this is a spreadsheet, not a database", encoding="utf-8")
    done = run(data_dir, "backup", "restore", str(junk))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "không bị thay đổi" in done.stderr
    assert db.read_bytes() == before
