"""The voucher list: a thin table model over SQL pages (no proxy model: FACTS.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.records import SortKey, VoucherQuery, VoucherRow
from treasury_desktop.ui.texts import READY_COLOUR, STATUS_COLOURS, dmy, money, status_name, t

PAGE = 200
COLUMNS = ("number", "date", "payee", "content", "total", "status")
SORT_OF_COLUMN: dict[int, SortKey] = {
    0: SortKey.NUMBER, 1: SortKey.DATE, 2: SortKey.PAYEE, 4: SortKey.AMOUNT,
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
PageSource = Callable[[VoucherQuery, int, int], list[VoucherRow]]


class VoucherListModel(QAbstractTableModel):
    """Rows come a page at a time: the first page with the query, the rest on scrolling."""

    def __init__(self, fetch_page: PageSource) -> None:
        super().__init__()
        self._fetch_page = fetch_page
        self._query = VoucherQuery()
        self._rows: list[VoucherRow] = []
        self._total = 0

    # -- query ------------------------------------------------------------------------------

    @property
    def query(self) -> VoucherQuery:
        """The query the rows answer."""
        return self._query

    @property
    def total(self) -> int:
        """How many vouchers match the query (the rows loaded may be fewer)."""
        return self._total

    def reset_to(self, query: VoucherQuery, total: int, first_page: list[VoucherRow]) -> None:
        """Show the answer to a new query (computed on the worker)."""
        self.beginResetModel()
        self._query = query
        self._total = total
        self._rows = list(first_page)
        self.endResetModel()

    def row_of(self, voucher_id: str) -> int:
        """The row showing ``voucher_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == voucher_id), -1)

    def voucher_id(self, row: int) -> str | None:
        """The id of the voucher on ``row``."""
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_record(self, row: int) -> VoucherRow:
        """The record on ``row``."""
        return self._rows[row]

    def update_voucher(self, voucher: Voucher, status: VoucherState, problems: int) -> bool:
        """Refresh the row of a saved voucher in place; False when it is not loaded."""
        row = self.row_of(voucher.id)
        if row < 0:
            return False
        content = " · ".join(line.content for line in voucher.lines) or voucher.content
        self._rows[row] = replace(
            self._rows[row], number=voucher.number, date=voucher.date, payee=voucher.payee.name,
            content=content, total=voucher.total, status=status, problems=problems,
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if parent.isValid():
            return
        more = self._fetch_page(self._query, len(self._rows), PAGE)
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return t(f"list.{COLUMNS[section]}")
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] == "total":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "total":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            ready = row.status is VoucherState.DRAFT and row.problems == 0
            return QColor(READY_COLOUR if ready else STATUS_COLOURS[row.status])
        if role == Qt.ItemDataRole.ToolTipRole and column == "status" and row.status_reason:
            return row.status_reason
        if role == ID_ROLE:
            return row.id
        return None


def _display(row: VoucherRow, column: str) -> str:
    if column == "date":
        return dmy(row.date)
    if column == "total":
        return money(row.total)
    if column == "status":
        return status_name(row.status, row.problems)
    return str(getattr(row, column))
