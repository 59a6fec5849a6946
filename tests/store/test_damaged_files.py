"""A damaged database is refused with a plain message naming the backup, and never touched.

Real damage: a 0-byte file, a file truncated as an OS crash leaves it, bytes flipped inside a
b-tree page, a file of another kind; each checked through the command line in a child
process, and the file's bytes compared before and after.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from tests_harsh import run, voucher_lines, write_lines

from treasury_desktop.store.db import latest_version

EXAMPLE_FILE = Path(__file__).parents[1] / "data" / "design_example.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored_folder(data_dir: Path, tmp_path: Path, count: int = 30) -> Path:
    """A data folder with ``count`` vouchers, closed cleanly (so its daily backup exists)."""
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(count))
    result = run(data_dir, "voucher", "import", str(source))
    assert result.returncode == 0, result.stderr
    return data_dir / "treasury.sqlite3"


def _refused(data_dir: Path, database: Path, *needles: str) -> None:
    before = _digest(database)
    for args in (("voucher", "list"), ("voucher", "new", "--json", str(EXAMPLE_FILE))):
        result = run(data_dir, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert str(database) in result.stderr
        for needle in needles:
            assert needle in result.stderr, result.stderr
    assert _digest(database) == before  # never written, emptied or replaced
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0


def test_an_empty_file_is_not_taken_for_a_new_store(data_dir: Path) -> None:
    database = data_dir / "treasury.sqlite3"
    database.write_bytes(b"")
    _refused(data_dir, database, "0 byte", str(data_dir / "backups"))
    assert database.stat().st_size == 0


def test_a_truncated_file_is_refused_and_the_backup_named(data_dir: Path, tmp_path: Path) -> None:
    database = _stored_folder(data_dir, tmp_path)
    backups = sorted((data_dir / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    with open(database, "r+b") as file:
        file.truncate(database.stat().st_size // 2)
    _refused(data_dir, database, str(backups[0]))
    # The backup named is whole: it opens and holds every voucher.
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM vouchers").fetchone()[0] == 30
    copy.close()


def test_flipped_bytes_are_found_before_anything_is_read(data_dir: Path, tmp_path: Path) -> None:
    database = _stored_folder(data_dir, tmp_path)
    raw = sqlite3.connect(database)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    root = raw.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'vouchers_date'").fetchone()
    raw.close()
    with open(database, "r+b") as file:
        file.seek((root[0] - 1) * page_size)
        header = file.read(16)
        file.seek((root[0] - 1) * page_size)
        file.write(bytes(b ^ 0xFF for b in header))
    _refused(data_dir, database, str(data_dir / "backups"))


def test_a_file_of_another_kind_is_refused(data_dir: Path) -> None:
    database = data_dir / "treasury.sqlite3"
    database.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    _refused(data_dir, database, "not a database")


def test_a_file_from_a_newer_app_is_refused_and_kept(data_dir: Path, tmp_path: Path) -> None:
    database = _stored_folder(data_dir, tmp_path, count=2)
    raw = sqlite3.connect(database)
    raw.execute(f"PRAGMA user_version = {latest_version() + 1}")
    raw.close()
    result = run(data_dir, "voucher", "list")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(latest_version() + 1) in result.stderr
