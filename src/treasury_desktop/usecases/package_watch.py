"""Watching a folder (a USB stick, a shared folder) and picking up packages as they arrive.

Runs on the window's background worker, never on the GUI thread. A file is read once it has
stopped changing for a moment (a copy in progress is left for the next scan); it is read again
only when its size or time changes. Reading a package twice changes nothing anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from treasury_desktop.i18n import Message
from treasury_desktop.packages.format import SUFFIX, PackageRefused
from treasury_desktop.usecases.package_import import ImportResult, PackageImporter


@dataclass(frozen=True)
class Picked:
    """One package file read from the folder: what it did, or why it was refused whole."""

    path: Path
    result: ImportResult | None
    refusal: Message | None


class FolderWatch:
    """The packages in one folder that have not been read yet."""

    def __init__(self, folder: Path, importer: Callable[[], PackageImporter], *,
                 settle_seconds: float = 2.0, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self._importer = importer
        self._settle = settle_seconds
        self._clock = clock
        self._seen: dict[str, tuple[int, int]] = {}

    def scan(self) -> list[Picked]:
        """Read every new or changed package file; the folder vanishing (a USB stick pulled
        out) is no error: there is nothing to read."""
        picked: list[Picked] = []
        try:
            entries = sorted(self.folder.iterdir())
        except OSError:
            return picked
        for entry in entries:
            if entry.name.startswith(".") or entry.suffix.lower() != SUFFIX:
                continue
            try:
                if entry.is_symlink() or not entry.is_file():
                    continue
                info = entry.stat()
            except OSError:
                continue
            key = (info.st_size, info.st_mtime_ns)
            if self._seen.get(entry.name) == key:
                continue
            if self._clock() - info.st_mtime < self._settle:
                continue  # still being copied
            self._seen[entry.name] = key
            try:
                picked.append(Picked(entry, self._importer().import_file(entry), None))
            except PackageRefused as error:
                picked.append(Picked(entry, None, error.message))
        return picked
