"""The outbox view's rows: what each column shows for one queued voucher, laid out once per
snapshot so that painting is a tuple lookup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from treasury_desktop.i18n import text
from treasury_desktop.outbox.model import ItemState, OutboxItem, OutboxStatus
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.texts import money

COLUMNS = ("number", "payee", "total", "state", "attempts", "next", "error")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_COLOURS: dict[ItemState, str] = {
    ItemState.PENDING: "#9a6700",
    ItemState.IN_FLIGHT: "#1f5fa8",
    ItemState.DELIVERED: "#1a7f37",
    ItemState.REFUSED: "#b42318",
}
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def error_words(item: OutboxItem) -> str:
    """The last error as one line of plain words ('' when none)."""
    if item.last_error is None:
        return ""
    return " ".join(part.strip() for part in item.last_error.render().splitlines() if part.strip())


def next_try_words(item: OutboxItem, paused: bool) -> str:
    """When the voucher is tried again: dd/mm/yyyy hh:mm, or 'when resumed' while paused."""
    if item.state is not ItemState.PENDING:
        return ""
    if paused:
        return text("outbox_ui.next.paused")
    return moment(item.next_attempt_at)


def row_texts(item: OutboxItem, paused: bool) -> tuple[str, ...]:
    """What each column shows for ``item``."""
    return (
        item.number or item.voucher_id[:8], item.payee, money(item.total) if item.total else "",
        text(f"outbox.state.{item.state.value}"), str(item.attempts),
        next_try_words(item, paused), error_words(item),
    )


def summary_words(status: OutboxStatus) -> str:
    """'3 chờ gửi · 1 bị từ chối' (only what there is), or that the outbox is empty."""
    parts = [text(f"outbox_ui.summary.{name}", count=count) for name, count in (
        ("waiting", status.pending), ("sending", status.in_flight), ("refused", status.refused))
        if count]
    return " · ".join(parts) if parts else text("outbox_ui.empty")


class OutboxTableModel(QAbstractTableModel):
    """The rows of the outbox, laid out once per snapshot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[OutboxItem] = []
        self.paused = False
        self._texts: list[tuple[str, ...]] = []
        self._tips: list[str] = []

    def set_items(self, items: Sequence[OutboxItem], paused: bool) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.items = list(items)
        self.paused = paused
        self._texts = [row_texts(i, paused) for i in self.items]
        self._tips = [i.last_error.render() if i.last_error else "" for i in self.items]
        self.endResetModel()

    def set_paused(self, paused: bool) -> None:
        """Paused or resumed before the next snapshot: the next-try column says so at once."""
        if paused != self.paused and self.items:
            self.paused = paused
            self._texts = [row_texts(i, paused) for i in self.items]
            column = COLUMNS.index("next")
            self.dataChanged.emit(self.index(0, column), self.index(len(self.items) - 1, column))
        self.paused = paused

    def row_of(self, voucher_id: str) -> int:
        """The row showing ``voucher_id``, or -1."""
        return next((r for r, i in enumerate(self.items) if i.voucher_id == voucher_id), -1)

    def texts(self, row: int) -> tuple[str, ...]:
        """What a row shows, column by column."""
        return self._texts[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return text(f"outbox_ui.col.{COLUMNS[section]}")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        item = self.items[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        if role == ID_ROLE:
            return item.voucher_id
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[column] == "error":
            return self._tips[row] or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if COLUMNS[column] == "state":
                return QColor(STATE_COLOURS[item.state])
            if COLUMNS[column] == "error" and item.state is ItemState.REFUSED:
                return QColor(STATE_COLOURS[ItemState.REFUSED])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[column] in ("total",):
                return _RIGHT
            if COLUMNS[column] == "attempts":
                return _CENTER
        return None
