"""«Gửi ký» (where to write the package) and the report of a package received."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import text
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.packages.choosers import FileChooser
from treasury_desktop.ui.texts import ERROR_COLOUR, t

if TYPE_CHECKING:
    from treasury_desktop.usecases.package_import import ImportResult


class SendDialog(QDialog):
    """Where the package of the selected vouchers goes: a file, or a folder (USB, shared)."""

    def __init__(self, count: int, chooser: FileChooser, start: Path, suggested_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendDialog")
        self.setWindowTitle(t("package.send.title"))
        self._chooser = chooser
        self._start = start
        self._suggested = suggested_name
        self.destination: Path | None = None
        intro = QLabel(t("package.send.intro", count=count))
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("sendPath")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(t("package.send.placeholder"))
        self.file_button = QPushButton(t("package.send.to_file"))
        self.file_button.setObjectName("sendToFile")
        self.file_button.clicked.connect(self.choose_file)
        self.folder_button = QPushButton(t("package.send.to_folder"))
        self.folder_button.setObjectName("sendToFolder")
        self.folder_button.clicked.connect(self.choose_folder)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(t("package.send.ok"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        buttons.addButton(t("button.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        choose = QHBoxLayout()
        choose.addWidget(self.file_button)
        choose.addWidget(self.folder_button)
        choose.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
        layout.addWidget(self.path_edit)
        note = QLabel(t("package.send.note"))
        note.setObjectName("sendNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 200)

    def choose_file(self) -> None:
        """Ask for a file name."""
        self._set(self._chooser.save_file(self._start / self._suggested))

    def choose_folder(self) -> None:
        """Ask for a folder: the package gets a new name there."""
        self._set(self._chooser.folder(self._start))

    def _set(self, path: Path | None) -> None:
        if path is None:
            return
        self.destination = path
        self.path_edit.setText(str(path))
        self.ok_button.setEnabled(True)
        self.ok_button.setFocus()


class ReceiveReport(QDialog):
    """What a package did: from which desk, signed by whom, and each voucher's outcome."""

    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiveReport")
        self.setWindowTitle(t("package.receive.title"))
        lines = [text("package.cli.from", package=result.package_id[:8], desk=result.desk.name,
                      created=moment(result.created_at))]
        sender = result.sender
        if sender is None:
            lines.append(text("package.cli.unsigned"))
        else:
            note = "" if sender.registered else text("package.cli.sender_unregistered")
            lines.append(text("package.cli.sender", holder=sender.holder_name,
                              role=text(f"role.{sender.role.value}"), note=note))
        if result.read_before:
            lines.append(text("package.cli.read_before"))
        ok = sum(1 for item in result.items if item.ok)
        lines.append(text("package.cli.summary", ok=ok, total=len(result.items),
                          refused=len(result.items) - ok))
        summary = QLabel("\n".join(lines))
        summary.setObjectName("receiveSummary")
        summary.setWordWrap(True)
        self.table = QTableWidget(len(result.items), 3)
        self.table.setObjectName("receiveItems")
        self.table.setHorizontalHeaderLabels([t("package.column.number"),
                                              t("package.column.status"),
                                              t("package.column.reason")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, item in enumerate(result.items):
            cells = (item.number or item.voucher_id[:8],
                     text(f"package.outcome.{item.outcome.value}"), item.message.render())
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if not item.ok:
                    cell.setForeground(QBrush(QColor(ERROR_COLOUR)))
                self.table.setItem(row, column, cell)
        self.table.setColumnWidth(0, 70)
        self.table.setColumnWidth(1, 140)
        buttons = QDialogButtonBox()
        buttons.addButton(t("button.close"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 320)
