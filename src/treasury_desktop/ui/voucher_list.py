"""The list pane: a search box that answers as you type, and the paged voucher table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.store.records import Folder, SortKey, VoucherQuery
from treasury_desktop.ui.amount_cells import show_amounts_whole, show_whole
from treasury_desktop.ui.header_arrows import point_arrows_the_right_way
from treasury_desktop.ui.list_model import (
    SORT_OF_COLUMN,
    STATUS_COLUMN,
    TOTAL_COLUMN,
    PageRequest,
    ShownRow,
    VoucherListModel,
)
from treasury_desktop.ui.texts import t

SEARCH_DELAY_MS = 150
QueryAnswer = tuple[int, list[ShownRow]]
RunQuery = Callable[[VoucherQuery, Callable[[QueryAnswer], None]], None]
_WIDTHS = (44, 78, 150, 120, 92, 108)


class VoucherListPane(QWidget):
    """Emits ``chosen(id)`` when the accountant moves to a voucher."""

    chosen = Signal(str)
    answered = Signal()

    def __init__(
        self,
        run_query: RunQuery,
        request_page: PageRequest,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._run_query = run_query
        self._generation = 0
        self._answered = 0
        self._keep_id: str | None = None
        self.model = VoucherListModel(request_page)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(t("list.search_hint"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.installEventFilter(self)  # ↓ goes from the search box to the results

        self.table = QTableView()
        self.table.setObjectName("voucherTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Shift/Ctrl+click) can be signed or sent at once; the current one is open.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.arrows = point_arrows_the_right_way(header)  # ▼ newest first
        header.sortIndicatorChanged.connect(self._sort_changed)
        for col, width in enumerate(_WIDTHS):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # On a laptop the key columns come first: number, date, amount, state; the payee and
        # the content follow and end in "…" when the room runs out (never a sideways scroll
        # to see an amount or a state).
        header.moveSection(TOTAL_COLUMN, 2)
        header.moveSection(STATUS_COLUMN, 3)
        self.amounts = show_amounts_whole(self.table, TOTAL_COLUMN)  # never "3.002.345.6…"
        # a long state ("Trả lại để bổ sung") in a smaller font, never cut; the list keeps room
        self.states = show_whole(self.table, STATUS_COLUMN)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.summary = QLabel()
        self.summary.setObjectName("listSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    # -- queries ----------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """How many queries were started (tests wait until ``answered_generation`` catches up)."""
        return self._generation

    @property
    def answered_generation(self) -> int:
        """The newest query whose answer is shown."""
        return self._answered

    def set_folder(self, folder: Folder) -> None:
        """Show another folder."""
        if folder != self.model.query.folder:
            self._keep_id = self.current_id()  # the voucher stays selected if it is there too
            self._start(replace(self._current_query(), folder=folder))

    def refresh(self, keep_id: str | None = None) -> None:
        """Run the current query again (search text, folder, order) on the worker."""
        self._keep_id = keep_id or self.current_id()
        self._start(self._current_query())

    def _current_query(self) -> VoucherQuery:
        return replace(self.model.query, text=self.search.text().strip())

    def _start(self, query: VoucherQuery) -> None:
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        self._run_query(query, lambda answer: self._show(generation, query, answer))

    def _show(self, generation: int, query: VoucherQuery, answer: QueryAnswer) -> None:
        if generation != self._generation:
            return  # a newer query was started: this answer is stale
        total, rows = answer
        keep = self._keep_id
        self.model.reset_to(query, total, rows)
        self._answered = generation
        self.summary.setText(t("list.summary", count=f"{total:,}".replace(",", ".")))
        if keep is not None:
            self.select(keep)
        self.answered.emit()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        key = SORT_OF_COLUMN.get(column)
        query = self.model.query
        if key is None:  # content and state are not sortable: put the indicator back
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(_column_of(query.sort), _order(query.descending))
            header.blockSignals(False)
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._keep_id = self.current_id()
        self._start(replace(self._current_query(), sort=key, descending=descending))

    # -- selection --------------------------------------------------------------------------

    def current_id(self) -> str | None:
        """The voucher selected in the list."""
        index = self.table.currentIndex()
        return self.model.voucher_id(index.row()) if index.isValid() else None

    def select(self, voucher_id: str) -> bool:
        """Select a loaded voucher's row (without telling ``chosen`` again if already there)."""
        row = self.model.row_of(voucher_id)
        if row < 0:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        """The row alone, whatever keys are held: a Ctrl still down from a shortcut (Ctrl+D)
        must not turn opening a voucher into adding it to a selection."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and isinstance(event, QKeyEvent) and \
                event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.table.setFocus()
            if not self.table.selectionModel().hasSelection():
                self.select_first()
            return True
        return super().eventFilter(watched, event)

    def select_first(self) -> None:
        """Select the first row, if any."""
        if self.model.rowCount():
            self._select_row(0)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if not selected.indexes():
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else selected.indexes()[0].row()
        voucher_id = self.model.voucher_id(row)
        if voucher_id is not None:
            self.chosen.emit(voucher_id)


def _column_of(key: SortKey) -> int:
    return next(col for col, k in SORT_OF_COLUMN.items() if k is key)


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


