"""The outbox view's rows: what each column shows for one queued voucher, laid out once per
snapshot so that painting is a tuple lookup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from treasury_desktop.domain.workflow import REFUSED
from treasury_desktop.i18n import text
from treasury_desktop.outbox.model import ItemState, OutboxItem, OutboxStatus
from treasury_desktop.store.standings import Standing
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.texts import money
from treasury_desktop.ui.voucher_state import ITEM_COLOURS, StateLook, outbox_look, refusal_words

COLUMNS = ("number", "payee", "total", "state", "attempts", "next", "error")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_COLOURS = ITEM_COLOURS
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def error_words(item: OutboxItem, standing: Standing | None = None) -> str:
    """The treasury's refusal with its reason, else the last error, as one line of plain
    words ('' when none)."""
    refusal = refusal_words(standing.status, standing.reason) if standing is not None else ""
    words = refusal or (item.last_error.render() if item.last_error is not None else "")
    return " ".join(part.strip() for part in words.splitlines() if part.strip())


def next_try_words(item: OutboxItem, paused: bool) -> str:
    """When the voucher is tried again: dd/mm/yyyy hh:mm, or 'when resumed' while paused."""
    if item.state is not ItemState.PENDING:
        return ""
    if paused:
        return text("outbox_ui.next.paused")
    return moment(item.next_attempt_at)


def row_texts(item: OutboxItem, paused: bool, standing: Standing | None = None) -> tuple[str, ...]:
    """What each column shows for ``item`` (``standing``: the voucher's own state)."""
    return (
        item.number or item.voucher_id[:8], item.payee, money(item.total) if item.total else "",
        outbox_look(item, standing).words, str(item.attempts),
        next_try_words(item, paused), error_words(item, standing),
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
        self.standings: Mapping[str, Standing] = {}
        self.paused = False
        self._texts: list[tuple[str, ...]] = []
        self._tips: list[str] = []
        self._looks: list[StateLook] = []

    def set_items(self, items: Sequence[OutboxItem], paused: bool,
                  standings: Mapping[str, Standing] | None = None) -> None:
        """Replace the rows (``standings``: each voucher's own state, by id)."""
        self.beginResetModel()
        self.items = list(items)
        self.standings = dict(standings or {})
        self.paused = paused
        self._texts = [row_texts(i, paused, self.standing(i)) for i in self.items]
        self._looks = [outbox_look(i, self.standing(i)) for i in self.items]
        self._tips = [t[COLUMNS.index("error")] for t in self._texts]
        self.endResetModel()

    def standing(self, item: OutboxItem) -> Standing | None:
        """The voucher's own state, as read with the rows (None when unknown)."""
        return self.standings.get(item.voucher_id)

    def refused(self, row: int) -> bool:
        """The treasury said no to this row's voucher (at the door, or after checking it)."""
        standing = self.standing(self.items[row])
        return self.items[row].state is ItemState.REFUSED or (
            standing is not None and standing.status in REFUSED)

    def look(self, row: int) -> StateLook:
        """How a row's state is shown (word, colour, reason)."""
        return self._looks[row]

    def set_paused(self, paused: bool) -> None:
        """Paused or resumed before the next snapshot: the next-try column says so at once."""
        if paused != self.paused and self.items:
            self.paused = paused
            self._texts = [row_texts(i, paused, self.standing(i)) for i in self.items]
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
                return QColor(self._looks[row].colour)
            if COLUMNS[column] == "error" and self.refused(row):
                return QColor(STATE_COLOURS[ItemState.REFUSED])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[column] in ("total",):
                return _RIGHT
            if COLUMNS[column] == "attempts":
                return _CENTER
        return None
