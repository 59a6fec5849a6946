"""What the operating system or SQLite said, as one plain sentence.

A full disk, a read-only folder, a file held by another program, a data path that is a file:
each is something the person at the desk can act on, so each becomes a :class:`StorageError`
(an expected error, exit code 1) instead of a traceback. Transactions roll back before the
error is shown, so nothing is left half-written.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from treasury_desktop.i18n import ExpectedError

# SQLite's primary result codes (the low byte of the extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_BY_SQLITE_CODE = {
    _SQLITE_FULL: "disk_full",
    _SQLITE_READONLY: "read_only",
    _SQLITE_PERM: "read_only",
    _SQLITE_BUSY: "locked",
    _SQLITE_LOCKED: "locked",
    _SQLITE_CANTOPEN: "cannot_open",
    _SQLITE_IOERR: "io_error",
    _SQLITE_CORRUPT: "damaged_in_use",
    _SQLITE_NOTADB: "damaged_in_use",
}

_BY_ERRNO = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EFBIG: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.ENOTDIR: "not_a_folder",
    errno.EEXIST: "not_a_folder",
    errno.EIO: "io_error",
}


class StorageError(ExpectedError):
    """The data folder or database could not be used; ``kind`` says why."""

    def __init__(self, kind: str, where: Path | str | None = None, detail: str = "") -> None:
        super().__init__(f"storage.{kind}", where=str(where or ""), detail=detail)
        self.kind = kind


def storage_error(error: BaseException, where: Path | str | None = None) -> StorageError | None:
    """The plain :class:`StorageError` for an OS or SQLite failure, or None for anything else
    (a bug, which must not be dressed up as a full disk)."""
    if isinstance(error, StorageError):
        return error
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        kind = _BY_SQLITE_CODE.get(code & 0xFF) if isinstance(code, int) else None
        if kind is None and isinstance(error, sqlite3.OperationalError):
            kind = _kind_from_text(str(error))
        return StorageError(kind, where, str(error)) if kind else None
    if isinstance(error, OSError) and error.errno is not None:
        kind = _BY_ERRNO.get(error.errno)
        if kind is None:
            return None
        return StorageError(kind, where or error.filename, error.strerror or "")
    return None


def _kind_from_text(message: str) -> str | None:
    """Older SQLite builds give no code: read the message SQLite is known to use."""
    for needle, kind in (
        ("disk is full", "disk_full"),
        ("readonly", "read_only"),
        ("locked", "locked"),
        ("unable to open", "cannot_open"),
        ("disk i/o", "io_error"),
    ):
        if needle in message.lower():
            return kind
    return None
