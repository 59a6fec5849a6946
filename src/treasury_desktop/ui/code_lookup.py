"""Reading a code's name: the popup as wide as "code — name", and F4's searchable lookup.

Issue 12 point 2: nguồn 12 and 13, ngành 072 and 073 must not look the same. The type-ahead
popup is widened to its longest visible suggestion (within the screen), a code field carries
its name in a tooltip, and F4 opens the year's whole list of that kind with a search box.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.ui.texts import t

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LOOKUP_LIMIT = 5000  # every code of a kind (the longest list, tiểu mục, has a few hundred)
_POPUP_SLACK = 48  # frame, margins and the vertical scroll bar


def widen_popup(field: QWidget, popup: QWidget, texts: list[str]) -> None:
    """Make ``popup`` (the completer's, opened under ``field``) at least as wide as the
    longest of ``texts``, within the screen; :class:`KeepOnScreen` keeps it from running off."""
    metrics = QFontMetrics(popup.font())
    needed = max((metrics.horizontalAdvance(text) for text in texts), default=0) + _POPUP_SLACK
    screen = field.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().width() - 8 if screen is not None else needed
    popup.setMinimumWidth(min(max(field.width(), needed), room))
    if not isinstance(popup.property("keptOnScreen"), bool):
        popup.setProperty("keptOnScreen", True)
        popup.installEventFilter(KeepOnScreen(popup))


_PLACED = (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.Move)


class KeepOnScreen(QObject):
    """Moves a popup left when its (widened) right edge would leave the screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(watched, QWidget) and event.type() in _PLACED:
            screen = watched.screen()
            if screen is not None:
                room, frame = screen.availableGeometry(), watched.geometry()
                if frame.right() > room.right():
                    watched.move(max(room.left(), room.right() - frame.width()), frame.y())
        return False


def code_title(catalog: BudgetCatalog | None, kind: CatalogKind, code: str) -> str:
    """ "code — name" for a known code, '' otherwise."""
    name = catalog.name_of(kind, code.strip()) if catalog is not None and code.strip() else None
    return f"{code.strip()} — {name}" if name else ""


class CodeLookup(QDialog):
    """The whole list of one kind, filtered as typed (diacritics ignored); Enter chooses."""

    def __init__(self, kind: CatalogKind, catalog: BudgetCatalog, current: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeLookup")
        self.kind, self._catalog = kind, catalog
        self.setWindowTitle(t("lookup.title", kind=t(f"lookup.kind.{kind.value}")))
        self.search = QLineEdit()
        self.search.setObjectName("lookupSearch")
        self.search.setPlaceholderText(t("lookup.search"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("lookupList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.count = QLabel()
        self.count.setObjectName("lookupCount")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("lookup.choose"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("button.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._fill)
        self.search.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self._fill("")
        for row in range(self.list.count()):  # open on the code already in the field
            if self.list.item(row).data(CODE_ROLE) == current.strip():
                self.list.setCurrentRow(row)
                self.list.scrollToItem(self.list.item(row))
                break
        self.resize(640, 460)
        screen = (parent.screen() if parent is not None else None) or \
            QGuiApplication.primaryScreen()
        if screen is not None:  # never taller or wider than the screen
            room = screen.availableGeometry()
            self.resize(min(640, room.width() - 40), min(460, room.height() - 80))

    def chosen(self) -> str:
        """The code of the highlighted row ('' when none)."""
        item = self.list.currentItem()
        return str(item.data(CODE_ROLE)) if item is not None else ""

    def _fill(self, typed: str) -> None:
        self.list.clear()
        for entry in self._catalog.search(self.kind, typed, LOOKUP_LIMIT):
            item = QListWidgetItem(f"{entry.code} — {entry.name}")
            item.setData(CODE_ROLE, entry.code)
            item.setToolTip(item.text())
            self.list.addItem(item)
        self.count.setText(t("lookup.count", count=self.list.count()))
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802
        # ↑/↓ from the search box move in the list; Enter there chooses.
        if watched is self.search and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown,
                                Qt.Key.Key_PageUp):
            QCoreApplication.sendEvent(self.list, event)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]


def look_up(kind: CatalogKind, catalog: Callable[[], BudgetCatalog | None], current: str,
            parent: QWidget) -> str:
    """Open the lookup; the chosen code, or '' when cancelled (or no catalogue)."""
    year = catalog()
    if year is None:
        return ""
    dialog = CodeLookup(kind, year, current, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else ""
