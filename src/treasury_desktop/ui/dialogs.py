"""Questions and messages for the accountant, behind a small protocol tests can fake."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.ui.texts import t


class Prompter(Protocol):
    """How the window asks and tells (Qt dialogs in the app, a fake in tests)."""

    def confirm(self, title: str, text: str, yes: str) -> bool:
        """Ask a yes/no question; True for ``yes``."""

    def inform(self, title: str, text: str) -> None:
        """Tell something the accountant must read (an expected error)."""

    def crash(self, error: BaseException) -> None:
        """Report a bug: the crash dialog."""


class QtPrompter:
    """Message boxes with our own button texts (Qt ships no Vietnamese translation)."""

    def __init__(self, parent: QWidget, data_dir: Path) -> None:
        self._parent = parent
        self._data_dir = data_dir
        self._crashing = False

    def confirm(self, title: str, text: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        no_button = box.addButton(t("button.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._parent)
        box.addButton(t("button.ok"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def crash(self, error: BaseException) -> None:
        if self._crashing:  # one crash dialog at a time
            return
        self._crashing = True
        try:
            CrashDialog(error, self._data_dir, self._parent).exec()
        finally:
            self._crashing = False


class CrashDialog(QDialog):
    """An unexpected error: a calm sentence, details hidden, a diagnostics bundle on request."""

    def __init__(self, error: BaseException, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(t("crash.title"))
        from treasury_desktop.ui.diagnostics import describe

        self._data_dir = data_dir
        self._text = describe(error)
        message = QLabel(t("crash.message"))
        message.setWordWrap(True)
        self.details = QPlainTextEdit(self._text)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.saved = QLabel()
        self.saved.setObjectName("crashSaved")
        self.saved.setWordWrap(True)
        self.details_button = QPushButton(t("crash.details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.save_button = QPushButton(t("crash.save_bundle"))
        self.save_button.clicked.connect(self.save_bundle)
        close = QPushButton(t("button.close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.saved)
        layout.addLayout(buttons)
        self.resize(520, 180)

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.resize(self.width(), 420 if shown else 180)

    def save_bundle(self) -> Path:
        """Write the bundle into the data folder and say where."""
        from treasury_desktop.ui.diagnostics import write_bundle

        path = write_bundle(self._data_dir, self._text)
        self.saved.setText(t("crash.saved", path=str(path)))
        return path
