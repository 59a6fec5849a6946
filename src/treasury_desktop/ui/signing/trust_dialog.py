"""«Chứng thư gốc tin cậy»: the desk's trust anchors, with add (a file) and remove.

The same store as ``treasury-desktop trust``: shipped anchors, the user's, the treasury's.
Reading and writing a few small files is fast, so it happens on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.signing.trust import TrustAnchor, TrustStore
from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.texts import t

SUBJECT, SOURCE, UNTIL, FINGERPRINT = range(4)


class TrustDialog(QDialog):
    """The trust anchors in a table; «Thêm…» reads a certificate file, «Bỏ tin cậy» removes."""

    def __init__(self, store: TrustStore, prompter: Prompter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustDialog")
        self.setWindowTitle(t("trust.title"))
        self._store = store
        self._prompter = prompter
        self.anchors: tuple[TrustAnchor, ...] = ()
        intro = QLabel(t("trust.intro"))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("trustTable")
        self.table.setHorizontalHeaderLabels(
            [t("trust.col.subject"), t("trust.col.source"), t("trust.col.until"), "SHA-256"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton(t("trust.add"))
        self.add_button.setObjectName("trustAdd")
        self.add_button.clicked.connect(self._choose_file)
        self.remove_button = QPushButton(t("trust.remove"))
        self.remove_button.setObjectName("trustRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        close = QPushButton(t("trust.close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        """Read the anchors again and fill the table."""
        self.anchors = self._store.anchors()
        self.table.setRowCount(len(self.anchors))
        for row, anchor in enumerate(self.anchors):
            values = {
                SUBJECT: anchor.name,
                SOURCE: text(f"trust.source.{anchor.source.value}"),
                UNTIL: "/".join(reversed(anchor.not_after.split("-"))),  # 14/08/2048
                FINGERPRINT: anchor.sha256,
            }
            for column, value in values.items():
                item = QTableWidgetItem(value)
                item.setToolTip("\n".join(filter(None, (anchor.subject, anchor.note))))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(SUBJECT, min(self.table.columnWidth(SUBJECT), 380))
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def selected(self) -> TrustAnchor | None:
        """The anchor of the selected row."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.anchors[min(rows)] if rows else None

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, t("trust.add"), "", t("trust.file_filter"))
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> list[TrustAnchor]:
        """Trust the CA certificate(s) in ``path``; a plain message when it cannot."""
        try:
            added = self._store.add(path.read_bytes())
        except OSError as error:
            self._prompter.inform(t("error.title"), text(
                "trust.file.unreadable", path=str(path), reason=error.strerror or "?"))
            return []
        except ExpectedError as error:
            self._prompter.inform(t("error.title"), error.message.render())
            return []
        self.reload()
        self._prompter.inform(t("trust.title"), "\n".join(
            text("trust.added", subject=a.subject, sha256=a.sha256) for a in added
        ) or text("trust.already"))
        return added

    def remove_selected(self) -> None:
        """Stop trusting the selected anchor, after a confirmation."""
        anchor = self.selected()
        if anchor is None:
            return
        if not self._prompter.confirm(t("trust.title"), t("trust.confirm_remove",
                                                          subject=anchor.subject),
                                      t("trust.remove")):
            return
        self._store.remove(anchor.sha256)
        self.reload()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Delete removes the selected anchor."""
        if event.key() == Qt.Key.Key_Delete:
            self.remove_selected()
            return
        super().keyPressEvent(event)
