"""Backups of the database: SQLite's online backup, consistent while the app writes.

A backup is ``treasury-YYYYMMDD-HHMMSS.sqlite3`` in a folder the user chose. It is written to a
``.part`` file, checked (``PRAGMA integrity_check``), made private (0600) and only then renamed,
so a folder never holds a half-written backup under a backup's name. A restore checks the backup
first and keeps the current database aside; it never deletes anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

_NAME = re.compile(r"^treasury-(\d{8})-(\d{6})\.sqlite3$")
KEEP = 30


@dataclass(frozen=True)
class BackupFile:
    """One backup in the backup folder."""

    path: Path
    taken_at: datetime
    size: int


class BackupProblem(Enum):
    """Why a file cannot be restored."""

    UNREADABLE = "unreadable"  # not an SQLite file, or damaged
    DAMAGED = "damaged"  # integrity_check found faults
    NOT_OURS = "not_ours"  # no voucher table: another program's database
    TOO_NEW = "too_new"  # written by a newer version of the app


class BackupError(Exception):
    """A backup or restore could not be done; ``problem`` says why, ``detail`` the OS's words."""

    def __init__(self, problem: BackupProblem | None, detail: str = "") -> None:
        super().__init__(detail or (problem.value if problem else "os error"))
        self.problem = problem
        self.detail = detail


def backup_name(moment: datetime) -> str:
    """The file name of a backup taken at ``moment``."""
    return f"treasury-{moment:%Y%m%d-%H%M%S}.sqlite3"


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first (files of other names are ignored)."""
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            taken = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
            found.append(BackupFile(entry, taken, entry.stat().st_size))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def backup_due(folder: Path, today: date) -> bool:
    """True when no backup in ``folder`` was taken on ``today``."""
    return not any(b.taken_at.date() == today for b in list_backups(folder))


def take_backup(database: Path, folder: Path, now: datetime, keep: int = KEEP) -> BackupFile:
    """Copy ``database`` into ``folder`` with SQLite's online backup; keep the newest ``keep``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / backup_name(now)
        part = final.with_name(final.name + ".part")
        part.unlink(missing_ok=True)
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(part)
            try:
                # Pages are copied in steps; a writer in between restarts the copy, so the
                # result is one consistent snapshot whatever the app does meanwhile.
                source.backup(target, pages=256)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        check_backup(part)
        os.chmod(part, 0o600)
        with open(part, "rb") as handle:
            os.fsync(handle.fileno())
        part.replace(final)
    except OSError as error:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise BackupError(None, str(error)) from error
    except sqlite3.Error as error:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise BackupError(BackupProblem.UNREADABLE, str(error)) from error
    prune(folder, keep)
    return BackupFile(final, now, final.stat().st_size)


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    removed: list[Path] = []
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def check_backup(path: Path, newest_schema: int | None = None) -> None:
    """Raise :class:`BackupError` unless ``path`` is a whole database of this app (and, given
    ``newest_schema``, one this build can read)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(BackupProblem.UNREADABLE, str(error)) from error
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in rows] != [("ok",)]:
            raise BackupError(BackupProblem.DAMAGED, "; ".join(str(r[0]) for r in rows[:5]))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "vouchers" not in tables:
            raise BackupError(BackupProblem.NOT_OURS)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if newest_schema is not None and version > newest_schema:
            raise BackupError(BackupProblem.TOO_NEW)
    except sqlite3.DatabaseError as error:
        raise BackupError(BackupProblem.UNREADABLE, str(error)) from error
    finally:
        conn.close()


def restore_backup(
    backup: Path, database: Path, now: datetime, newest_schema: int | None = None
) -> Path:
    """Replace ``database`` with ``backup``; return the folder holding the database it replaced.

    Every connection to ``database`` must be closed first (the window restarts afterwards).
    """
    check_backup(backup, newest_schema)
    aside = database.parent / f"before-restore-{now:%Y%m%d-%H%M%S}"
    incoming = database.with_name(database.name + ".restoring")
    try:
        # The copy is made and checked before anything of the current database moves.
        shutil.copyfile(backup, incoming)
        os.chmod(incoming, 0o600)
        with open(incoming, "rb") as handle:
            os.fsync(handle.fileno())
        check_backup(incoming, newest_schema)
        aside.mkdir(mode=0o700)
        for suffix in ("", "-wal", "-shm"):
            current = database.with_name(database.name + suffix)
            if current.exists():
                current.replace(aside / current.name)
        incoming.replace(database)
    except OSError as error:
        raise BackupError(None, str(error)) from error
    return aside
