"""The voucher list: a thin table model over SQL pages (no proxy model: FACTS.md).

Pages come from the worker, never from SQL on the GUI thread: ``fetchMore`` asks for the next
page and the rows are inserted when it arrives. What a row shows is worked out with the page,
on the worker, so ``data()`` is a tuple lookup while the view paints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.records import SortKey, VoucherQuery, VoucherRow
from treasury_desktop.ui.texts import dmy, money, t
from treasury_desktop.ui.voucher_state import look

PAGE = 200
FIRST_PAGE = 80  # enough to fill the window; the rest comes as it scrolls
COLUMNS = ("number", "date", "payee", "content", "total", "status")
TOTAL_COLUMN = COLUMNS.index("total")
STATUS_COLUMN = COLUMNS.index("status")
SORT_OF_COLUMN: dict[int, SortKey] = {
    0: SortKey.NUMBER, 1: SortKey.DATE, 2: SortKey.PAYEE, 4: SortKey.AMOUNT,
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class ShownRow:
    """A row with its texts ready for painting."""

    record: VoucherRow
    texts: tuple[str, ...]
    colour: str


def present(rows: Sequence[VoucherRow]) -> list[ShownRow]:
    """Work out what each row shows (runs on the worker, with the query)."""
    shown = []
    for row in rows:
        state = look(row.status, row.problems)  # the same word and colour everywhere
        texts = (row.number, dmy(row.date), row.payee, row.content, money(row.total),
                 state.words)
        shown.append(ShownRow(row, texts, state.colour))
    return shown


PageRequest = Callable[[VoucherQuery, int, int, Callable[[list[ShownRow]], None]], None]


class VoucherListModel(QAbstractTableModel):
    """Rows come a page at a time: the first page with the query, the rest on scrolling."""

    def __init__(self, request_page: PageRequest) -> None:
        super().__init__()
        self._request_page = request_page
        self._query = VoucherQuery()
        self._rows: list[ShownRow] = []
        self._total = 0
        self._fetching = False
        self._epoch = 0
        self._colours: dict[str, QColor] = {}

    # -- query ------------------------------------------------------------------------------

    @property
    def query(self) -> VoucherQuery:
        """The query the rows answer."""
        return self._query

    @property
    def total(self) -> int:
        """How many vouchers match the query (the rows loaded may be fewer)."""
        return self._total

    @property
    def fetching(self) -> bool:
        """A page was asked for and has not arrived."""
        return self._fetching

    def reset_to(self, query: VoucherQuery, total: int, first_page: list[ShownRow]) -> None:
        """Show the answer to a new query (computed on the worker)."""
        self.beginResetModel()
        self._epoch += 1  # pages still in flight belong to the old query
        self._fetching = False
        self._query = query
        self._total = total
        self._rows = list(first_page)
        self.endResetModel()

    def row_of(self, voucher_id: str) -> int:
        """The row showing ``voucher_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.record.id == voucher_id), -1)

    def voucher_id(self, row: int) -> str | None:
        """The id of the voucher on ``row``."""
        return self._rows[row].record.id if 0 <= row < len(self._rows) else None

    def row_record(self, row: int) -> VoucherRow:
        """The record on ``row``."""
        return self._rows[row].record

    def update_voucher(self, voucher: Voucher, status: VoucherState, problems: int) -> bool:
        """Refresh the row of a saved voucher in place; False when it is not loaded."""
        row = self.row_of(voucher.id)
        if row < 0:
            return False
        content = " · ".join(line.content for line in voucher.lines) or voucher.content
        record = replace(
            self._rows[row].record, number=voucher.number, date=voucher.date,
            payee=voucher.payee.name, content=content, total=voucher.total, status=status,
            problems=problems,
        )
        self._rows[row] = present([record])[0]
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if parent.isValid() or self._fetching:
            return
        self._fetching = True
        epoch = self._epoch
        self._request_page(self._query, len(self._rows), PAGE,
                           lambda rows: self._arrived(epoch, rows))

    def _arrived(self, epoch: int, more: list[ShownRow]) -> None:
        if epoch != self._epoch:
            return  # the query changed meanwhile
        self._fetching = False
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _DISPLAY:
            return t(f"list.{COLUMNS[section]}")
        if role == _ALIGN and section == TOTAL_COLUMN:
            return _RIGHT
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> object:
        if role == _DISPLAY:
            return self._rows[index.row()].texts[index.column()]
        if role == _ALIGN:
            return _RIGHT if index.column() == TOTAL_COLUMN else None
        if role == _FOREGROUND and index.column() == STATUS_COLUMN:
            return self._colour(self._rows[index.row()].colour)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == STATUS_COLUMN:
            return self._rows[index.row()].record.status_reason or None
        if role == ID_ROLE:
            return self._rows[index.row()].record.id
        return None

    def _colour(self, name: str) -> QColor:
        colour = self._colours.get(name)
        if colour is None:
            colour = self._colours[name] = QColor(name)
        return colour
