"""Backing up and restoring the desk's database (sao lưu và khôi phục dữ liệu).

One backup a day the app is used, into the folder the user chose (settings.BACKUP_FOLDER, else
``backups`` in the data folder), keeping the newest 30. A restore checks the backup first and
keeps the database it replaces aside; the caller closes every connection before restoring.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.backup import (
    KEEP,
    BackupError,
    BackupFile,
    backup_due,
    check_backup,
    list_backups,
    restore_backup,
    take_backup,
)
from treasury_desktop.store.db import latest_version


class BackupService:
    """Daily backups and restores of one database file."""

    def __init__(
        self,
        database: Path,
        folder: Callable[[], Path],
        clock: Callable[[], datetime],
        keep: int = KEEP,
    ) -> None:
        self._database = database
        self._folder = folder
        self._clock = clock
        self._keep = keep

    @property
    def folder(self) -> Path:
        """Where backups go now."""
        return self._folder()

    def backups(self) -> list[BackupFile]:
        """The backups in the folder, newest first."""
        return list_backups(self._folder())

    def backup_if_due(self) -> BackupFile | None:
        """Take today's backup unless there is one already."""
        if not backup_due(self._folder(), self._clock().date()):
            return None
        return self.backup_now()

    def backup_now(self) -> BackupFile:
        """Take a backup now; an OS or database problem becomes a plain message."""
        try:
            return take_backup(self._database, self._folder(), self._clock(), self._keep)
        except BackupError as error:
            raise _plain(error, self._folder()) from None

    def restore(self, backup: Path) -> Path:
        """Replace the database with ``backup``; return where the replaced one was kept."""
        try:
            return restore_backup(backup, self._database, self._clock(), latest_version())
        except BackupError as error:
            raise _plain(error, backup) from None


def _plain(error: BackupError, where: Path) -> ExpectedError:
    if error.problem is None:
        return ExpectedError("backup.os_error", path=str(where), reason=error.detail)
    return ExpectedError(f"backup.{error.problem.value}", path=str(where))


PENDING = "restore-pending.json"


def request_restore(data_dir: Path, backup: Path) -> None:
    """Ask for ``backup`` to be restored at the next start, when no connection is open.

    The backup is checked now, so that a bad file is refused while the user is still there.
    """
    try:
        check_backup(backup, latest_version())
        (data_dir / PENDING).write_text(
            json.dumps({"backup": str(backup.resolve())}, ensure_ascii=False), encoding="utf-8"
        )
    except BackupError as error:
        raise _plain(error, backup) from None
    except OSError as error:
        raise ExpectedError("backup.os_error", path=str(backup), reason=str(error)) from None


def apply_pending_restore(data_dir: Path, database: Path, now: datetime) -> Path | None:
    """Carry out a restore asked for before the last exit; return where the old data went."""
    marker = data_dir / PENDING
    if not marker.exists():
        return None
    try:
        backup = Path(json.loads(marker.read_text(encoding="utf-8"))["backup"])
    except (OSError, ValueError, KeyError, TypeError):
        marker.unlink(missing_ok=True)
        return None
    marker.unlink(missing_ok=True)  # one try: a failed restore is not repeated at every start
    service = BackupService(database, lambda: backup.parent, lambda: now)
    return service.restore(backup)
