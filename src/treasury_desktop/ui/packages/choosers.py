"""Choosing files and folders, behind a small protocol tests can fake (Qt's dialogs here)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget

from treasury_desktop.packages.format import SUFFIX
from treasury_desktop.ui.texts import t


class FileChooser(Protocol):
    """How the window asks for a place on disk; None when the user cancels."""

    def save_file(self, suggested: Path) -> Path | None:
        """Where to write a new package file."""

    def open_file(self, start: Path) -> Path | None:
        """Which package file to read."""

    def folder(self, start: Path) -> Path | None:
        """A folder (a USB stick, a shared folder)."""


class QtFileChooser:
    """Qt's file dialogs, filtered to package files."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def _filter(self) -> str:
        return f"{t('package.file_filter')} (*{SUFFIX})"

    def save_file(self, suggested: Path) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self._parent, t("package.send.title"),
                                                str(suggested), self._filter())
        return Path(chosen) if chosen else None

    def open_file(self, start: Path) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self._parent, t("package.receive.title"),
                                                str(start), self._filter())
        return Path(chosen) if chosen else None

    def folder(self, start: Path) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self._parent, t("package.folder.title"),
                                                  str(start))
        return Path(chosen) if chosen else None
