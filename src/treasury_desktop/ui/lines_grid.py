"""The budget-lines grid (Nội dung … Số tiền) with code pickers; Enter moves on cell by cell."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.voucher import BudgetLine
from treasury_desktop.domain.voucher_parts import DepositLine, StatementItem
from treasury_desktop.ui.code_lookup import code_title
from treasury_desktop.ui.field_input import shown_date
from treasury_desktop.ui.fields import CodeLine, MoneyLine, parse_amount
from treasury_desktop.ui.texts import dmy, money, t

COLUMNS = ("content", "ndkt", "chapter", "industry", "source", "amount")
CODE_KINDS: Mapping[str, CatalogKind] = {
    "ndkt": CatalogKind.NDKT,
    "chapter": CatalogKind.CHAPTER,
    "industry": CatalogKind.INDUSTRY,
    "source": CatalogKind.SOURCE,
}
MONEY_COLUMNS = frozenset({"amount", "tax_amount", "unit_price"})
DATE_COLUMNS = frozenset({"document_date"})  # shown dd/mm/yyyy, kept ISO
WIDTHS = {"ndkt": 58, "chapter": 62, "industry": 76, "source": 76, "amount": 108,
          "tax_amount": 100, "budget_year": 76, "document_number": 80, "document_date": 86,
          "quantity": 64, "unit_price": 96}
Line = BudgetLine | DepositLine | StatementItem  # a row of one of the grids
_QUANTITY = QRegularExpression(r"^\d{0,9}(?:[.,]\d{0,4})?$")  # Số lượng: 2,5 ngày công
_BAD = "#fde7e5"  # the background of a cell with a problem
_Index = QModelIndex | QPersistentModelIndex
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@cache
def _bad_brush() -> QBrush:
    return QBrush(QColor(_BAD))


class _LineDelegate(QStyledItemDelegate):
    """Editors per column: text, a code picker, or an amount; Enter commits and moves on."""

    def __init__(self, grid: BudgetLinesGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> QWidget:
        name = self._grid.columns[index.column()]
        editor: QLineEdit
        if name in CODE_KINDS:
            code = editor = CodeLine(CODE_KINDS[name], self._grid.catalog, parent)
            # Enter on a suggestion takes it and moves on: one Enter, not two.
            code.picker.activated.connect(lambda _text: self._take(code))
        elif name in MONEY_COLUMNS:
            editor = MoneyLine(parent)
        else:
            editor = QLineEdit(parent)
            if name == "quantity":
                editor.setValidator(QRegularExpressionValidator(_QUANTITY, editor))
        editor.setObjectName(f"cell_{name}")
        editor.setFrame(False)
        return editor

    def _take(self, editor: QLineEdit) -> None:
        self.commitData.emit(editor)
        self._grid.enter_pressed = True
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: _Index
    ) -> None:
        assert isinstance(editor, QLineEdit)
        raw = editor.text().strip()
        column = self._grid.columns[index.column()]
        if column in MONEY_COLUMNS:
            value = parse_amount(raw)
            raw = money(value) if value else raw
        elif column in DATE_COLUMNS:
            raw = shown_date(raw)
        model.setData(index, raw)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and isinstance(watched, QLineEdit)
        ):
            self._take(watched)
            return True
        return super().eventFilter(watched, event)


def cell_text(name: str, value: object) -> str:
    """A line's value as its cell shows it: 1.234.000, 20/11/2026, 2,5."""
    if value is None or value == "" or value == 0:
        return ""
    if name in MONEY_COLUMNS and isinstance(value, int):
        return money(value)
    if name in DATE_COLUMNS:
        return dmy(str(value))
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


class BudgetLinesGrid(QTableWidget):
    """One row per line, in the form's columns (``line_fields``): budget lines, with the tax
    part on a C2-02b/NS, or the content/nguồn/niên độ lines of a C4-02a/KB. ``changed`` fires
    on every edit."""

    changed = Signal()

    def __init__(
        self,
        catalog: Callable[[], BudgetCatalog | None],
        parent: QWidget | None = None,
        columns: tuple[str, ...] = COLUMNS,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = columns
        self.deposit = "budget_year" in columns
        self.catalog = catalog
        self.enter_pressed = False
        self.setObjectName("linesGrid")
        self.setHorizontalHeaderLabels(
            [(headers or {}).get(c) or t(f"lines.{c}") for c in columns]
        )
        self.setItemDelegate(_LineDelegate(self))
        self.setTabKeyNavigation(False)  # Tab leaves the grid, as on a paper form
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        for col, name in enumerate(columns):  # the content takes the room the codes leave
            if name == "content":
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
                self.setColumnWidth(col, WIDTHS.get(name, 76))
        self.setMinimumHeight(110)
        self.setMaximumHeight(250)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    # -- the voucher's lines ------------------------------------------------------------------

    def _rows(self) -> list[dict[str, str]]:
        rows = []
        for row in range(self.rowCount()):
            cells = [self._text(row, col) for col in range(len(self.columns))]
            if any(cells):  # a row left wholly empty is not a line
                rows.append(dict(zip(self.columns, cells, strict=True)))
        return rows

    def lines(self) -> tuple[BudgetLine, ...]:
        """The budget lines typed so far (none on a grid of C4-02a/KB lines)."""
        if self.deposit:
            return ()
        taxed = "tax_amount" in self.columns
        return tuple(
            BudgetLine(
                content=v["content"], ndkt=v["ndkt"], chapter=v["chapter"],
                industry=v["industry"], source=v["source"], amount=parse_amount(v["amount"]),
                tax_amount=parse_amount(v["tax_amount"]) if taxed else None,
            )
            for v in self._rows()
        )

    def deposit_lines(self) -> tuple[DepositLine, ...]:
        """The C4-02a/KB lines typed so far."""
        if not self.deposit:
            return ()
        return tuple(
            DepositLine(
                content=v["content"], source=v["source"],
                budget_year=int(v["budget_year"]) if v["budget_year"].isdigit() else 0,
                amount=parse_amount(v["amount"]),
            )
            for v in self._rows()
        )

    def set_lines(self, lines: Sequence[Line]) -> None:
        """Show ``lines`` (at least one row, empty, to type into)."""
        self.blockSignals(True)
        self.setRowCount(0)
        for line in lines or (self._empty(),):
            self._append(line)
        self.blockSignals(False)

    def _empty(self) -> Line:
        return DepositLine() if self.deposit else BudgetLine()

    def add_line(self) -> None:
        """Add an empty row and start typing its content."""
        self._append(self._empty())
        self._go(self.rowCount() - 1, 0)

    def remove_current_line(self) -> None:
        """Remove the row of the current cell (one empty row always stays)."""
        row = self.currentRow()
        if row < 0:
            return
        self.removeRow(row)
        if self.rowCount() == 0:
            self._append(self._empty())
        self.changed.emit()

    def mark_problems(self, cells: Mapping[tuple[int, int], str]) -> None:
        """Red background and a tooltip on each cell with a problem; others cleared."""
        self.blockSignals(True)
        for row in range(self.rowCount()):
            for col in range(len(self.columns)):
                item = self._item(row, col)
                message = cells.get((row, col), "")
                if message:
                    item.setBackground(_bad_brush())
                else:  # as setBackground(QBrush()), without loading QBrush (and QGradient)
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)
                item.setToolTip(message or self._title(row, col))
        self.blockSignals(False)

    def code_names(self, row: int) -> list[str]:
        """"code — name" of each known code on ``row``, in column order."""
        if not 0 <= row < self.rowCount():
            return []
        titles = (self._title(row, col) for col in range(len(self.columns)))
        return [title for title in titles if title]

    def _title(self, row: int, col: int) -> str:
        kind = CODE_KINDS.get(self.columns[col])
        return code_title(self.catalog(), kind, self._text(row, col)) if kind else ""

    # -- keyboard -----------------------------------------------------------------------------

    def closeEditor(  # noqa: N802
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        moving = self.enter_pressed and hint == QAbstractItemDelegate.EndEditHint.EditNextItem
        self.enter_pressed = False
        if not moving:
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self._next_cell()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in _ENTER and self.state() != QAbstractItemView.State.EditingState:
            self._next_cell()
            return
        super().keyPressEvent(event)

    def _next_cell(self) -> None:
        row, col = self.currentRow(), self.currentColumn()
        if col < len(self.columns) - 1:
            self._go(row, col + 1)
        elif row < self.rowCount() - 1:
            self._go(row + 1, 0)
        else:
            self.add_line()

    def _go(self, row: int, col: int) -> None:
        self.setCurrentCell(row, col)
        if self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers:
            self.editItem(self._item(row, col))

    # -- cells --------------------------------------------------------------------------------

    def _append(self, line: Line) -> None:
        row = self.rowCount()
        self.insertRow(row)
        for col, name in enumerate(self.columns):
            item = QTableWidgetItem(cell_text(name, getattr(line, name, None)))
            if name in MONEY_COLUMNS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            elif name != "content":
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, col, item)

    def _item(self, row: int, col: int) -> QTableWidgetItem:
        item = self.item(row, col)
        if item is None:
            item = QTableWidgetItem("")
            self.setItem(row, col, item)
        return item

    def _text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text().strip() if item is not None else ""
