"""One sender per data folder: the window and an ``outbox run`` must not both send.

An OS file lock (released by the kernel when the process dies, even by SIGKILL). Two senders
would still be safe (the PUT is idempotent) but would waste the link.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from treasury_desktop.i18n import ExpectedError


class SenderLock:
    """``with SenderLock(data_dir):`` raises ExpectedError when another sender holds it."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / "outbox.lock"
        self._fd: int | None = None

    def __enter__(self) -> SenderLock:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise ExpectedError("outbox.busy_elsewhere") from None
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
