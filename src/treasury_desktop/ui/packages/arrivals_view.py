"""«Nhận từ máy khác»: the vouchers that came from other desks, from which desk and when, and
what each still needs here. Rows are laid out once per load; the data comes from the worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import text
from treasury_desktop.store.packages import ArrivalRow
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.texts import ERROR_COLOUR, STATUS_COLOURS, money, status_name, t
from treasury_desktop.usecases.package_arrivals import needs

COLUMNS = ("number", "total", "needs", "desk", "arrived", "status", "sender", "payee")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_REFUSED = ("refused", "conflict")


def row_texts(row: ArrivalRow) -> tuple[str, ...]:
    """What each column shows for one arrival."""
    if row.outcome in _REFUSED:
        state = text(f"package.outcome.{row.outcome}")
    else:
        state = status_name(row.status) if row.status is not None else ""
    return (
        row.number or row.voucher_id[:8], money(row.total) if row.total else "",
        needs(row).render(), row.desk_name, moment(row.arrived_at), state, row.sender,
        row.payee,
    )


class ArrivalsModel(QAbstractTableModel):
    """The arrivals as a table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ArrivalRow] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[ArrivalRow]) -> None:
        """Show these arrivals (newest first)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [row_texts(r) for r in self._rows]
        self.endResetModel()

    def arrival(self, row: int) -> ArrivalRow:
        """The arrival on ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return t(f"package.column.{COLUMNS[section]}")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[row][column]
        if role == ID_ROLE:
            return self._rows[row].voucher_id
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column] == "total":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and COLUMNS[column] in ("status", "needs"):
            arrival = self._rows[row]
            if arrival.outcome in _REFUSED:
                return QColor(ERROR_COLOUR)
            if arrival.status is not None:
                return QColor(STATUS_COLOURS[arrival.status])
        return None


class ArrivalsView(QWidget):
    """The folder's pane: a heading and the table; Enter or a double click opens a voucher."""

    chosen = Signal(str)  # a voucher id that this desk has

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrivalsView")
        self.heading = QLabel(t("package.folder.name"))
        self.heading.setObjectName("arrivalsHeading")
        self.watch_label = QLabel()
        self.watch_label.setObjectName("arrivalsWatch")
        self.watch_label.setWordWrap(True)
        self.model = ArrivalsModel(self)
        self.table = QTableView()
        self.table.setObjectName("arrivalsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((56, 90, 230, 80, 116, 110, 120)):
            self.table.setColumnWidth(column, width)
        self.empty = QLabel(t("package.folder.empty"))
        self.empty.setObjectName("arrivalsEmpty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.watch_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.set_rows([])

    def set_rows(self, rows: Sequence[ArrivalRow]) -> None:
        """Show the arrivals, and the count in the heading."""
        self.model.set_rows(rows)
        self.heading.setText(t("package.folder.heading", count=len(rows)))
        self.empty.setVisible(not rows)

    def set_watching(self, folder: str | None) -> None:
        """Say which folder is watched, if any."""
        self.watch_label.setText(t("package.watch.on", folder=folder) if folder
                                 else t("package.watch.off"))

    def selected_ids(self) -> list[str]:
        """The vouchers selected (those this desk has)."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.arrival(r).voucher_id for r in rows
                if self.model.arrival(r).status is not None]

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            arrival = self.model.arrival(index.row())
            if arrival.status is not None:
                self.chosen.emit(arrival.voucher_id)
