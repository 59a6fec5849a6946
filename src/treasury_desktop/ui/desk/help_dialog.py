"""The handbook window (F1): search on the left, the section on the right, all offline.

F1 anywhere opens the handbook at the section of the window in front: a dialog names its section
by setting the Qt property ``help_topic`` (an anchor of resources/help/handbook.*.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import current_language
from treasury_desktop.ui.texts import t

if TYPE_CHECKING:  # the handbook is read when it is first opened (cold start)
    from treasury_desktop.usecases.handbook import HelpSection

TOPIC_PROPERTY = "help_topic"
# Windows made elsewhere in ui/ name their section here, by object name, so that F1 knows them
# without each module importing the handbook.
TOPIC_BY_OBJECT_NAME = {
    "mainWindow": "start",
    "pinDialog": "pin-locked",
    "certificateChooser": "token-not-detected",
    "certificateDetails": "token-not-detected",
    "signersDialog": "signer-changed",
    "outboxView": "connection",
}


class HandbookDialog(QDialog):
    """The handbook, searchable, in the interface language."""

    def __init__(self, parent: QWidget | None = None, anchor: str = "start") -> None:
        super().__init__(parent)
        self.setObjectName("handbookDialog")
        from treasury_desktop.usecases.handbook import load_handbook

        self.book = load_handbook(current_language())
        self.setWindowTitle(self.book.title)
        self.search = QLineEdit()
        self.search.setObjectName("handbookSearch")
        self.search.setPlaceholderText(t("desk.help.search"))
        self.search.setClearButtonEnabled(True)
        self.topics = QListWidget()
        self.topics.setObjectName("handbookTopics")
        self.page = QTextBrowser()
        self.page.setObjectName("handbookPage")
        self.page.setOpenExternalLinks(False)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.topics, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.page, 5)
        self.search.textChanged.connect(self._filter)
        self.topics.currentItemChanged.connect(self._show)
        self.search.returnPressed.connect(self.topics.setFocus)
        self._fill(list(self.book.sections))
        self.open_section(anchor)
        self.resize(860, 540)

    def open_section(self, anchor: str) -> None:
        """Show the section ``anchor`` (the first one if unknown)."""
        for row in range(self.topics.count()):
            if self.topics.item(row).data(Qt.ItemDataRole.UserRole) == anchor:
                self.topics.setCurrentRow(row)
                return
        if self.topics.count():
            self.topics.setCurrentRow(0)

    def shown_anchor(self) -> str | None:
        """The anchor of the section on screen."""
        item = self.topics.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _fill(self, sections: list[HelpSection]) -> None:
        self.topics.clear()
        for section in sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.anchor)
            self.topics.addItem(item)
        if not sections:
            self.page.setPlainText(t("desk.help.nothing_found"))

    def _filter(self, query: str) -> None:
        self._fill(self.book.search(query))
        if self.topics.count():
            self.topics.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        section = self.book.section(str(item.data(Qt.ItemDataRole.UserRole)))
        if section is not None:
            self.page.setMarkdown(section.markdown)


def topic_in_front(default: str = "start") -> str:
    """The help topic where the user is: the focused field's page, its dialog (a modal one
    first), else ``default``."""
    front: QWidget | None = QApplication.activeModalWidget() or QApplication.activeWindow()
    focus = QApplication.focusWidget()
    start = focus if focus is not None and (front is None or front.isAncestorOf(focus)) else front
    widget = start
    while widget is not None:
        topic = widget.property(TOPIC_PROPERTY) or TOPIC_BY_OBJECT_NAME.get(widget.objectName())
        if isinstance(topic, str) and topic:
            return topic
        widget = widget.parentWidget()
    return default


def install_context_help(window: QWidget) -> QShortcut:
    """F1 anywhere in the app opens the handbook at the section of the window in front."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(
        lambda: open_handbook(QApplication.activeModalWidget() or window, topic_in_front())
    )
    return shortcut


def open_handbook(parent: QWidget, anchor: str = "start") -> HandbookDialog:
    """Open (or bring forward) the handbook at ``anchor``; it does not block the window."""
    existing = parent.findChild(HandbookDialog, "handbookDialog")
    dialog = existing or HandbookDialog(parent, anchor)
    if existing is not None:
        dialog.search.clear()
        dialog.open_section(anchor)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
