"""The database as a file: made whole, checked before use, private, backed up once a day.

- A new database is built under a temporary name and linked into place only when complete,
  so a file of the app is never empty: a 0-byte ``treasury.sqlite3`` is damage, not "new".
- An existing file is checked on open: its header and the schema its version promises on
  every connection, ``PRAGMA quick_check`` once per start (store/opening.py). A damaged file
  is refused with a message that names the newest backup, and is never written, emptied or
  replaced by the app.
- Once a day, when the app closes, a checked copy goes to ``backups/`` (store/backup.py; the
  newest 30 are kept). A damaged file is never copied over a good backup.
- On Linux the data folder is 0700 and the files 0600 (payees' accounts and ID numbers are
  personal data); an existing folder or file is tightened, never loosened.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.backup import BackupError, backup_due, list_backups, take_backup

_REQUIRED_TABLES = frozenset({"vouchers", "audit_log", "payees", "profile"})
BACKUP_FOLDER = "backups"


class DatabaseDamaged(ExpectedError):
    """The database file is damaged; the message says where the newest backup is."""

    def __init__(self, path: Path, detail: str) -> None:
        backup = latest_backup(path)
        if backup is None:
            super().__init__(
                "storage.damaged_no_backup", where=str(path), detail=detail,
                folder=str(path.parent / BACKUP_FOLDER),
            )
        else:
            super().__init__(
                "storage.damaged", where=str(path), detail=detail, backup=str(backup)
            )
        self.path = path
        self.backup = backup


def is_damage(error: sqlite3.Error) -> bool:
    """Whether SQLite's error means the file itself is damaged (CORRUPT or NOTADB)."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (11, 26)
    return isinstance(error, sqlite3.DatabaseError) and "malformed" in str(error)


def create_whole(
    path: Path,
    configure: Callable[[sqlite3.Connection], None],
    build: Callable[[sqlite3.Connection], object],
) -> None:
    """Build a new database aside and link it into place, unless another process did first."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.new")
    try:
        conn = sqlite3.connect(aside, isolation_level=None)
        try:
            configure(conn)
            build(conn)
        finally:
            conn.close()  # the last close checkpoints the WAL into the file
        _chmod(aside, 0o600)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:
            if not path.exists():  # a file system without hard links: rename (not exclusive)
                os.rename(aside, path)
    finally:
        for leftover in (aside, Path(f"{aside}-wal"), Path(f"{aside}-shm")):
            leftover.unlink(missing_ok=True)


def writable_place(path: Path) -> bool:
    """Whether the database and its folder may be written (SQLite's WAL needs both)."""
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)


def check_not_empty(path: Path) -> None:
    """Refuse an empty file before SQLite may take it for a new database. (The header is
    left to SQLite, which says "not a database": opening and closing the file here would drop
    the POSIX locks this process's connections hold on it.)"""
    if path.stat().st_size == 0:
        raise DatabaseDamaged(path, "0 byte")


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check``: every page readable, every b-tree well formed."""
    try:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise DatabaseDamaged(path, str(error)) from None
        raise
    if result != "ok":
        detail = str(result).replace("*** in database main ***", "")
        raise DatabaseDamaged(path, " ".join(detail.split()))


def check_schema(conn: sqlite3.Connection, path: Path, expected: int | None) -> None:
    """The tables a schema version promises are there (a damaged catalogue loses them)."""
    if expected is None:
        return
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    missing = _REQUIRED_TABLES - tables
    if version != expected or missing:
        raise DatabaseDamaged(path, f"schema {version}, missing {', '.join(sorted(missing))}")


def latest_backup(path: Path) -> Path | None:
    """The newest backup of the database at ``path`` in its data folder's ``backups/``."""
    try:
        found = list_backups(path.parent / BACKUP_FOLDER)
    except OSError:
        return None
    return found[0].path if found else None


def daily_backup(conn: sqlite3.Connection, path: Path, today: date) -> Path | None:
    """Today's backup in ``backups/`` (store/backup.py: SQLite's online backup, checked, the
    newest 30 kept), made now if there is none from today, after ``quick_check`` (a damaged
    file is never copied over a good backup). None when none could be made (a damaged file, a
    read-only or full folder): the next start tries again."""
    folder = path.parent / BACKUP_FOLDER
    if not backup_due(folder, today):
        return latest_backup(path)
    try:
        quick_check(conn, path)
        return take_backup(path, folder, datetime.now()).path
    except (OSError, sqlite3.Error, DatabaseDamaged, BackupError):
        return None


def make_private(path: Path) -> None:
    """Tighten the database and its WAL files to the owner (Linux; never loosens)."""
    for member in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        tighten(member)


def tighten(path: Path) -> None:
    """Remove group and other permissions from ``path`` if it has any (Linux)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & ~0o077)
    except OSError:
        pass  # not ours to change (another owner, a read-only mount): reading still works


def _chmod(path: Path, mode: int) -> None:
    if os.name == "posix":
        os.chmod(path, mode)
